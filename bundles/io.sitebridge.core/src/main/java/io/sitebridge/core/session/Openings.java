package io.sitebridge.core.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions one owner (a transfer queue, its pool) is opening right now: connecting, waiting
 * for the greeting, logging in. {@link #cutOff()} closes their sockets at once, so that an owner
 * that stops does not wait out the connect timeout of a server that accepted the connection and
 * says nothing; sessions opened after that fail at once. A session reopened under an owner
 * ({@link FtpSession#reopen()}) is opened under it again.
 */
public final class Openings {
    private final Set<FtpSession> underWay = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    void started(FtpSession s) {
        underWay.add(s);
        if (cut) {
            s.cutOff();
        }
    }

    void ended(FtpSession s) {
        underWay.remove(s);
    }

    /** Cuts off every session being opened, and every one opened from now on. */
    public void cutOff() {
        cut = true;
        for (FtpSession s : underWay) {
            s.cutOff();
        }
    }
}
