package io.sitebridge.transfer.queue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.ReplyTimeoutException;
import io.sitebridge.transfer.ContentCheck;
import io.sitebridge.transfer.DataAddress;
import io.sitebridge.transfer.FxpTransfer;
import io.sitebridge.transfer.PassiveSide;
import io.sitebridge.transfer.Strategy;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferMethod;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.TransferResult;

/**
 * One attempt at one file of the queue, on a pair of pooled sessions.
 *
 * <p>The first file of a site pair goes through the {@link FxpTransfer} engine, which finds what
 * works (FXP either way round, or relay) and remembers it. Later files whose pair is known to
 * work by plain FXP take a short path with no round trip that is not needed: no SIZE on the
 * source (the listing gave it), no TYPE/FEAT/CWD (the session did them once), just PASV, PORT,
 * both transfer commands, both replies and one SIZE on the destination. That path also resumes:
 * {@code REST n} on the source, and {@code REST n} + {@code STOR} (or {@code APPE} where REST is
 * refused) on the destination. Anything unusual (a refusal, TLS data, a relay) goes back to the
 * engine, which restarts the file from its beginning.
 *
 * <p>{@link #cancel()} and {@link #stall()} may be called from any thread: ABOR on both sides, and
 * if the servers do not answer within the drain timeout their connections are closed, so the
 * attempt always ends.
 */
final class FileCopier {
    private final TransferOptions options;
    private final StrategyMemory memory;
    private FtpSession source;
    private FtpSession destination;
    private volatile FtpSession[] running = new FtpSession[0];
    private volatile FxpTransfer engine;
    private volatile boolean cancelled;
    private volatile boolean stalled;
    private volatile String stallText = "";

