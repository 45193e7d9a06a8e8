package io.sitebridge.ui.browse;

import java.util.List;

import io.sitebridge.core.session.RemoteEntry;

/**
 * What a site browser pane does with the files it shows: an FTP session or
 * the local file system. Every method may block; call it from a Job.
 */
public interface PaneFiles extends AutoCloseable {

    /** The site name this pane shows ({@link Endpoint#LOCAL} for local files). */
    String site();

    String home() throws Exception;

    List<RemoteEntry> list(String path) throws Exception;

    void mkdir(String path) throws Exception;

    void rename(String from, String to) throws Exception;

    /** Deletes a file, or a folder with everything in it. */
    void delete(String path, boolean folder) throws Exception;

    @Override
    void close();
}
