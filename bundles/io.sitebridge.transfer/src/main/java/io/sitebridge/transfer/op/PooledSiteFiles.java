package io.sitebridge.transfer.op;

import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.queue.SessionPool;

/** A site's files over one session borrowed from the pool. */
final class PooledSiteFiles implements SiteFiles {

    private final SessionPool pool;
    private final FtpSession session;

    PooledSiteFiles(SessionPool pool, FtpSession session) {
        this.pool = pool;
        this.session = session;
    }

    @Override
    public String home() throws FtpException {
        return session.pwd();
    }

    @Override
    public List<RemoteEntry> list(String folder) throws FtpException {
        List<RemoteEntry> entries = new ArrayList<>();
        for (RemoteEntry e : session.list(folder)) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                entries.add(e);
            }
        }
        return entries;
    }

    /** CWD there and back: every path the operations send is absolute, but PWD must still give the start folder. */
    @Override
    public boolean isFolder(String path) throws FtpException {
        String home = session.pwd();
        try {
            session.cd(path);
        } catch (FtpException e) {
            if (e.code() >= 500 && e.code() < 600) {
                return false;
            }
            throw e;
        }
        session.cd(home);
        return true;
    }

    @Override
    public void mkdir(String folder) throws FtpException {
        session.mkdir(folder);
    }

    @Override
    public void rename(String from, String to) throws FtpException {
        session.rename(from, to);
    }

    @Override
    public void deleteFile(String path) throws FtpException {
        session.delete(path);
    }

    @Override
    public void removeFolder(String folder) throws FtpException {
        session.removeDirectory(folder);
    }

    @Override
    public void close() {
        pool.release(session);
    }
}
