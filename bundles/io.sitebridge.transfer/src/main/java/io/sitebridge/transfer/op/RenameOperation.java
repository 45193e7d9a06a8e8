package io.sitebridge.transfer.op;

import java.io.IOException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/** Renames (or moves, within one site) a file or a folder. */
public final class RenameOperation implements SiteOperation {

    private final SessionPool pool;
    private final Endpoint where;
    private final String from;
    private final String to;

    public RenameOperation(SessionPool pool, Endpoint where, String from, String to) {
        this.pool = pool;
        this.where = where;
        this.from = from;
        this.to = to;
    }

    @Override
    public void execute(IProgressMonitor monitor) throws IOException, InterruptedException {
        SubMonitor.convert(monitor, "Renaming " + from + " on " + where.displayName(), 1);
        try (SiteFiles files = SiteFiles.open(pool, where)) {
            files.rename(from, to);
        }
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(where);
    }
}
