package io.sitebridge.transfer.op;

import java.io.IOException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/** Creates one folder (its parent must exist). */
public final class CreateFolderOperation implements SiteOperation {

    private final SessionPool pool;
    private final Endpoint where;
    private final String folder;

    public CreateFolderOperation(SessionPool pool, Endpoint where, String folder) {
        this.pool = pool;
        this.where = where;
        this.folder = folder;
    }

    @Override
    public void execute(IProgressMonitor monitor) throws IOException, InterruptedException {
        SubMonitor.convert(monitor, "Creating " + folder + " on " + where.displayName(), 1);
        try (SiteFiles files = SiteFiles.open(pool, where)) {
            files.mkdir(folder);
        }
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(where);
    }
}
