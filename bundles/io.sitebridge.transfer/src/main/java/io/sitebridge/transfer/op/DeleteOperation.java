package io.sitebridge.transfer.op;

import java.io.IOException;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * Deletes files, and folders with everything in them (depth first: files, then the emptied
 * folder). A symbolic link is deleted as a link; what it points to is never touched. Stops at the
 * first refusal, with the server's reason; what was deleted before stays deleted.
 */
public final class DeleteOperation implements SiteOperation {

    /** What to delete: a path, and whether it is a folder to empty first. */
    public record Target(String path, boolean folder) {
        /** The entry {@code name} of {@code parent}; a link to a folder is not a folder here. */
        public static Target of(String parent, RemoteEntry entry) {
            return new Target(FolderPaths.child(parent, entry.name()), isRealFolder(entry));
        }
    }

    private final SessionPool pool;
    private final Endpoint where;
    private final List<Target> targets;
    private volatile int deleted;

    public DeleteOperation(SessionPool pool, Endpoint where, List<Target> targets) {
        this.pool = pool;
        this.where = where;
        this.targets = List.copyOf(targets);
    }

    /** A folder whose contents are deleted with it: a folder that is not a symbolic link. */
    static boolean isRealFolder(RemoteEntry e) {
        return e.isDirectory() && e.linkTarget() == null;
    }

    @Override
    public void execute(IProgressMonitor monitor) throws IOException, InterruptedException {
        SubMonitor progress = SubMonitor.convert(monitor, "Deleting on " + where.displayName(), targets.size());
        try (SiteFiles files = SiteFiles.open(pool, where)) {
            for (Target t : targets) {
                delete(files, t.path(), t.folder(), progress.split(1));
            }
        }
    }

    private void delete(SiteFiles files, String path, boolean folder, SubMonitor progress) throws IOException {
        if (progress.isCanceled()) {
            throw new OperationCanceledException();
        }
        progress.subTask(path);
        if (!folder) {
            files.deleteFile(path);
            deleted++;
            return;
        }
        List<RemoteEntry> inside = files.list(path);
        progress.setWorkRemaining(inside.size() + 1);
        for (RemoteEntry e : inside) {
            delete(files, FolderPaths.child(path, e.name()), isRealFolder(e), progress.split(1));
        }
        files.removeFolder(path);
        deleted++;
    }

    /** Files, links and folders deleted so far (also after a failure). */
    public int deleted() {
        return deleted;
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(where);
    }
}
