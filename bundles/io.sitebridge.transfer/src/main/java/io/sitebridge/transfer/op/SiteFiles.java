package io.sitebridge.transfer.op;

import java.io.IOException;
import java.util.List;

import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * The file commands the operations are made of, on one endpoint: an FTP site over a session
 * borrowed from the {@link SessionPool} (given back by {@link #close()}), or the local file
 * system. Paths are absolute (slash-separated on a site, local paths on this computer).
 */
interface SiteFiles extends AutoCloseable {

    /** Opens the endpoint: for a site, takes a session from the pool (waits for a free slot). */
    static SiteFiles open(SessionPool pool, Endpoint where) throws IOException, InterruptedException {
        if (where instanceof Endpoint.Remote remote) {
            return new PooledSiteFiles(pool, pool.acquire(remote.site()));
        }
        return new LocalSiteFiles();
    }

    /** Where a user of this endpoint starts: the FTP login folder, or the user's home folder. */
    String home() throws IOException;

    /** The folder's entries, without "." and "..". */
    List<RemoteEntry> list(String folder) throws IOException;

    /**
     * Whether {@code path} is a folder one can enter. Some servers list a missing folder as an
     * empty one (Apache FtpServer's MLSD, vsftpd's LIST): an empty listing is checked with this.
     */
    boolean isFolder(String path) throws IOException;

    void mkdir(String folder) throws IOException;

    void rename(String from, String to) throws IOException;

    /** Deletes a file or a symbolic link (never what a link points to). */
    void deleteFile(String path) throws IOException;

    /** Removes an empty folder. */
    void removeFolder(String folder) throws IOException;

    /** Gives the session back to the pool (kept for reuse when it is still in step). */
    @Override
    void close();
}
