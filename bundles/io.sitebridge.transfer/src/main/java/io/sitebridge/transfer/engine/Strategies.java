package io.sitebridge.transfer.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.Site;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.Strategy;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferMethod;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.verify.ContentCheck;

/**
 * Which strategy moves a file's bytes, tried in turn. With this computer on one side it is an
 * upload or a download. Between two sites: first what worked last time for the pair
 * ({@link StrategyMemory}), then FXP with the preferred server listening, then the roles the other
 * way round, then relaying through this client when the user allows it. A refusal moves on to the
 * next strategy; so does protected FXP that neither server can do (no SSCN or CPSV), when relaying
 * is allowed. When nothing works, the error names each refusing server and the setting that
 * allows FXP on it.
 */
final class Strategies {
    private final Place source;
    private final Place destination;
    private final TransferOptions options;
    private final StrategyMemory memory;
    private final Interruption stop;
    private final Consumer<String> notes;

    Strategies(Place source, Place destination, TransferOptions options, StrategyMemory memory, Interruption stop,
            Consumer<String> notes) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.memory = memory;
        this.stop = stop;
        this.notes = notes;
    }

    private boolean remotePair() {
        return source instanceof RemotePlace && destination instanceof RemotePlace;
    }

    private Site site(Place p) {
        return p.session().site();
    }

    /** Whether a copy can continue from an offset: REST (or a local file) on both sides. */
    boolean canResume() {
        return source.canResume() && destination.canResume();
    }

    /**
     * Moves the bytes from {@code offset} on; returns the strategy that did. With {@code arrival}
     * (or null), an FXP copy with commands sent ahead may leave the destination's final reply
     * owed to it ({@link Arrival#deferred}).
     */
    Strategy move(String sourcePath, String workPath, long size, long offset, TransferListener listener,
            Arrival arrival) throws TransferException {
        if (!remotePair()) {
            Strategy s = source instanceof LocalPlace ? Strategy.upload() : Strategy.download();
            listener.attempt(s, workPath, offset);
            new StreamCopy(source, destination, stop).copy(sourcePath, workPath, size, offset, listener);
            return s;
        }
        RemotePlace src = (RemotePlace) source;
        RemotePlace dst = (RemotePlace) destination;
        memory.preparePipelining(src.session());
        memory.preparePipelining(dst.session());
        Strategy known = memory.lookup(site(src), site(dst)).orElse(null);
        List<Strategy> plan = plan(known);
        List<Refusal> refusals = new ArrayList<>();
        TransferException tls = null;
        for (int k = 0; k < plan.size(); k++) {
            Strategy s = plan.get(k);
            stop.check();
            if (s.method() == TransferMethod.RELAY) {
                if (!refusals.isEmpty() || tls != null) {
                    notes.accept("falling back to relaying the data through this client");
                }
                reconnect();
                listener.attempt(s, workPath, offset);
                new StreamCopy(source, destination, stop).copy(sourcePath, workPath, size, offset, listener);
                return s;
            }
            listener.attempt(s, workPath, offset);
            Refusal refusal;
            FxpAttempt attempt = new FxpAttempt(src, dst, options, options.clearDataAllowed()
                    || memory.clearDataAllowed(site(src), site(dst)), stop, notes);
            try {
                refusal = attempt.run(s, sourcePath, workPath, offset, s.equals(known), arrival);
            } catch (TransferException e) {
                if (e.reason() != TransferException.Reason.TLS_FXP_IMPOSSIBLE) {
                    throw e;
                }
                tls = e; // the other arrangement may work (CPSV on the other server), or relaying
                continue;
            }
            if (refusal == null) {
                return s;
            }
            refusals.add(refusal);
            notes.accept("FXP refused: " + refusal.describe()
                    + (refusal.remedy() == null ? "" : "; " + refusal.remedy()));
            if (refusal.nothingAnswered() && attempt.announcedElsewhere() && !s.announced()) {
                plan.add(k + 1, s.viaAnnouncedAddress()); // next: where it says its data port is
            } else if (refusal.commandUnknown() && !ipv6()) {
                Strategy other = Strategy.fxp(s.passiveSide(), !s.extended()); // EPSV for PASV, EPRT for PORT
                if (!plan.subList(0, k + 1).contains(other)) {
                    plan.remove(other);
                    plan.add(k + 1, other);
                }
            }
            if (s.equals(known)) {
                memory.forget(site(src), site(dst));
            }
            if (offset > 0) {
                long have = destination.size(workPath); // a refused attempt may have touched it
                offset = have >= 0 && have <= offset ? have : 0;
            }
        }
        if (tls != null && refusals.isEmpty()) {
            throw tls;
        }
        // One part per server ("vsftpd src refused PORT ... and a data connection ..."): the line stays short.
        java.util.Map<String, Set<String>> byServer = new java.util.LinkedHashMap<>();
        List<String> remedies = new ArrayList<>();
        for (Refusal r : refusals) {
            if (r.nothingAnswered()) {
                byServer.computeIfAbsent(r.describe(), k -> new LinkedHashSet<>());
            } else {
                byServer.computeIfAbsent(r.who() + " refused ", k -> new LinkedHashSet<>()).add(r.refused());
            }
            if (r.remedy() != null) {
                remedies.add(r.remedy());
            }
        }
        Set<String> parts = new LinkedHashSet<>();
        byServer.forEach((head, what) -> parts.add(head + String.join(" and ", what)));
        if (tls != null) {
            parts.add(tls.getMessage());
        }
        if (!relayAllowed()) {
            remedies.add("relaying through this client was not allowed (site setting, preference or --no-relay)");
        }
        String msg = "FXP refused: " + String.join("; ", parts);
        notes.accept(msg + "; " + String.join("; ", remedies));
        throw new TransferException(TransferException.Reason.FXP_REFUSED,
                refusals.isEmpty() ? null : refusals.get(0).site(), msg, remedies, null, -1);
    }

    /** What worked is tried first next time (site pairs only). */
    void worked(Strategy s) {
        if (remotePair()) {
            memory.remember(site(source), site(destination), s);
        }
    }

    /** Reconnects a remote side whose session closed or fell out of step. */
    void reconnect() throws TransferException {
        for (Place p : List.of(source, destination)) {
            if (p instanceof RemotePlace r) {
                r.reopenIfClosed();
            }
        }
    }

    /** Whether {@link #digests} would compare content (a hash both servers offer, or {@code verify}). */
    boolean checksContent(boolean verify) {
        return verify || remotePair()
                && ContentCheck.commonServerHash(source.session(), destination.session()) != null;
    }

    /**
     * Whether a SIZE after the copy would cost a round trip of its own: after an upload (it follows
     * the STOR's reply), or on a destination that cannot take pipelined commands. An FXP copy to a
     * site that pipelines sends it behind the STOR, where it costs none: there one SIZE a file is
     * cheaper than a listing of the folder (proftpd spends more on an MLSD of 1000 files than on
     * 1000 SIZEs, and a listing at a folder's end is time the copy waits).
     */
    boolean sizeCostsARoundTrip() {
        if (!(destination instanceof RemotePlace dst)) {
            return false;
        }
        return source instanceof LocalPlace || !memory.pipelines(site(dst));
    }

    /**
     * The digests to compare a copy by: {method, source's, destination's}; a hash both servers
     * compute where they share one, else (when {@code verify}) SHA-256 read through this client;
     * null when neither applies (the size alone is checked).
     */
    String[] digests(String sourcePath, String workPath, boolean verify) throws TransferException {
        if (remotePair()) {
            FtpSession s = source.session();
            FtpSession d = destination.session();
            String method = ContentCheck.commonServerHash(s, d);
            if (method != null) {
                try {
                    return new String[] {method, ContentCheck.serverHash(s, method, sourcePath),
                        ContentCheck.serverHash(d, method, workPath)};
                } catch (FtpException e) {
                    throw RemotePlace.failure(e);
                }
            }
        }
        if (!verify) {
            return null;
        }
        return new String[] {"SHA-256 read through this client", source.sha256(sourcePath),
            destination.sha256(workPath)};
    }

    // ---- planning -----------------------------------------------------------------------------

    private boolean fxpAllowed() {
        return options.fxpAllowed() && site(source).fxpAllowed() && site(destination).fxpAllowed();
    }

    private boolean relayAllowed() {
        return options.relayAllowed() && site(source).relayAllowed() && site(destination).relayAllowed();
    }

    private boolean ipv6() {
        return source.session().isIpv6() || destination.session().isIpv6();
    }

    private boolean extended() {
        if (ipv6()) {
            return true; // PASV over IPv6 is broken on the common servers
        }
        if (options.dataMode() != DataConnectionMode.AUTO) {
            return options.dataMode() == DataConnectionMode.EPSV_EPRT;
        }
        return site(source).dataConnectionMode() == DataConnectionMode.EPSV_EPRT
                || site(destination).dataConnectionMode() == DataConnectionMode.EPSV_EPRT;
    }

    private List<Strategy> plan(Strategy known) throws TransferException {
        Set<Strategy> plan = new LinkedHashSet<>();
        boolean ext = extended();
        if (fxpAllowed()) {
            if (known != null && (known.method() == TransferMethod.RELAY ? relayAllowed() : known.extended() == ext)) {
                if (!known.equals(Strategy.fxp(options.firstPassiveSide(), ext))) {
                    notes.accept("trying first what worked last time: " + known);
                }
                plan.add(known);
            }
            plan.add(Strategy.fxp(options.firstPassiveSide(), ext));
            plan.add(Strategy.fxp(options.firstPassiveSide().other(), ext));
        }
        if (relayAllowed()) {
            plan.add(Strategy.relay());
        }
        if (plan.isEmpty()) {
            throw new TransferException(TransferException.Reason.FXP_REFUSED, null, "neither FXP nor relaying is allowed for "
                    + source.name() + " -> " + destination.name());
        }
        return new ArrayList<>(plan);
    }
}
