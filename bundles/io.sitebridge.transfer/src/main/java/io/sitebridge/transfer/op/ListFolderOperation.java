package io.sitebridge.transfer.op;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * Lists a folder. Given several folders, lists the first one that can be listed (a pane opens the
 * folder it showed last, or else the start folder); a null folder stands for the start folder
 * (the FTP login folder; locally the user's home folder).
 */
public final class ListFolderOperation implements SiteOperation {

    private final SessionPool pool;
    private final Endpoint where;
    private final List<String> candidates;

    private volatile String folder;
    private volatile List<RemoteEntry> entries;

    /** @param folders tried in order; null: the start folder */
    public ListFolderOperation(SessionPool pool, Endpoint where, String... folders) {
        this.pool = pool;
        this.where = where;
        this.candidates = folders.length == 0 ? Arrays.asList((String) null) : Arrays.asList(folders);
    }

    @Override
    public void execute(IProgressMonitor monitor) throws IOException, InterruptedException {
        SubMonitor progress = SubMonitor.convert(monitor, "Listing on " + where.displayName(), candidates.size());
        IOException failure = null;
        try (SiteFiles files = SiteFiles.open(pool, where)) {
            for (String candidate : new ArrayList<>(candidates)) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                try {
                    String path = candidate == null || candidate.isEmpty() ? files.home() : candidate;
                    progress.subTask(path);
                    List<RemoteEntry> listed = files.list(path);
                    if (listed.isEmpty() && !files.isFolder(path)) {
                        throw new IOException(where.displayName() + ": no folder " + path);
                    }
                    entries = List.copyOf(listed);
                    folder = path;
                    return;
                } catch (IOException e) {
                    failure = e; // try the next one
                }
                progress.worked(1);
            }
        }
        throw failure;
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(where);
    }

    /** The folder that was listed (after {@link #execute}). */
    public String folder() {
        return folder;
    }

    /** Its entries, without "." and "..", in the server's order (after {@link #execute}). */
    public List<RemoteEntry> entries() {
        return entries;
    }
}
