package io.sitebridge.transfer.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.PassiveSide;
import io.sitebridge.transfer.Strategy;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferOptions;

/**
 * One FXP attempt, as RFC 959 describes it: PASV/EPSV (or CPSV) on the passive server, PORT/EPRT
 * with that address on the active one, REST on both when resuming, then the transfer command to
 * the active side and to the passive side without waiting for a 150 in between, and both final
 * replies. For a pair known to work, PORT and both transfer commands go out in one burst (one
 * round trip fewer per file), and where the sites take pipelined commands two more wait in the
 * servers' input behind the transfer: the destination's SIZE that checks this file and the
 * passive server's PASV for the next one, so their replies come with the transfer's own (about
 * one round trip per file in all). A server that answers those out of step is put back in
 * lock-step ({@link FtpSession#pipelineBroke}) and the attempt fails as worth a retry.
 *
 * <p>The outcome is success (null), a {@link Refusal} (the caller tries the roles the other way
 * round, or relays), or a {@link TransferException} for failures that another strategy cannot
 * mend: a file the server will not read or write, or a transfer that broke off after both servers
 * had started. Either way both sessions are left in step (ABOR and drained) or reconnected.
 */
final class FxpAttempt {
    /** The longest server reply quoted in a line that names both servers' replies (so both fit in 200 characters). */
    static final int QUOTED = 48;
    /** Said of a final reply with a 1xx code (pure-ftpd's, after its data connection dropped). */
    static final String PRELIMINARY_AS_FINAL = " (a preliminary 1xx as its final reply: its data connection dropped)";
    private final RemotePlace source;
    private final RemotePlace destination;
    private final TransferOptions options;
    private final Interruption stop;
    private final Consumer<String> notes;
    private final boolean clearDataAllowed;
    /** Sessions sent ABOR in this attempt: their dialogue must be drained before reuse. */
    private final Set<FtpSession> aborted = new HashSet<>();
    /** The passive server's data address sent in PORT/EPRT. */
    private DataAddress sent;
    /** A host the passive server announced that differs from the one sent, or null. */
    private java.net.InetAddress elsewhere;

    /** Whether the last attempt found nothing at the control address while the passive server announced another. */
    boolean announcedElsewhere() {
        return elsewhere != null;
    }

    FxpAttempt(RemotePlace source, RemotePlace destination, TransferOptions options, boolean clearDataAllowed,
            Interruption stop, Consumer<String> notes) {
        this.clearDataAllowed = clearDataAllowed;
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.stop = stop;
        this.notes = notes;
    }