    FileCopier(FtpSession source, FtpSession destination, TransferOptions options, StrategyMemory memory) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.memory = memory;
    }

    FtpSession source() { return source; }

    FtpSession destination() { return destination; }

    /** What the attempt did, for the item's reason when done. */
    record Outcome(String how, String check) { }

    /**
     * Copies {@code sourcePath} (of {@code size} bytes) to {@code destinationPath}, sending only
     * the bytes from {@code offset} on when the short path can (the destination then already
     * holds exactly {@code offset} bytes of this file).
     *
     * @param relayed gets the bytes moved when the data passes through this client
     */
    Outcome copy(String sourcePath, String destinationPath, long size, long offset, LongConsumer relayed)
            throws AttemptFailure {
        Strategy known = memory.lookup(source.site(), destination.site()).orElse(null);
        boolean fast = (known == null || known.method() == TransferMethod.FXP) && options.fxpAllowed()
                && source.site().fxpAllowed() && destination.site().fxpAllowed() && !options.verify()
                && !source.isDataProtected() && !destination.isDataProtected();
        if (fast) {
            try {
                if (known == null) {
                    // Nothing known for this pair yet: try the usual FXP; any trouble goes to the engine.
                    Strategy guess = Strategy.fxp(options.firstPassiveSide(), extendedWanted());
                    Outcome o = fxp(guess, sourcePath, destinationPath, size, offset, true);
                    memory.remember(source.site(), destination.site(), guess);
                    return o;
                }
                return fxp(known, sourcePath, destinationPath, size, offset, false);
            } catch (Refused r) {
                source.note("plain FXP did not work (" + r.getMessage() + "): the engine finds another way");
                memory.forget(source.site(), destination.site());
                try {
                    source = source.reopenIfClosed();
                    destination = destination.reopenIfClosed();
                } catch (FtpException e) {
                    throw connection(e);
                }
            }
        } else if (offset > 0) {
            source.note("resuming needs plain FXP; this file restarts from its beginning");
        }
        return viaEngine(sourcePath, destinationPath, size, relayed);
    }

    /** ABOR both sides; the attempt ends as CANCELLED. */
    void cancel() {
        cancelled = true;
        interrupt();
    }

    /** The destination stopped growing: ABOR both sides; the attempt ends as a transient failure. */
    void stall(String text) {
        stallText = text;
        stalled = true;
        interrupt();
    }

    private void interrupt() {
        FxpTransfer e = engine;
        if (e != null) {
            e.cancel();
        }
        FtpSession[] now = running;
        for (FtpSession s : now) {
            s.abortNow();
        }
        if (now.length > 0) {
            // A server that ignores ABOR (or is frozen) would keep the attempt waiting for its reply.
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(options.drainTimeout().toMillis());
                } catch (InterruptedException ex) {
                    return;
                }
                if (running == now) {
                    for (FtpSession s : now) {
                        s.markBroken();
                        s.close();
                    }
                }
            });
        }
    }

    // ---- the short path ---------------------------------------------------------------------------

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private boolean extendedWanted() {
        if (options.dataMode() != DataConnectionMode.AUTO) {
            return options.dataMode() == DataConnectionMode.EPSV_EPRT;
        }
        return source.site().dataConnectionMode() == DataConnectionMode.EPSV_EPRT
                || destination.site().dataConnectionMode() == DataConnectionMode.EPSV_EPRT;
    }

    /**
     * @param guess the strategy is not known to work for this pair: a failure of the transfer
     *              itself (not of the file) means "refused", for the engine to sort out
     */
    private Outcome fxp(Strategy strategy, String sourcePath, String destinationPath, long size, long offset,
            boolean guess) throws AttemptFailure, Refused {
        boolean sourcePassive = strategy.passiveSide() == PassiveSide.SOURCE;
        FtpSession passive = sourcePassive ? source : destination;
        FtpSession active = sourcePassive ? destination : source;
        boolean ext = strategy.extended() || source.isIpv6() || destination.isIpv6();
        try {
            FtpReply pr = passive.execute(ext ? "EPSV" : "PASV");
            String port = activeCommand(pr, passive, ext);
            if (port == null) {
                throw new Refused(passive.site().name() + ": " + pr);
            }
            if (!guess && offset == 0) {
                return pipelined(strategy, active, passive, port, sourcePassive, sourcePath, destinationPath, size);
            }
            FtpReply ar = active.execute(port);
            if (!ar.isPositive()) {
                throw new Refused(active.site().name() + ": " + ar);
            }
            boolean append = false;
            if (offset > 0) {
                FtpReply rs = source.execute("REST " + offset);
                if (rs.code() != 350) {
                    source.note("REST refused: this file restarts from its beginning");
                    offset = 0;
                } else {
                    FtpReply rd = destination.execute("REST " + offset);
                    append = rd.code() != 350; // APPE adds to the offset bytes already there
                }
                if (offset > 0) {
                    source.note("resuming at byte " + offset + " of " + size);
                }
            }
            String retr = "RETR " + sourcePath;
            String stor = (append ? "APPE " : "STOR ") + destinationPath;
            checkInterrupted(passive, active);
            FtpSession[] both = {active, passive};
            running = both;
            try {
                active.send(sourcePassive ? stor : retr);
                passive.send(sourcePassive ? retr : stor);
                Side[] sides = readBoth(active, passive);
                Side a = sides[0];
                Side p = sides[1];
                if (!a.ok() || !p.ok()) {
                    AttemptFailure f = failure(a, p);
                    if (guess && f.kind == AttemptFailure.Kind.TRANSIENT && !a.lost && !p.lost) {
                        throw new Refused(f.getMessage());
                    }
                    throw f;
                }
            } finally {
                running = new FtpSession[0];
            }
            return new Outcome((offset > 0 ? "resumed at " + offset + ", " : "") + strategy, verify(sourcePath,
                    destinationPath, size));
        } catch (FtpException e) {
            throw connection(e);
        }
    }

    /**
     * A pair known to work, from the beginning of the file: PORT and the active side's transfer
     * command go in one burst, the passive side's transfer command at the same time, and the replies
     * are read afterwards; one round trip fewer per file than waiting for PORT's 200. Should PORT be
     * refused after all, the active side's transfer command fails for want of an address, the passive
     * side is aborted, and the pair goes back to the engine as before.
     */
    private Outcome pipelined(Strategy strategy, FtpSession active, FtpSession passive, String port,
            boolean sourcePassive, String sourcePath, String destinationPath, long size)
            throws AttemptFailure, Refused, FtpException {
        String retr = "RETR " + sourcePath;
        String stor = "STOR " + destinationPath;
        checkInterrupted(passive, active);
        FtpSession[] both = {active, passive};
        running = both;
        try {
            active.send(port);
            active.send(sourcePassive ? stor : retr);
            passive.send(sourcePassive ? retr : stor);
            FtpReply ar;
            try {
                ar = active.readReply(options.acceptTimeout());
            } catch (FtpException e) {
                passive.abortNow();
                settle(read(passive), true);
                active.markBroken();
                throw e;
            }
            if (!ar.isPositive()) {
                passive.abortNow(); // it waits for a data connection that will not come
                Side a = read(active); // the transfer command's refusal
                Side p = read(passive);
                running = new FtpSession[0];
                settle(a, true);
                settle(p, true);
                checkInterrupted(passive, active);
                throw new Refused(active.site().name() + ": " + ar);
            }
            Side[] sides = readBoth(active, passive);
            if (!sides[0].ok() || !sides[1].ok()) {
                throw failure(sides[0], sides[1]);
            }
        } finally {
            running = new FtpSession[0];
        }
        // One SIZE per file, right after the 226s. Confirming a folder's files with one MLSD instead
        // (4.05 commands per file) measured slower: proftpd spends ~36 us per listed entry and the
        // growing folder is listed again per batch, against ~60 us of its CPU and ~0.1 ms per SIZE.
        return new Outcome(strategy.toString(), verify(sourcePath, destinationPath, size));
    }

    /**
     * Reads both sides' replies to their transfer commands (the active side first); when one side
     * refuses, the other is aborted rather than left waiting for a data connection that will not
     * come. Then drains or gives up both sessions, and throws if the attempt was cancelled or stalled.
     *
     * @return the active side, then the passive side
     */
    private Side[] readBoth(FtpSession active, FtpSession passive) throws AttemptFailure {
        Side a = read(active);
        if (!a.ok() && a.reply != null && !interrupted()) {
            passive.abortNow(); // it waits for a data connection that will not come
        }
        Side p = read(passive);
        if (!p.ok() && p.reply != null && !a.done() && !interrupted()) {
            active.abortNow();
        }
        running = new FtpSession[0];
        boolean failed = !a.ok() || !p.ok();
        settle(a, failed);
        settle(p, failed);
        checkInterrupted(passive, active);
        return new Side[] {a, p};
    }

    private boolean interrupted() {
        return cancelled || stalled;
    }

    private void checkInterrupted(FtpSession... sessions) throws AttemptFailure {
        if (cancelled) {
            throw new AttemptFailure(AttemptFailure.Kind.CANCELLED, "cancelled");
        }
        if (stalled) {
            throw AttemptFailure.transientFailure(stallText);
        }
    }

    /** What one side answered to its transfer command. */
    private static final class Side {
        final FtpSession session;
        FtpReply reply;
        String problem;
        /** The connection dropped (not a refusal). */
        boolean lost;

        Side(FtpSession session) {
            this.session = session;
        }

        boolean ok() { return reply != null && reply.isPositive(); }

        boolean done() { return reply != null && !reply.isPreliminary(); }
    }

    private Side read(FtpSession s) {
        Side side = new Side(s);
        try {
            FtpReply r = s.readReply(options.acceptTimeout());
            while (r.isPreliminary()) {
                side.reply = r;
                r = s.readReply(options.transferTimeout());
            }
            side.reply = r;
        } catch (ReplyTimeoutException e) {
            side.problem = s.site().name() + " sent no reply in time";
        } catch (FtpException e) {
            side.problem = e.getMessage();
            side.lost = true;
        } catch (RuntimeException e) {
            // commons-net, when another thread closed the connection under it (stall, cancel)
            side.problem = s.site().name() + ": connection closed (" + e.getClass().getSimpleName() + ")";
            side.lost = true;
        }
        return side;
    }

    /** After a failed or interrupted transfer: drain what is left (ABOR replies), or give the session up. */
    private void settle(Side side, boolean failed) {
        FtpSession s = side.session;
        if (side.problem != null || !s.isConnected()) {
            s.markBroken();
            return;
        }
        if (failed || interrupted()) {
            if (!side.done()) {
                s.abortNow();
            }
            if (!s.resync(options.drainTimeout())) {
                s.markBroken();
            }
        }
    }

    private AttemptFailure failure(Side a, Side p) {
        for (Side s : new Side[] {a, p}) {
            if (s.reply != null && s.done() && !s.ok()) {
                int code = s.reply.code();
                boolean permanent = code == 550 || code == 551 || code == 552 || code == 553 || code == 530
                        || code == 532;
                String what = s.session == source ? "RETR" : "STOR";
                return new AttemptFailure(permanent ? AttemptFailure.Kind.PERMANENT : AttemptFailure.Kind.TRANSIENT,
                        s.session.site().name() + " refused " + what + ": " + s.reply.text());
            }
        }
        Side s = a.problem != null ? a : p;
        return AttemptFailure.transientFailure(s.problem != null ? s.problem : "transfer did not finish");
    }

    /** The PORT or EPRT command for the active side, or null when the passive reply gives no address. */
    private static String activeCommand(FtpReply reply, FtpSession passive, boolean ext) {
        InetAddress control = passive.remoteAddress();
        DataAddress address = ext ? DataAddress.fromEpsv(reply, control)
                : DataAddress.fromPasv(reply, control, passive.site().passiveAddressPolicy());
        return address == null ? null : address.activeCommand(ext);
    }

    // ---- checks -------------------------------------------------------------------------------------

    /** Done only when the destination has every byte (SIZE), and the same digest where both offer one. */
    private String verify(String sourcePath, String destinationPath, long size) throws AttemptFailure, FtpException {
        long have = destination.size(destinationPath);
        if (have != size) {
            throw AttemptFailure.transientFailure("incomplete: " + destination.site().name() + " has "
                    + (have < 0 ? "no file" : have + " bytes") + " at " + destinationPath + " of " + size);
        }
        String method = ContentCheck.commonServerHash(source, destination);
        if (method == null) {
            return "SIZE";
        }
        String a = ContentCheck.serverHash(source, method, sourcePath);
        String b = ContentCheck.serverHash(destination, method, destinationPath);
        // The queue has always called the HASH command just "HASH" in its outcomes.
        String name = method.equals("HASH SHA-256") ? "HASH" : method;
        if (!a.equals(b)) {
            // Our own copy is wrong somewhere: start it over rather than resume it.
            try {
                destination.delete(destinationPath);
            } catch (FtpException e) {
                // the next attempt overwrites it anyway
            }
            throw AttemptFailure.transientFailure("content differs: " + name + " " + a + " on "
                    + source.site().name() + ", " + b + " on " + destination.site().name());
        }
        return "SIZE and " + name;
    }

    /** Checks a destination that may already be complete (after a crash): SIZE and, if offered, a digest. */
    String checkComplete(String sourcePath, String destinationPath, long size) throws AttemptFailure {
        try {
            return verify(sourcePath, destinationPath, size);
        } catch (FtpException e) {
            throw connection(e);
        }
    }

    // ---- the engine ---------------------------------------------------------------------------------

    private Outcome viaEngine(String sourcePath, String destinationPath, long size, LongConsumer relayed)
            throws AttemptFailure {
        FxpTransfer t = new FxpTransfer(source, destination, options, memory);
        engine = t;
        if (interrupted()) {
            t.cancel();
        }
        try {
            TransferResult r = t.copy(sourcePath, destinationPath, new TransferListener() {
                @Override
                public void bytesTransferred(long bytes, long total) {
                    relayed.accept(bytes);
                }
            });
            return new Outcome(r.strategy().toString(), r.contentCheck());
        } catch (TransferException e) {
            if (stalled) {
                throw AttemptFailure.transientFailure(stallText);
            }
            throw classify(e);
        } finally {
            engine = null;
            source = t.source();
            destination = t.destination();
        }
    }

    private static AttemptFailure classify(TransferException e) {
        String m = e.getMessage();
        AttemptFailure f = switch (e.reason()) {
            case CANCELLED -> new AttemptFailure(AttemptFailure.Kind.CANCELLED, "cancelled");
            case CONNECTION, VERIFY_FAILED -> AttemptFailure.transientFailure(m);
            case SERVER_REFUSED -> e.getCause() instanceof FtpException fe && fe.reply() != null
                    ? AttemptFailure.byCode(fe.code(), m) : transientIf4xx(m);
            default -> AttemptFailure.permanent(m);
        };
        return new AttemptFailure(f.kind, e.reason(), f.getMessage());
    }

    /** The engine words refusals as "... refused RETR: 450 ..."; 4xx is worth another try. */
    private static AttemptFailure transientIf4xx(String m) {
        Matcher c = Pattern.compile(": ([45])\\d\\d[ -]").matcher(m == null ? "" : m);
        return c.find() && c.group(1).equals("4") ? AttemptFailure.transientFailure(m) : AttemptFailure.permanent(m);
    }

    static AttemptFailure connection(FtpException e) {
        if (e.reply() != null) {
            return AttemptFailure.byCode(e.code(), e.getMessage());
        }
        if (e.getMessage() != null && e.getMessage().startsWith("refused before sending")) {
            return AttemptFailure.permanent(e.getMessage());
        }
        return AttemptFailure.transientFailure(e.getMessage());
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
