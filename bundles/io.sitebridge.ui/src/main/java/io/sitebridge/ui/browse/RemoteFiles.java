package io.sitebridge.ui.browse;

import java.util.List;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;

/** A pane's view of an FTP site, over one control connection of its own. */
public final class RemoteFiles implements PaneFiles {

    private final Site site;
    private final FtpSession session;

    private RemoteFiles(Site site, FtpSession session) {
        this.site = site;
        this.session = session;
    }

    public static RemoteFiles open(Site site) throws Exception {
        return new RemoteFiles(site, FtpSession.open(site, ControlDialogue.global()));
    }

    @Override
    public String site() {
        return site.name();
    }

    @Override
    public String home() throws Exception {
        return session.pwd();
    }

    @Override
    public List<RemoteEntry> list(String path) throws Exception {
        return session.list(path);
    }

    @Override
    public void mkdir(String path) throws Exception {
        session.mkdir(path);
    }

    @Override
    public void rename(String from, String to) throws Exception {
        session.rename(from, to);
    }

    @Override
    public void delete(String path, boolean folder) throws Exception {
        if (!folder) {
            session.delete(path);
            return;
        }
        for (RemoteEntry e : session.list(path)) {
            if (e.name().equals(".") || e.name().equals("..")) {
                continue;
            }
            delete(Paths.child(path, e.name()), e.isDirectory());
        }
        session.removeDirectory(path);
    }

    @Override
    public void close() {
        session.close();
    }
}
