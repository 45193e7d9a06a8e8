package io.sitebridge.transfer.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.verify.ContentCheck;

/**
 * An FTP site as one side of a copy, through a logged-in session. The session is replaced when it
 * has to be reopened (a server that fell out of step); ask {@link #session()} for the current one.
 */
public final class RemotePlace implements Place {
    private FtpSession session;

    public RemotePlace(FtpSession session) {
        this.session = session;
    }

    /** One session call whose failure becomes the pipeline's. */
    private interface Call<T> {
        T run() throws FtpException;
    }

    private static <T> T call(Call<T> c) throws TransferException {
        try {
            return c.run();
        } catch (FtpException e) {
            throw failure(e);
        }
    }

    @Override
    public String name() { return session.site().name(); }

    @Override
    public FtpSession session() { return session; }

    /** Reconnects if the session is closed or out of step. */
    void reopenIfClosed() throws TransferException {
        try {
            session = session.reopenIfClosed();
        } catch (FtpException e) {
            throw failure(e);
        }
    }

    /** Drops the session and logs in again. */
    void reopen() throws TransferException {
        try {
            session = session.reopen();
        } catch (FtpException e) {
            throw new TransferException(TransferException.Reason.CONNECTION, name(), "cannot reconnect to " + name()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkName(String path) throws TransferException {
        try {
            session.checkName(path);
        } catch (FtpException e) {
            throw new TransferException(TransferException.Reason.INVALID_NAME, e.site(), e.getMessage(), e);
        }
    }

    @Override
    public long size(String path) throws TransferException {
        return call(() -> session.size(path));
    }

    /** The reply to the last SIZE that found no file (for a clear message). */
    FtpReply lastReply() {
        return session.lastReply();
    }

    @Override
    public Instant modified(String path) throws TransferException {
        return call(() -> session.modified(path));
    }

    @Override
    public boolean canSetModified() {
        return session.timeSetter() != null;
    }

    @Override
    public boolean setModified(String path, Instant time) throws TransferException {
        return call(() -> session.setModified(path, time));
    }

    @Override
    public boolean canResume() {
        return session.hasFeature("REST");
    }

    @Override
    public InputStream read(String path, long offset) throws TransferException {
        return call(() -> session.retrieve(path, offset));
    }

    @Override
    public OutputStream write(String path, boolean append) throws TransferException {
        return call(() -> session.store(path, append));
    }

    @Override
    public void finish() throws TransferException {
        call(() -> {
            session.finishTransfer();
            return null;
        });
    }

    @Override
    public void settle(java.time.Duration drain) {
        try {
            session.finishTransfer();
        } catch (FtpException e) {
            // A data connection closed under it: the session does not wait for the final reply itself;
            // the server answers at once (426), which NOOP's 200 then follows.
            if (e.reply() == null && !session.resync(drain)) {
                session.markBroken();
            }
        }
    }

    @Override
    public void abandon() {
        session.markBroken();
    }

    @Override
    public void rename(String from, String to) throws TransferException {
        call(() -> {
            session.rename(from, to);
            return null;
        });
    }

    @Override
    public void delete(String path) throws TransferException {
        call(() -> {
            session.delete(path);
            return null;
        });
    }

    @Override
    public String sha256(String path) throws TransferException {
        InputStream in = read(path, 0);
        try (in) {
            String hex = ContentCheck.sha256(in);
            in.close();
            finish();
            return hex;
        } catch (IOException e) {
            abandon();
            throw new TransferException(TransferException.Reason.CONNECTION, name(), name()
                    + ": connection lost while reading " + path + " to verify it", e);
        }
    }

    @Override
    public List<RemoteEntry> list(String path) throws TransferException {
        return call(() -> session.list(path));
    }

    @Override
    public Map<String, RemoteEntry> ensureFolder(String path) throws TransferException {
        try {
            if (path.equals("/") || path.isEmpty()) {
                return byName(session.list("/"));
            }
            FtpReply r = session.execute("MKD " + path);
            if (r.isPositive()) {
                return Map.of();
            }
            try {
                return byName(session.list(path));
            } catch (FtpException e) {
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, name(), name()
                        + " cannot create folder " + path + ": " + r.text(), e, r.code());
            }
        } catch (FtpException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean createAhead(String path) throws TransferException {
        return !path.equals("/") && !path.isEmpty() && call(() -> session.sendAhead("MKD " + path));
    }

    static Map<String, RemoteEntry> byName(List<RemoteEntry> entries) {
        Map<String, RemoteEntry> m = new HashMap<>();
        for (RemoteEntry e : entries) {
            m.put(e.name(), e);
        }
        return m;
    }

    /** A session's failure as the pipeline reports it: no reply is a connection problem, a reply a refusal. */
    static TransferException failure(FtpException e) {
        TransferException.Reason reason = e.reply() != null ? TransferException.Reason.SERVER_REFUSED
                : e.getMessage() != null && e.getMessage().startsWith("refused before sending")
                        ? TransferException.Reason.INVALID_NAME : TransferException.Reason.CONNECTION;
        return new TransferException(reason, e.site(), e.getMessage(), e);
    }

    @Override
    public String toString() {
        return name();
    }
}