    /**
     * @param known the strategy worked for this pair before: send PORT and both transfer commands at once
     * @param arrival where the destination's final reply may be left owed (null: it is read here): when
     *                commands were sent ahead, both servers started and the source's final reply says it
     *                sent everything, the next file need not wait for the destination's
     * @return null when both servers answered 2xx (or the destination's answer is owed to {@code arrival}),
     *         else who refused
     */
    Refusal run(Strategy strategy, String sourcePath, String workPath, long offset, boolean known, Arrival arrival)
            throws TransferException {
        boolean sourcePassive = strategy.passiveSide() == PassiveSide.SOURCE;
        boolean ext = strategy.extended() || source.session().isIpv6() || destination.session().isIpv6();
        FtpSession passive = (sourcePassive ? source : destination).session();
        FtpSession active = (sourcePassive ? destination : source).session();
        SecureFxp tls = SecureFxp.prepare(source.session(), destination.session(), passive, ext, clearDataAllowed,
                notes);
        try {
            if (!known) {
                notes.accept("FXP: " + strategy + (tls.how() == null ? "" : ", " + tls.how()));
            }
            String listen = tls.listenCommand(ext);
            FtpReply pr = passive.execute(listen);
            DataAddress address = ext ? DataAddress.fromEpsv(pr, passive.remoteAddress())
                    : DataAddress.fromPasv(pr, passive.remoteAddress(), passive.site().passiveAddressPolicy());
            if (address == null) {
                return Refusal.of(passive, true, "to listen with " + listen + (pr.isPositive()
                        ? " (malformed reply to " + listen + ")" : ""), pr.toString());
            }
            address = choose(strategy, pr, passive, address, known);
            sent = address;
            String port = address.activeCommand(ext);
            String retr = "RETR " + sourcePath;
            boolean append = false;
            if (offset > 0) {
                FtpReply rs = source.session().execute("REST " + offset);
                if (rs.code() != 350) {
                    notes.accept(source.name() + " refused to resume at byte " + offset + " (" + rs
                            + "): the file starts over");
                } else {
                    append = destination.session().execute("REST " + offset).code() != 350; // APPE adds to what is there
                    notes.accept("resuming at byte " + offset + (append ? " (APPE)" : " (REST)"));
                }
            }
            String stor = (append ? "APPE " : "STOR ") + workPath;
            String activeCommand = sourcePassive ? stor : retr;
            String passiveCommand = sourcePassive ? retr : stor;
            stop.check();
            aborted.clear();
            stop.running(active, passive);
            try {
                boolean piped = known && tls.plain() && offset == 0 && active.pipelining() && passive.pipelining();
                if (piped) {
                    active.sendTogether(List.of(port, activeCommand), ahead(active, passive, listen, workPath));
                    passive.sendTogether(List.of(passiveCommand), ahead(passive, passive, listen, workPath));
                    FtpReply ar = active.readReply(options.acceptTimeout());
                    if (ar.code() == 503) {
                        // "bad sequence": the transfer command came before PORT's reply was out
                        String why = active.site().name() + " answered \"" + ar + "\" to PORT sent with the transfer";
                        notes.accept(why);
                        active.pipelineBroke(why);
                        passive.markBroken();
                        source.reopen();
                        destination.reopen();
                        throw new TransferException(TransferException.Reason.CONNECTION, active.site().name(),
                                why + ": out of step; pipelining is off for it from now on");
                    }
                    if (!ar.isPositive()) {
                        abort(passive); // it waits for a data connection that will not come
                        Side a = read(active, options.drainTimeout()); // the transfer command's refusal
                        Side p = read(passive, options.drainTimeout());
                        recover(a, true);
                        recover(p, true);
                        stop.check();
                        return Refusal.of(active, false, (ext ? "EPRT" : "PORT") + " to a foreign address",
                                ar.toString());
                    }
                } else {
                    FtpReply ar = active.execute(port);
                    if (!ar.isPositive()) {
                        return Refusal.of(active, false, (ext ? "EPRT" : "PORT") + " to a foreign address",
                                ar.toString());
                    }
                    active.send(activeCommand);
                    passive.send(passiveCommand);
                }
                return finish(active, passive, sourcePassive, piped ? arrival : null);
            } finally {
                stop.running();
            }
        } catch (FtpException e) {
            throw RemotePlace.failure(e);
        } finally {
            tls.restore();
        }
    }

    /**
     * What waits behind the transfer on {@code s}: on the destination, the SIZE of this file (read
     * by the check that follows); on the passive server, its next listen command (read by the next
     * file's attempt, which then costs no round trip of its own).
     */
    private List<String> ahead(FtpSession s, FtpSession passive, String listen, String workPath) {
        List<String> a = new java.util.ArrayList<>(2);
        if (s == destination.session()) {
            a.add("SIZE " + workPath);
        }
        if (s == passive) {
            a.add(listen);
        }
        return a;
    }

    /**
     * A reply to the transfer that cannot be its final one when commands wait behind it: the server
     * answered those early (out of step) or refused them because they came during the transfer.
     */
    private static boolean outOfStep(Side s) {
        if (!s.session.hasAhead() || s.finalReply == null) {
            return false;
        }
        int code = s.finalReply.code();
        // 500/501/503: a command line the server would not take now (never a well-formed RETR or
        // STOR's result); 450 after the 150: proftpd's "transfer in progress"; another 2xx: an
        // answer to a command behind the transfer
        return code == 500 || code == 501 || code == 503 || code == 450 && s.started
                || code >= 200 && code < 300 && code != 226 && code != 250;
    }

    /**
     * The passive server's data address to send: the control connection's address (a server cannot
     * point the other one at a third host while that address serves its data), unless the
     * strategy is to send the address it announced, because nothing answered at the control address.
     */
    private DataAddress choose(Strategy strategy, FtpReply reply, FtpSession passive, DataAddress parsed,
            boolean quiet) {
        java.net.InetAddress announced = DataAddress.announcedHost(reply);
        java.net.InetAddress control = passive.remoteAddress();
        elsewhere = announced != null && !announced.equals(parsed.host()) ? announced : null;
        if (strategy.announced() && elsewhere != null) {
            notes.accept("sending " + passive.site().name() + "'s announced data address " + parsed.on(announced)
                    + ", not its control address " + control.getHostAddress()
                    + ", where nothing answered (a control-only front)");
            return parsed.on(announced);
        }
        if (elsewhere != null && !quiet) {
            notes.accept(passive.site().name() + " announced " + announced.getHostAddress() + "; sending its control address "
                    + parsed.host().getHostAddress() + ", which reaches it");
        }
        return parsed;
    }

    // ---- the replies ---------------------------------------------------------------------------------

