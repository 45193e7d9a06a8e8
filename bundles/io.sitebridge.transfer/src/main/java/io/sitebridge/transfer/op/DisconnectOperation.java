package io.sitebridge.transfer.op;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * Logs out of a site: closes the pool's idle sessions to it (QUIT). Sessions in use (a running
 * transfer, another pane's listing) stay; the next operation on the site logs in again.
 */
public final class DisconnectOperation implements SiteOperation {

    private final SessionPool pool;
    private final Endpoint where;

    public DisconnectOperation(SessionPool pool, Endpoint where) {
        this.pool = pool;
        this.where = where;
    }

    @Override
    public void execute(IProgressMonitor monitor) {
        SubMonitor.convert(monitor, "Disconnecting from " + where.displayName(), 1);
        if (where instanceof Endpoint.Remote remote) {
            pool.closeIdle(remote.site());
        }
    }

    @Override
    public ISchedulingRule getSchedulingRule() {
        return SiteRule.of(where);
    }
}
