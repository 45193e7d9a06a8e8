package io.sitebridge.ui.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;

/**
 * The logged-in sessions of one queue worker, kept from one item to the next
 * so a folder of small files does not log in per file. A role ("src", "dst")
 * keeps the two sides apart when both are the same site.
 */
final class SessionPool implements AutoCloseable {

    private final Function<String, Optional<Site>> sites;
    private final Map<String, FtpSession> sessions = new HashMap<>();

    SessionPool(Function<String, Optional<Site>> sites) {
        this.sites = sites;
    }

    Site site(String name) throws FtpException {
        return sites.apply(name).orElseThrow(() -> new FtpException(name, "No site called \"" + name + "\" (was it removed?)", (io.sitebridge.core.session.FtpReply) null));
    }

    FtpSession get(String role, String siteName) throws FtpException {
        String key = role + '\u0000' + siteName;
        FtpSession s = sessions.get(key);
        if (s != null && s.isConnected()) {
            return s;
        }
        if (s != null) {
            s.close();
        }
        s = FtpSession.open(site(siteName), ControlDialogue.global());
        sessions.put(key, s);
        return s;
    }

    /** Takes back a session that a transfer may have replaced with a new one. */
    void put(String role, String siteName, FtpSession session) {
        FtpSession old = sessions.put(role + '\u0000' + siteName, session);
        if (old != null && old != session) {
            old.close();
        }
    }

    /** Closes and forgets the sessions after a failure left them in an unknown state. */
    void discardAll() {
        close();
    }

    @Override
    public void close() {
        for (FtpSession s : sessions.values()) {
            s.close();
        }
        sessions.clear();
    }
}