    /** What one side said after its transfer command. */
    private static final class Side {
        final FtpSession session;
        boolean started;
        FtpReply finalReply;
        boolean timedOut;
        /** The final reply had a 1xx code (pure-ftpd after its data connection dropped). */
        boolean preliminaryAsFinal;
        String error;

        Side(FtpSession session) {
            this.session = session;
        }

        boolean ok() {
            return finalReply != null && finalReply.isPositive();
        }

        boolean answered() {
            return finalReply != null || timedOut || error != null;
        }

        String describe() {
            String who = session.site().name();
            if (error != null) {
                return error;
            }
            if (timedOut) {
                return who + " sent no final reply in time";
            }
            if (finalReply == null) {
                return who + " did not answer";
            }
            return who + " answered " + ServerText.quote(finalReply.toString(), QUOTED) + (preliminaryAsFinal
                    ? PRELIMINARY_AS_FINAL : "");
        }
    }

    /**
     * Reads both sides in turn: each side's first reply within the accept timeout (a passive server
     * that stays silent has refused the other server's connection), then the active side's final
     * reply within the transfer timeout, then the passive side's. A side that refuses gets its
     * partner aborted, which would otherwise wait for a data connection that will not come.
     */
    private Refusal finish(FtpSession active, FtpSession passive, boolean sourcePassive, Arrival arrival)
            throws TransferException {
        Side a = new Side(active);
        Side p = new Side(passive);
        first(a);
        if (a.answered() && !a.ok()) {
            abort(passive);
        }
        if (!a.answered() || a.ok()) {
            first(p);
        } else {
            readRest(p, options.drainTimeout());
        }
        if (arrival != null && a.started && p.started && !a.answered() && !p.answered()) {
            // Both started: the source's final reply first. Once it says everything was sent, the
            // destination's (and the SIZE behind it) can wait for the next file's replies.
            Side src = sourcePassive ? p : a;
            Side dst = sourcePassive ? a : p;
            readRest(src, options.transferTimeout());
            if (src.ok() && !outOfStep(src) && !stop.isSet()) {
                arrival.finalReplyLater(dst.session, max(options.acceptTimeout(), dst.session.site().timeouts().reply()));
                return null;
            }
        }
        if (p.answered() && !p.ok() && !a.answered()) {
            abort(active);
            readRest(a, options.drainTimeout());
        }
        if (!a.answered()) {
            readRest(a, options.transferTimeout());
        }
        if (!p.answered()) {
            if (!a.ok()) {
                abort(passive);
            }
            readRest(p, a.ok() && !stop.isSet() ? max(options.acceptTimeout(), passive.site().timeouts().reply())
                    : options.drainTimeout());
        }
        stop.running();
        for (Side s : List.of(a, p)) {
            if (outOfStep(s)) {
                String why = s.session.site().name() + " answered \"" + s.finalReply
                        + "\" to a transfer with commands waiting behind it";
                notes.accept(why);
                s.session.pipelineBroke(why);
                (s == a ? p : a).session.markBroken();
                source.reopen();
                destination.reopen();
                throw new TransferException(TransferException.Reason.CONNECTION, s.session.site().name(),
                        why + ": out of step; pipelining is off for it from now on");
            }
        }
        if (stop.isSet()) {
            recover(a, true);
            recover(p, true);
            stop.check();
        }
        if (a.ok() && p.ok()) {
            return null;
        }
        return classify(a, p, passive, active, sourcePassive);
    }

    private void first(Side s) {
        try {
            FtpReply r = s.session.readReply(options.acceptTimeout());
            if (r.isPreliminary()) {
                s.started = true;
            } else {
                s.finalReply = r;
            }
        } catch (io.sitebridge.core.session.ReplyTimeoutException e) {
            s.timedOut = true;
        } catch (FtpException | RuntimeException e) {
            s.error = named(s, e.getMessage());
        }
    }

    /** The message naming the side's site once (a session's own errors name it already). */
    private static String named(Side s, String message) {
        String site = s.session.site().name();
        return message != null && message.startsWith(site) ? message : site + ": " + message;
    }

    /** Reads until the side's final reply; a second 1xx counts as a failed final reply. */
    private void readRest(Side s, Duration timeout) {
        try {
            FtpReply r = s.session.readReply(timeout);
            if (r.isPreliminary() && !s.started) {
                s.started = true;
                r = s.session.readReply(timeout);
            }
            s.preliminaryAsFinal = r.isPreliminary();
            s.finalReply = r;
        } catch (io.sitebridge.core.session.ReplyTimeoutException e) {
            s.timedOut = true;
        } catch (FtpException | RuntimeException e) {
            s.error = named(s, e.getMessage());
        }
    }

