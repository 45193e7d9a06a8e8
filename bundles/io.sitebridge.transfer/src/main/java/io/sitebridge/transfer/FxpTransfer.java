package io.sitebridge.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.ReplyTimeoutException;

/**
 * Copies one file from a source site to a destination site, server to server (FXP), as
 * RFC 959 describes: PASV (or EPSV) on the passive server, PORT (or EPRT) with that
 * address on the active server, the transfer command to the active side and then to the
 * passive side without waiting for a 150 in between, then both final replies, read
 * concurrently with timeouts.
 *
 * <p>When one server refuses (5xx to PORT, 425 from the passive side, or silence past the
 * accept timeout), both sides are aborted and drained and the roles are swapped; when that
 * fails too the data is relayed through this client (streamed, constant memory) unless the
 * user forbade it, else the error names each refusing server and the setting that allows FXP
 * on it. What worked is remembered per site pair in a {@link StrategyMemory}.
 *
 * <p>A transfer succeeds only when both servers answered 2xx, the destination SIZE equals the
 * source SIZE, and, when both servers offer a common hash (HASH, XSHA*, XMD5, XCRC), the hashes
 * match. With {@link TransferOptions#verify()} and no common hash, both files are read back
 * through the client and compared.
 *
 * <p>Sessions that get out of step (a silent server, a failed ABOR) are reopened; ask
 * {@link #source()} and {@link #destination()} for the current ones afterwards. One
 * instance copies one file at a time; {@link #cancel()} may be called from any thread.
 */
