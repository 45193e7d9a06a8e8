package io.sitebridge.transfer.op;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * Copies files and folders into a folder of another (or the same) endpoint by adding them to the
 * {@link TransferQueue}: the queue's workers move the bytes (FXP, relay, upload or download), this
 * operation only adds the items. An entry dropped onto its own folder, or into itself, is left out.
 */
public final class TransferOperation implements SiteOperation {

    /** What to copy: a path on the source endpoint, and whether it is a folder (copied with its contents). */
    public record Source(String path, boolean folder) {
    }

    private final TransferQueue queue;
    private final Endpoint from;
    private final List<Source> sources;
    private final Endpoint to;
    private final String intoFolder;
    private final ConflictRule rule;
    private volatile List<QueueItem> added = List.of();

    /** @param rule what to do when a destination file exists; null: the queue's default */
    public TransferOperation(TransferQueue queue, Endpoint from, List<Source> sources, Endpoint to, String intoFolder,
            ConflictRule rule) {
        this.queue = queue;
        this.from = from;
        this.sources = List.copyOf(sources);
        this.to = to;
        this.intoFolder = intoFolder;
        this.rule = rule;
    }

    @Override
    public void execute(IProgressMonitor monitor) throws IOException {
        if (from instanceof Endpoint.Local && to instanceof Endpoint.Local) {
            throw new IOException("Both sides are local files: open a site on one side to transfer");
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Queueing transfers to " + to.displayName(), sources.size());
        List<QueueItem> items = new ArrayList<>();
        for (Source s : sources) {
            progress.split(1);
            if (ontoItself(s)) {
                continue;
            }
            // adding writes the queue's journal (local disk) only; the transfers run on the queue's threads
            items.add(queue.add(from, s.path(), to, FolderPaths.child(intoFolder, FolderPaths.nameOf(s.path())),
                    s.folder(), rule));
        }
        added = List.copyOf(items);
    }

    private boolean ontoItself(Source s) {
        return from.key().equals(to.key()) && (FolderPaths.parentOf(s.path()).equals(intoFolder)
                || s.path().equals(intoFolder) || intoFolder.startsWith(s.path() + "/"));
    }

    /** The items added (after {@link #execute}); empty when every entry was onto itself. */
    public List<QueueItem> added() {
        return added;
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(from, to);
    }
}