    private Side read(FtpSession session, Duration timeout) {
        Side s = new Side(session);
        readRest(s, timeout);
        return s;
    }

    private Refusal classify(Side a, Side p, FtpSession passive, FtpSession active, boolean sourcePassive)
            throws TransferException {
        // A file that is missing or may not be written is not an FXP refusal: reversing won't help.
        for (Side s : List.of(a, p)) {
            if (s.finalReply != null && isHardFileError(s.finalReply.code())) {
                recover(a, !a.ok() || a.finalReply == null);
                recover(p, !p.ok() || p.finalReply == null);
                boolean isSource = (s == p) == sourcePassive;
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, s.session.site().name(),
                        s.session.site().name() + " refused " + (isSource ? "RETR" : "STOR") + ": "
                                + s.finalReply.text(), null, s.finalReply.code());
            }
        }
        boolean passiveRefused = p.finalReply != null && p.finalReply.code() == 425;
        if (a.preliminaryAsFinal || p.preliminaryAsFinal || (a.started && p.started && !passiveRefused)) {
            // Both servers had started: FXP itself worked, and the data connection broke (or a server
            // died) during the transfer. Not a refusal: reversing the roles would not help.
            String msg = "the transfer broke off: " + a.describe() + "; " + p.describe();
            notes.accept(msg);
            for (Side s : List.of(a, p)) {
                try {
                    recover(s, !s.ok() || s.finalReply == null);
                } catch (TransferException e) {
                    notes.accept(e.getMessage());
                }
            }
            Side culprit = a.error != null || a.timedOut ? a : p.error != null || p.timedOut ? p
                    : a.preliminaryAsFinal ? a : p.preliminaryAsFinal ? p : !a.ok() ? a : p;
            throw new TransferException(TransferException.Reason.CONNECTION, culprit.session.site().name(), msg);
        }
        Refusal refusal;
        boolean activeNeverStarted = !a.started && a.finalReply != null && !a.ok();
        if (activeNeverStarted && a.finalReply.code() == 425) {
            // The active server could not open the data connection: nothing listens at the address it
            // was given. Not the passive server refusing a foreign address (it was aborted by us).
            refusal = Refusal.nothingAnswered(active, passive, sent, a.finalReply.toString());
        } else if (!p.started && !(activeNeverStarted && !p.timedOut)) {
            // The passive server never accepted the other server's connection: 425, or silence (pure-ftpd).
            String evidence = p.timedOut ? "no reply within " + seconds(options.acceptTimeout())
                    : p.finalReply != null && !p.ok() ? p.finalReply.toString()
                            : "no 150 before " + active.site().name() + " answered " + a.finalReply;
            refusal = Refusal.of(passive, true, "a data connection from a foreign address", evidence);
        } else if (p.finalReply != null && !p.ok()) {
            refusal = Refusal.of(passive, true, "a data connection from a foreign address", p.finalReply.toString());
        } else if (a.finalReply != null && !a.ok()) {
            refusal = Refusal.of(active, false, "to connect to the other server", a.finalReply.toString());
        } else if (a.timedOut || p.timedOut) {
            Side s = a.timedOut ? a : p;
            refusal = Refusal.of(s.session, s == p, s == p ? "a data connection from a foreign address"
                    : "to connect to the other server", "no final reply in time");
        } else {
            Side s = a.error != null ? a : p;
            recover(a, true);
            recover(p, true);
            throw new TransferException(TransferException.Reason.CONNECTION, s.session.site().name(),
                    s.error != null ? s.error : "unknown failure");
        }
        recover(a, a.finalReply == null);
        recover(p, p.finalReply == null);
        return refusal;
    }

    private static boolean isHardFileError(int code) {
        return code == 550 || code == 553 || code == 552 || code == 551 || code == 530 || code == 532 || code == 452;
    }

    private void abort(FtpSession s) {
        if (aborted.add(s)) {
            s.abortNow();
        }
    }

    /**
     * Brings a side back in step: if its transfer reply is still outstanding, ABOR and drain; if
     * it stays silent or broke, reconnect.
     */
    private void recover(Side side, boolean abort) throws TransferException {
        FtpSession s = side.session;
        boolean inStep = s.isConnected() && side.error == null;
        if (inStep && (abort || side.timedOut)) {
            abort(s);
        }
        if (inStep && aborted.contains(s)) {
            inStep = s.resync(options.drainTimeout());
        }
        if (!inStep) {
            notes.accept(s.site().name() + " did not settle after the failed transfer: reconnecting");
            (s == source.session() ? source : destination).reopen();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String seconds(Duration d) {
        return (d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0)) + " s";
    }
}