public final class FxpTransfer {
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sitebridge-fxp-reply");
        t.setDaemon(true);
        return t;
    });

    private FtpSession source;
    private FtpSession destination;
    private final TransferOptions options;
    private final StrategyMemory memory;
    private volatile boolean cancelled;
    private volatile FtpSession[] running = new FtpSession[0];
    private final List<String> notes = new ArrayList<>();
    /** Sessions sent ABOR in the current attempt: their dialogue must be drained before reuse. */
    private final Set<FtpSession> aborted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FxpTransfer(FtpSession source, FtpSession destination, TransferOptions options, StrategyMemory memory) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.memory = memory;
    }

    public FxpTransfer(FtpSession source, FtpSession destination, TransferOptions options) {
        this(source, destination, options, StrategyMemory.global());
    }

    private volatile boolean keepPartialOnCancel = true;
    private boolean partIsTheOnlyCopy;

    /**
     * Whether a file this copy created is kept when the copy is cancelled (default: yes, so a
     * caller that cancels a stalled transfer can resume it with REST). After any other failure
     * it is removed.
     */
    public FxpTransfer keepPartialOnCancel(boolean keep) {
        this.keepPartialOnCancel = keep;
        return this;
    }

    /** The source session now (a new one if the first had to be reopened). */
    public FtpSession source() { return source; }

    /** The destination session now (a new one if the first had to be reopened). */
    public FtpSession destination() { return destination; }

    /** Stops the running transfer: ABOR on both servers; {@link #copy} then throws CANCELLED. */
    public void cancel() {
        cancelled = true;
        for (FtpSession s : running) {
            abort(s);
        }
    }

    public boolean isCancelled() { return cancelled; }

    /** Copies {@code sourcePath} on the source to {@code destinationPath} on the destination (overwriting). */
    public TransferResult copy(String sourcePath, String destinationPath, TransferListener listener)
            throws TransferException {
        long start = System.nanoTime();
        notes.clear();
        try {
            source.checkName(sourcePath);
            destination.checkName(destinationPath);
        } catch (FtpException e) {
            throw new TransferException(TransferException.Reason.INVALID_NAME, e.site(), e.getMessage(), e);
        }
        long sourceSize = sourceSize(sourcePath);
        // A file that is already there is never truncated by a failed attempt: the copy goes to a
        // temporary sibling first and replaces it only once complete and checked. A file this copy
        // creates is removed again when the copy fails.
        partIsTheOnlyCopy = false;
        boolean existed = destinationExists(destinationPath);
        String target = existed ? partName(destinationPath) : destinationPath;
        if (existed) {
            note(destinationPath + " exists on " + destination.site().name() + ": copying to " + target
                    + " first and replacing it only when the copy is complete");
        }
        try {
            return attempts(sourcePath, target, destinationPath, sourceSize, listener, start);
        } catch (TransferException e) {
            throw withoutDebris(e, target, existed ? destinationPath : null);
        }
    }

    /** Tries the strategies in turn, copying to {@code destinationPath}, which then becomes {@code finalPath}. */
    private TransferResult attempts(String sourcePath, String destinationPath, String finalPath, long sourceSize,
            TransferListener listener, long start) throws TransferException {
        List<Refusal> refusals = new ArrayList<>();
        for (Strategy strategy : plan()) {
            checkCancelled();
            listener.attempt(strategy);
            if (strategy.method() == TransferMethod.RELAY) {
                if (!refusals.isEmpty()) {
                    note("falling back to relaying the data through this client");
                }
                relay(sourcePath, destinationPath, sourceSize, listener);
            } else {
                Refusal refusal = fxp(strategy, sourcePath, destinationPath);
                if (refusal != null) {
                    refusals.add(refusal);
                    note("FXP refused: " + refusal.describe());
                    continue;
                }
            }
            String check = verify(sourcePath, destinationPath, sourceSize);
            if (!destinationPath.equals(finalPath)) {
                replace(destinationPath, finalPath);
            }
            listener.bytesTransferred(sourceSize, sourceSize);
            memory.remember(source.site(), destination.site(), strategy);
            note("done: " + sourceSize + " bytes by " + strategy + ", checked by " + check);
            return new TransferResult(strategy, sourceSize, check, Duration.ofNanos(System.nanoTime() - start), notes);
        }
        StringBuilder msg = new StringBuilder("FXP refused: ");
        Set<String> parts = new LinkedHashSet<>();
        for (Refusal r : refusals) {
            parts.add(r.describe());
        }
        msg.append(String.join("; ", parts));
        msg.append(relayAllowed() ? "" : "; relaying through this client is not allowed");
        note(msg.toString());
        throw new TransferException(TransferException.Reason.FXP_REFUSED,
                refusals.isEmpty() ? null : refusals.get(0).site(), msg.toString());
    }

    // ---- the destination file: nothing lost, no debris --------------------------------------------

    /** SIZE 550 means absent; a size, or any other answer (no SIZE), counts as present: never risk it. */
    private boolean destinationExists(String path) throws TransferException {
        try {
            if (destination.size(path) >= 0) {
                return true;
            }
            return destination.lastReply().code() != 550;
        } catch (FtpException e) {
            throw connectionFailure(e);
        }
    }

    /** A sibling of {@code path} that does not exist yet, for copying before replacing. */
    private String partName(String path) throws TransferException {
        for (int i = 0; i < 5; i++) {
            String name = path + ".sitebridge-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current()
                    .nextLong() & 0xffffffL) + ".part";
            if (!destinationExists(name)) {
                return name;
            }
        }
        throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.site().name(),
                destination.site().name() + ": cannot find a free temporary name beside " + path);
    }

    /** Renames the complete, checked copy over the file that was there before. */
    private void replace(String part, String path) throws TransferException {
        try {
            try {
                destination.rename(part, path);
            } catch (FtpException refused) {
                if (refused.reply() == null) {
                    throw refused;
                }
                // Some servers will not rename over an existing file: remove it first (the new copy is complete).
                note(destination.site().name() + " would not rename over " + path + " (" + refused.getMessage()
                        + "): deleting the old file first");
                destination.delete(path);
                try {
                    destination.rename(part, path);
                } catch (FtpException e) {
                    partIsTheOnlyCopy = true; // the old file is gone: keep the new one, under its temporary name
                    throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.site().name(),
                            "the copy is complete as " + part + " on " + destination.site().name()
                                    + ", but renaming it to " + path + " failed: " + e.getMessage(), e);
                }
            }
            note("replaced " + path + " with the complete copy");
        } catch (FtpException e) {
            throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.site().name(),
                    "the old " + path + " on " + destination.site().name() + " is unchanged; replacing it failed: "
                            + e.getMessage(), e);
        }
    }

    /**
     * After a failed copy: removes what it created on the destination ({@code created}, which
     * did not exist before), so neither a 0-byte file from a refused FXP nor a partial file stays
     * behind. {@code kept} is the file that existed before and was not touched.
     */
    private TransferException withoutDebris(TransferException e, String created, String kept) {
        if (e.reason() == TransferException.Reason.INVALID_NAME || partIsTheOnlyCopy
                || (e.reason() == TransferException.Reason.CANCELLED && keepPartialOnCancel)) {
            return e; // nothing created, or the caller cancelled to resume later (REST)
        }
        String outcome;
        try {
            destination = destination.reopenIfClosed();
            long size = destination.size(created);
            if (size < 0) {
                return e; // nothing was created
            }
            destination.delete(created);
            outcome = "removed the incomplete " + created + " (" + size + " bytes) from " + destination.site().name();
        } catch (FtpException cleanup) {
            outcome = "could not remove the incomplete " + created + " from " + destination.site().name() + ": "
                    + cleanup.getMessage();
        }
        if (kept != null) {
            outcome += "; " + kept + " is unchanged";
        }
        note(outcome);
        return new TransferException(e.reason(), e.refusingSite(), e.getMessage() + "; " + outcome, e.getCause());
    }

    // ---- planning -----------------------------------------------------------------------------

    private boolean fxpAllowed() {
        return options.fxpAllowed() && source.site().fxpAllowed() && destination.site().fxpAllowed();
    }

    private boolean relayAllowed() {
        return options.relayAllowed() && source.site().relayAllowed() && destination.site().relayAllowed();
    }

    private boolean extended() {
        if (source.isIpv6() || destination.isIpv6()) {
            return true; // PASV over IPv6 is broken on the common servers
        }
        if (options.dataMode() != DataConnectionMode.AUTO) {
            return options.dataMode() == DataConnectionMode.EPSV_EPRT;
        }
        return source.site().dataConnectionMode() == DataConnectionMode.EPSV_EPRT
                || destination.site().dataConnectionMode() == DataConnectionMode.EPSV_EPRT;
    }

    private List<Strategy> plan() throws TransferException {
        Set<Strategy> plan = new LinkedHashSet<>();
        boolean ext = extended();
        if (fxpAllowed()) {
            memory.lookup(source.site(), destination.site()).filter(s -> s.method() == TransferMethod.RELAY
                    ? relayAllowed() : s.extended() == ext).ifPresent(s -> {
                        note("trying first what worked last time: " + s);
                        plan.add(s);
                    });
            plan.add(Strategy.fxp(options.firstPassiveSide(), ext));
            plan.add(Strategy.fxp(options.firstPassiveSide().other(), ext));
        }
        if (relayAllowed()) {
            plan.add(Strategy.relay());
        }
        if (plan.isEmpty()) {
            throw new TransferException(TransferException.Reason.FXP_REFUSED, null,
                    "neither FXP nor relaying is allowed for " + source.site().name() + " -> "
                            + destination.site().name());
        }
        return new ArrayList<>(plan);
    }

    // ---- FXP ------------------------------------------------------------------------------------

    /** What one side said after its transfer command. */
    private static final class Side {
        final FtpSession session;
        boolean started;
        FtpReply finalReply;
        boolean timedOut;
        /** The final reply had a 1xx code (pure-ftpd after its data connection dropped). */
        boolean preliminaryAsFinal;
        FtpException error;

        Side(FtpSession session) {
            this.session = session;
        }

        /** A side whose final reply never came in time. */
        static Side timedOut(FtpSession session) {
            Side side = new Side(session);
            side.timedOut = true;
            return side;
        }

        /** A side whose reply reader died with {@code cause}. */
        static Side failed(FtpSession session, Throwable cause) {
            Side side = new Side(session);
            side.error = new FtpException(session.site().name(), String.valueOf(cause), cause);
            return side;
        }

        boolean ok() {
            return finalReply != null && finalReply.isPositive();
        }

        /** What this side said, for messages. */
        String describe() {
            String who = session.site().name();
            if (error != null) {
                return error.getMessage();
            }
            if (timedOut) {
                return who + " sent no final reply in time";
            }
            if (finalReply == null) {
                return who + " did not answer";
            }
            return who + " answered \"" + finalReply + "\"" + (preliminaryAsFinal
                    ? " (a preliminary 1xx code as its final reply: its data connection dropped)" : "");
        }
    }

    /** One FXP attempt; returns null on success (both 2xx), else who refused. */
    private Refusal fxp(Strategy strategy, String sourcePath, String destinationPath) throws TransferException {
        boolean sourcePassive = strategy.passiveSide() == PassiveSide.SOURCE;
        String sscnSide = prepareTls();
        FtpSession passive = sourcePassive ? source : destination;
        FtpSession active = sourcePassive ? destination : source;
        String passiveCommand = sourcePassive ? "RETR " + sourcePath : "STOR " + destinationPath;
        String activeCommand = sourcePassive ? "STOR " + destinationPath : "RETR " + sourcePath;
        note("FXP: " + strategy + (sscnSide == null ? "" : ", " + sscnSide + " is TLS client (SSCN)"));
        try {
            String listen = strategy.extended() ? "EPSV" : "PASV";
            FtpReply pr = passive.execute(listen);
            DataAddress address = strategy.extended() ? DataAddress.fromEpsv(pr, passive.remoteAddress())
                    : DataAddress.fromPasv(pr, passive.remoteAddress(), passive.site().passiveAddressPolicy());
            if (address == null) {
                String what = pr.isPositive() ? "(malformed reply to " + listen + ")" : listen;
                return Refusal.of(passive, true, listen.equals("PASV") ? "to listen with PASV " + what
                        : "to listen with EPSV " + what, pr.toString());
            }
            FtpReply ar = active.execute(address.activeCommand(strategy.extended()));
            if (!ar.isPositive()) {
                return Refusal.of(active, false, (strategy.extended() ? "EPRT" : "PORT") + " to a foreign address",
                        ar.toString());
            }
            checkCancelled();
            aborted.clear();
            running = new FtpSession[] {active, passive};
            active.send(activeCommand);
            passive.send(passiveCommand);
            // No attempt outlives the accept and transfer timeouts, whatever the servers do.
            long deadline = System.nanoTime() + options.acceptTimeout().toNanos() + options.transferTimeout().toNanos();
            Future<Side> af = READERS.submit(() -> readSide(active, deadline));
            Future<Side> pf = READERS.submit(() -> readSide(passive, deadline));
            Side a;
            Side p;
            try {
                Future<Side> first = awaitFirst(af, pf, active, passive, deadline);
                Side firstSide = getDone(first, first == af ? active : passive);
                Future<Side> other = first == af ? pf : af;
                if (!firstSide.ok() && !other.isDone()) {
                    // One side failed: the other will not finish on its own soon.
                    abort(first == af ? passive : active);
                }
                // Once one side is done, the data connection is over: the other side answers at
                // once (a reply timeout at most), or after ABOR within the drain time.
                FtpSession otherSession = first == af ? passive : active;
                Duration settle = max(options.acceptTimeout(), otherSession.site().timeouts().reply());
                Side otherSide = awaitBounded(other, firstSide.ok() && !cancelled ? settle
                        : options.drainTimeout(), otherSession);
                a = first == af ? firstSide : otherSide;
                p = first == af ? otherSide : firstSide;
            } finally {
                running = new FtpSession[0];
            }
            if (cancelled) {
                recover(a, true);
                recover(p, true);
                throw cancelledException();
            }
            if (a.ok() && p.ok()) {
                return null;
            }
            return classify(a, p, passive, active, sourcePassive);
        } catch (FtpException e) {
            throw connectionFailure(e);
        } finally {
            restoreTls();
        }
    }

    private void abort(FtpSession s) {
        aborted.add(s);
        s.abortNow();
    }

    /**
     * Reads a side's replies to its transfer command: the first within the accept timeout, the
     * final one before {@code deadline}. A second preliminary reply is taken as the final one, and
     * as a failure: pure-ftpd answers "150 ... seconds (measured here)" when its data connection
     * drops, and waiting for another reply would wait for the whole transfer timeout.
     */
    private Side readSide(FtpSession s, long deadline) {
        Side side = new Side(s);
        try {
            FtpReply r = s.readReply(until(deadline, options.acceptTimeout()));
            if (r.isPreliminary()) {
                side.started = true;
                r = s.readReply(until(deadline, options.transferTimeout()));
                side.preliminaryAsFinal = r.isPreliminary();
            }
            side.finalReply = r;
        } catch (ReplyTimeoutException e) {
            side.timedOut = true;
        } catch (FtpException e) {
            side.error = e;
        }
        return side;
    }

    private static Side getDone(Future<Side> f, FtpSession s) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Side.timedOut(s);
        } catch (ExecutionException e) {
            return Side.failed(s, e.getCause());
        }
    }

    /** Waits until either side's reader finishes; after a cancel, at most the drain time, then closes both. */
    private Future<Side> awaitFirst(Future<Side> a, Future<Side> b, FtpSession as, FtpSession bs, long deadline) {
        long cancelDeadline = Long.MAX_VALUE;
        while (true) {
            if (a.isDone()) {
                return a;
            }
            if (b.isDone()) {
                return b;
            }
            if (cancelled && cancelDeadline == Long.MAX_VALUE) {
                cancelDeadline = System.nanoTime() + options.drainTimeout().toNanos();
            }
            if (cancelDeadline == Long.MAX_VALUE && System.nanoTime() - deadline > 1_000_000_000L) {
                // Past the transfer timeout and the readers still run (a server trickling bytes):
                // close both connections like an unanswered cancel.
                cancelDeadline = System.nanoTime();
            }
            if (System.nanoTime() > cancelDeadline) {
                // Neither server answered ABOR in time: drop both connections; the readers end with errors.
                as.markBroken();
                as.close();
                bs.markBroken();
                bs.close();
                cancelDeadline = Long.MAX_VALUE - 1;
            }
            try {
                a.get(20, TimeUnit.MILLISECONDS);
                return a;
            } catch (TimeoutException | ExecutionException e) {
                // poll the other one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
            }
        }
    }

    /** Waits for a side's reader; if it does not finish in time, closes its session so the reader ends. */
    private Side awaitBounded(Future<Side> f, Duration limit, FtpSession s) {
        try {
            long deadline = System.nanoTime() + limit.toNanos();
            boolean sawCancel = cancelled;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                try {
                    return f.get(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                } catch (TimeoutException slice) {
                    if (cancelled && !sawCancel) {
                        // Cancelled while a long transfer runs: give the server only the drain time to answer ABOR.
                        sawCancel = true;
                        deadline = Math.min(deadline, System.nanoTime() + options.drainTimeout().toNanos());
                    }
                }
            }
        } catch (TimeoutException e) {
            s.markBroken();
            s.close();
            try {
                return f.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e2) {
                return Side.timedOut(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            return Side.timedOut(s);
        } catch (ExecutionException e) {
            return Side.failed(s, e.getCause());
        }
    }

    private Refusal classify(Side a, Side p, FtpSession passive, FtpSession active, boolean sourcePassive)
            throws TransferException {
        // A file that is missing or may not be written is not an FXP refusal: reversing won't help.
        for (Side s : List.of(a, p)) {
            if (s.finalReply != null && isHardFileError(s.finalReply.code())) {
                recover(a, !a.ok() || a.finalReply == null);
                recover(p, !p.ok() || p.finalReply == null);
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, s.session.site().name(),
                        s.session.site().name() + " refused " + (s.session == source ? "RETR" : "STOR") + ": "
                                + s.finalReply.text());
            }
        }
        boolean passiveRefused = p.finalReply != null && p.finalReply.code() == 425;
        if (a.preliminaryAsFinal || p.preliminaryAsFinal || (a.started && p.started && !passiveRefused)) {
            // Both servers had started: FXP itself worked, and the data connection broke (or a server
            // died) during the transfer. Not a refusal: reversing the roles would not help.
            String msg = "the transfer broke off: " + a.describe() + "; " + p.describe();
            note(msg);
            for (Side s : List.of(a, p)) {
                try {
                    recover(s, !s.ok() || s.finalReply == null);
                } catch (TransferException e) {
                    note(e.getMessage());
                }
            }
            Side culprit = a.error != null || a.timedOut ? a : p.error != null || p.timedOut ? p
                    : a.preliminaryAsFinal ? a : p.preliminaryAsFinal ? p : !a.ok() ? a : p;
            throw new TransferException(TransferException.Reason.CONNECTION, culprit.session.site().name(), msg,
                    culprit.error);
        }
        Refusal refusal;
        boolean activeNeverStarted = !a.started && a.finalReply != null && !a.ok();
        if (!p.started && !(activeNeverStarted && !p.timedOut)) {
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
            String why = s.error != null ? s.error.getMessage() : "unknown failure";
            recover(a, true);
            recover(p, true);
            throw new TransferException(TransferException.Reason.CONNECTION, s.session.site().name(), why, s.error);
        }
        recover(a, a.finalReply == null);
        recover(p, p.finalReply == null);
        return refusal;
    }

    private static boolean isHardFileError(int code) {
        return code == 550 || code == 553 || code == 552 || code == 551 || code == 530 || code == 532 || code == 452;
    }

    /**
     * Brings a side back in step: if its transfer reply is still outstanding, ABOR and
     * drain; if it stays silent or broke, reconnect.
     */
    private void recover(Side side, boolean abort) throws TransferException {
        FtpSession s = side.session;
        boolean inStep = s.isConnected() && side.error == null;
        if (inStep && (abort || side.timedOut) && !aborted.contains(s)) {
            abort(s);
        }
        if (inStep && aborted.contains(s)) {
            inStep = s.resync(options.drainTimeout());
        }
        if (!inStep) {
            note(s.site().name() + " did not settle after the refused transfer: reconnecting");
            try {
                FtpSession fresh = s.reopen();
                if (s == source) {
                    source = fresh;
                } else {
                    destination = fresh;
                }
            } catch (FtpException e) {
                throw new TransferException(TransferException.Reason.CONNECTION, s.site().name(),
                        "cannot reconnect to " + s.site().name() + ": " + e.getMessage(), e);
            }
        }
    }

    // ---- TLS ------------------------------------------------------------------------------------

    private FtpSession sscnOn;
    private final List<FtpSession> clearedForFxp = new ArrayList<>();

    /**
     * Protected FXP data needs one server to be the TLS client: SSCN where offered (tried on
     * either side). Without it, clear data only if the user allowed it.
     */
    private String prepareTls() throws TransferException {
        sscnOn = null;
        clearedForFxp.clear();
        boolean sp = source.isDataProtected();
        boolean dp = destination.isDataProtected();
        if (!sp && !dp) {
            return null;
        }
        try {
            if (sp && dp) {
                for (FtpSession s : List.of(destination, source)) {
                    if (s.hasFeature("SSCN")) {
                        FtpReply r = s.execute("SSCN ON");
                        if (r.isPositive()) {
                            sscnOn = s;
                            return s.site().name();
                        }
                    }
                }
            }
            if (!options.clearDataAllowed()) {
                String msg = tlsImpossibleMessage(sp, dp);
                note(msg);
                throw new TransferException(TransferException.Reason.TLS_FXP_IMPOSSIBLE, null, msg);
            }
            for (FtpSession s : List.of(source, destination)) {
                if (s.isDataProtected()) {
                    s.setDataProtection(false);
                    clearedForFxp.add(s);
                }
            }
            note("FXP data goes unprotected (PROT C), as allowed");
            return null;
        } catch (FtpException e) {
            throw connectionFailure(e);
        }
    }

    private String tlsImpossibleMessage(boolean sp, boolean dp) {
        if (sp && dp) {
            return "protected FXP is impossible: neither " + describe(source) + " nor " + describe(destination)
                    + " can act as TLS client for the data connection (no SSCN or CPSV); allow clear FXP data"
                    + " (PROT C) or relay through this client";
        }
        FtpSession plain = sp ? destination : source;
        return "protected FXP is impossible: " + describe(plain) + " does not use TLS; allow clear FXP data (PROT C)"
                + " or relay through this client";
    }

    private static String describe(FtpSession s) {
        ServerKind k = ServerKind.recognise(s.greeting(), null);
        String name = s.site().name();
        boolean named = name.toLowerCase(java.util.Locale.ROOT).contains(k.label.toLowerCase(java.util.Locale.ROOT));
        return (k == ServerKind.UNKNOWN || named ? "" : k.label + " ") + name;
    }

    private void restoreTls() {
        try {
            if (sscnOn != null && sscnOn.isConnected()) {
                sscnOn.execute("SSCN OFF");
            }
            for (FtpSession s : clearedForFxp) {
                if (s.isConnected()) {
                    s.setDataProtection(true);
                }
            }
        } catch (FtpException e) {
            // the session is marked broken; the next use reconnects or fails clearly
        } finally {
            sscnOn = null;
            clearedForFxp.clear();
        }
    }

    // ---- relay ----------------------------------------------------------------------------------

    private void relay(String sourcePath, String destinationPath, long size, TransferListener listener)
            throws TransferException {
        note("relaying " + sourcePath + " through this client");
        ensureConnected();
        InputStream in = null;
        OutputStream out = null;
        long moved = 0;
        try {
            in = source.retrieve(sourcePath, 0);
            try {
                out = destination.store(destinationPath, false);
            } catch (FtpException e) {
                closeQuietly(in);
                finishQuietly(source);
                throw e;
            }
            running = new FtpSession[0];
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0;) {
                if (cancelled) {
                    break;
                }
                out.write(buf, 0, n);
                moved += n;
                listener.bytesTransferred(moved, size);
            }
            out.close();
            out = null;
            in.close();
            in = null;
            if (cancelled) {
                finishQuietly(destination);
                finishQuietly(source);
                throw cancelledException();
            }
            destination.finishTransfer();
            source.finishTransfer();
        } catch (TransferException e) {
            throw e;
        } catch (FtpException e) {
            throw connectionOrRefusal(e);
        } catch (IOException e) {
            source.markBroken();
            destination.markBroken();
            throw new TransferException(TransferException.Reason.CONNECTION, null,
                    "relay broke after " + moved + " bytes: " + e.getMessage(), e);
        } finally {
            closeQuietly(out);
            closeQuietly(in);
        }
    }

    private void ensureConnected() throws TransferException {
        try {
            source = source.reopenIfClosed();
            destination = destination.reopenIfClosed();
        } catch (FtpException e) {
            throw connectionFailure(e);
        }
    }

    private static void finishQuietly(FtpSession s) {
        try {
            s.finishTransfer();
        } catch (FtpException e) {
            // the transfer was abandoned on purpose
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    // ---- verification ---------------------------------------------------------------------------

    private long sourceSize(String sourcePath) throws TransferException {
        try {
            long size = source.size(sourcePath);
            if (size < 0) {
                FtpReply r = source.lastReply();
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, source.site().name(),
                        source.site().name() + " has no file " + sourcePath + " (SIZE: " + r.text() + ")");
            }
            return size;
        } catch (FtpException e) {
            throw connectionFailure(e);
        }
    }

    /** Returns how the content was checked; throws unless the destination is complete and equal. */
    private String verify(String sourcePath, String destinationPath, long sourceSize) throws TransferException {
        try {
            long destSize = destination.size(destinationPath);
            if (destSize != sourceSize) {
                String msg = "incomplete: " + destination.site().name() + " has " + (destSize < 0 ? "no file"
                        : destSize + " bytes") + " at " + destinationPath + ", the source has " + sourceSize + " bytes";
                note(msg);
                throw new TransferException(TransferException.Reason.VERIFY_FAILED, destination.site().name(), msg);
            }
            String method = ContentCheck.commonServerHash(source, destination);
            String check;
            String a;
            String b;
            if (method != null) {
                a = ContentCheck.serverHash(source, method, sourcePath);
                b = ContentCheck.serverHash(destination, method, destinationPath);
                check = method;
            } else if (options.verify()) {
                a = ContentCheck.clientSha256(source, sourcePath);
                b = ContentCheck.clientSha256(destination, destinationPath);
                check = "SHA-256 read through this client";
            } else {
                return "SIZE";
            }
            if (!a.equals(b)) {
                String msg = "content differs: " + check + " is " + a + " on " + source.site().name() + " but " + b
                        + " on " + destination.site().name();
                note(msg);
                throw new TransferException(TransferException.Reason.VERIFY_FAILED, destination.site().name(), msg);
            }
            return "SIZE and " + check;
        } catch (FtpException e) {
            throw connectionFailure(e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void checkCancelled() throws TransferException {
        if (cancelled) {
            throw cancelledException();
        }
    }

    private TransferException cancelledException() {
        note("cancelled");
        return new TransferException(TransferException.Reason.CANCELLED, null, "cancelled");
    }

    private TransferException connectionFailure(FtpException e) {
        TransferException.Reason reason = e.reply() == null ? TransferException.Reason.CONNECTION
                : TransferException.Reason.SERVER_REFUSED;
        if (e.reply() == null && e.getMessage() != null && e.getMessage().startsWith("refused before sending")) {
            reason = TransferException.Reason.INVALID_NAME;
        }
        return new TransferException(reason, e.site(), e.getMessage(), e);
    }

    private TransferException connectionOrRefusal(FtpException e) {
        return connectionFailure(e);
    }

    private void note(String text) {
        notes.add(text);
        source.note(text);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** What is left until {@code deadline}, at most {@code limit}, at least 1 ms. */
    private static Duration until(long deadline, Duration limit) {
        long left = Math.max(1_000_000L, deadline - System.nanoTime());
        return Duration.ofNanos(Math.min(left, limit.toNanos()));
    }

    private static String seconds(Duration d) {
        return (d.toMillis() % 1000 == 0 ? String.valueOf(d.toSeconds()) : String.valueOf(d.toMillis() / 1000.0)) + " s";
    }
}
