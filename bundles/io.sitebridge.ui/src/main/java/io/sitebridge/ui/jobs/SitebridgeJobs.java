package io.sitebridge.ui.jobs;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.jobs.Job;

/**
 * The job families of the UI's background work, so that tests (and shutdown) can wait for it
 * with {@code Job.getJobManager().join(family, monitor)} instead of sleeping. Every job of an
 * {@link OperationJob} belongs to {@link #FAMILY} and to the family of its kind.
 */
public final class SitebridgeJobs {

    private SitebridgeJobs() {
    }

    private record Family(String name) {
        @Override
        public String toString() {
            return "Sitebridge job family " + name;
        }
    }

    /** Every Sitebridge UI job. */
    public static final Object FAMILY = new Family("all");
    /** Listing a folder: connecting a pane, browsing, refreshing; and disconnecting. */
    public static final Object LIST = new Family("list");
    /** Changing files: creating a folder, renaming, deleting. */
    public static final Object CHANGE = new Family("change");
    /** Adding transfers to the queue: drop, paste, Transfer to Other Pane. */
    public static final Object TRANSFER = new Family("transfer");
    /** Comparing the two panes' trees: compare mode, the mirror preview. */
    public static final Object COMPARE = new Family("compare");
    /** Carrying out a mirror (its copies run in the transfer queue; the job waits for them). */
    public static final Object MIRROR = new Family("mirror");

    /** Whether a job of {@code family} is running, waiting or sleeping. */
    public static boolean busy(Object family) {
        return Job.getJobManager().find(family).length > 0;
    }

    /** Waits until no job of {@code family} is left (jobs they schedule included). Not on the UI thread. */
    public static void join(Object family, IProgressMonitor monitor) throws InterruptedException {
        try {
            Job.getJobManager().join(family, monitor);
        } catch (OperationCanceledException e) {
            throw new InterruptedException("cancelled while waiting for " + family);
        }
    }
}
