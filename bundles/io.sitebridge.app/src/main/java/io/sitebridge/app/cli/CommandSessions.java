package io.sitebridge.app.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.Openings;

/**
 * The sessions of a command that works without the queue ({@code ls}, {@code diff}): when its
 * caller stops it (Ctrl-C; in the daemon, also a client that went away) their sockets are closed
 * at once, logins under way included, so that the command ends now rather than when a server's
 * timeout runs out. (A queue's command stops through the queue's close.)
 */
final class CommandSessions implements AutoCloseable {
    private final Openings openings = new Openings();
    private final List<FtpSession> open = new CopyOnWriteArrayList<>();
    private final Caller.Registration registration;
    private volatile boolean stopped;

    CommandSessions(Caller caller) {
        this.registration = caller.onStop(this::stop);
    }

    FtpSession open(Site site, ControlDialogue dialogue, boolean verifyCertificates) throws FtpException {
        FtpSession s = FtpSession.open(site, dialogue, verifyCertificates, openings);
        open.add(s);
        if (stopped) {
            s.cutOff();
        }
        return s;
    }

    private void stop() {
        stopped = true;
        openings.cutOff();
        for (FtpSession s : open) {
            s.cutOff();
        }
    }

    /** The command ended: a later stop has nothing to do here. (The sessions are the command's to close.) */
    @Override
    public void close() {
        registration.close();
    }
}
