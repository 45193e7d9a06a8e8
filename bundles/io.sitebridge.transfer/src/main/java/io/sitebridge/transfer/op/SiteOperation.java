package io.sitebridge.transfer.op;

import java.io.IOException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;

/**
 * One user action on sites (list a folder, create a folder, rename, delete, transfer), as an
 * object that runs the same way in a test, in the command line and in a UI job.
 *
 * <p>{@link #execute} does the work on the calling thread and may block on the network; it does
 * not take its rule itself. Whoever runs it in parallel with other work holds
 * {@link #getSchedulingRule()} for the time of the call (a UI {@code Job} sets it as its rule), so
 * that two operations on one site never run at once.
 */
public interface SiteOperation {

    /**
     * Does the work.
     *
     * @param monitor progress and cancellation; null is taken as none
     * @throws IOException with a message a user can read when a server or the local file system
     *                     refused or failed ({@link io.sitebridge.core.session.FtpException} for a site)
     * @throws InterruptedException when the thread was interrupted while waiting for a connection
     * @throws org.eclipse.core.runtime.OperationCanceledException when the monitor was cancelled
     */
    void execute(IProgressMonitor monitor) throws IOException, InterruptedException;

    /** The sites this operation touches, as a rule: one {@link SiteRule}, or two in a {@code MultiRule}. */
    ISchedulingRule getSchedulingRule();
}
