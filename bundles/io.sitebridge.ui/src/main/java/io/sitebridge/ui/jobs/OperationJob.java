package io.sitebridge.ui.jobs;

import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import io.sitebridge.transfer.op.SiteOperation;
import io.sitebridge.ui.SitebridgeUi;

/**
 * Runs one {@link SiteOperation} in the background, holding the operation's site rule (two jobs
 * on one site never run at once; jobs on different sites do). The callbacks run on the job's
 * thread, after the operation: they hand results to the UI with {@code asyncExec}, and may
 * schedule a follow-up job (a listing after a change), which then belongs to the family before
 * this one ends.
 */
public final class OperationJob extends Job {

    private final SiteOperation operation;
    private final Object kind;
    private Runnable onSuccess = () -> { };
    private Consumer<String> onFailure = message -> { };
    private Runnable always = () -> { };

    /** @param kind one of {@link SitebridgeJobs#LIST}, {@link SitebridgeJobs#CHANGE}, {@link SitebridgeJobs#TRANSFER} */
    public OperationJob(String name, Object kind, SiteOperation operation) {
        super(name);
        this.operation = operation;
        this.kind = kind;
        setRule(operation.getSchedulingRule());
        setUser(false);
    }

    public OperationJob onSuccess(Runnable r) {
        this.onSuccess = r;
        return this;
    }

    /** Gets the failure as one line a user can read. */
    public OperationJob onFailure(Consumer<String> c) {
        this.onFailure = c;
        return this;
    }

    /** Runs after success, failure or cancellation. */
    public OperationJob always(Runnable r) {
        this.always = r;
        return this;
    }

    @Override
    protected IStatus run(IProgressMonitor monitor) {
        try {
            operation.execute(monitor);
            onSuccess.run();
            return Status.OK_STATUS;
        } catch (OperationCanceledException e) {
            return Status.CANCEL_STATUS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.CANCEL_STATUS;
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            onFailure.accept(message);
            return new Status(IStatus.WARNING, SitebridgeUi.PLUGIN_ID, getName() + " failed: " + message, e);
        } finally {
            always.run();
        }
    }

    @Override
    public boolean belongsTo(Object family) {
        return family == SitebridgeJobs.FAMILY || family == kind;
    }
}
