package io.sitebridge.ui.queue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import io.sitebridge.core.Site;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferOptions;

/**
 * The UI bundle's transfer queue: items in order, run by up to N worker Jobs
 * (each with its own logged-in sessions, reused from item to item). Kept in
 * memory only; the transfer bundle's persistent queue is meant to replace it
 * behind {@link TransferQueue}.
 */
public final class UiTransferQueue implements TransferQueue {

    private final List<QueueItem> items = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Function<String, Optional<Site>> sites;
    private final IntSupplier parallel;
    private final Supplier<TransferOptions> options;
    private volatile ConflictResolver resolver = (item, size) -> ConflictChoice.OVERWRITE;
    private final Object promptLock = new Object();
    private int workers;

    public UiTransferQueue(Function<String, Optional<Site>> sites, IntSupplier parallel,
            Supplier<TransferOptions> options) {
        this.sites = sites;
        this.parallel = parallel;
        this.options = options;
    }

    @Override
    public synchronized List<QueueItem> items() {
        return List.copyOf(items);
    }

    @Override
    public List<QueueItem> enqueue(List<TransferRequest> requests, ConflictChoice onConflict) {
        Batch batch = new Batch(onConflict);
        List<QueueItem> added = new ArrayList<>();
        for (TransferRequest r : requests) {
            added.add(new QueueItem(r, batch));
        }
        synchronized (this) {
            items.addAll(added);
        }
        fireItemsChanged();
        startWorkers();
        return added;
    }

    /** Puts the children of an expanded folder right after it, in the folder's batch. */
    void insertAfter(QueueItem parent, List<TransferRequest> requests) {
        synchronized (this) {
            int at = items.indexOf(parent) + 1;
            if (at == 0) {
                at = items.size();
            }
            List<QueueItem> added = new ArrayList<>();
            for (TransferRequest r : requests) {
                added.add(new QueueItem(r, parent.batch()));
            }
            items.addAll(at, added);
        }
        fireItemsChanged();
        startWorkers();
    }

    @Override
    public void cancel(Collection<QueueItem> which) {
        for (QueueItem item : which) {
            item.cancelRequested = true;
            boolean changed = false;
            synchronized (this) {
                if (item.state == QueueState.WAITING) {
                    item.state = QueueState.CANCELLED;
                    item.detail = "Cancelled";
                    changed = true;
                }
            }
            if (changed) {
                fireFinished(item);
            } else if (item.state == QueueState.RUNNING) {
                Runnable c = item.canceller;
                if (c != null) {
                    c.run();
                }
            }
        }
    }

    @Override
    public void retry(Collection<QueueItem> which) {
        synchronized (this) {
            for (QueueItem item : which) {
                if (item.state.isFinished() && item.state != QueueState.DONE) {
                    item.state = QueueState.WAITING;
                    item.cancelRequested = false;
                    item.transferred = 0;
                    item.bytesPerSecond = 0;
                    item.detail = "";
                }
            }
        }
        fireItemsChanged();
        startWorkers();
    }

    @Override
    public void remove(Collection<QueueItem> which) {
        cancel(which);
        synchronized (this) {
            items.removeAll(which);
        }
        fireItemsChanged();
    }

    @Override
    public void clearFinished() {
        synchronized (this) {
            items.removeIf(i -> i.state.isFinished());
        }
        fireItemsChanged();
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public void setConflictResolver(ConflictResolver resolver) {
        this.resolver = resolver;
    }

    /** One prompt at a time: a second worker waits and then sees the "apply to all" answer. */
    ConflictChoice resolveConflict(QueueItem item, long existingSize) {
        // not the queue's monitor: the UI thread reads the queue while the prompt is open
        synchronized (promptLock) {
            ConflictChoice all = item.batch().applyToAll();
            if (all != null) {
                return all;
            }
            ConflictChoice c = resolver.resolve(item, existingSize);
            return c == null || c == ConflictChoice.ASK ? ConflictChoice.SKIP : c;
        }
    }

    private synchronized QueueItem takeNext() {
        for (QueueItem item : items) {
            if (item.state == QueueState.WAITING) {
                item.state = QueueState.RUNNING;
                item.startedNanos = System.nanoTime();
                item.transferred = 0;
                return item;
            }
        }
        return null;
    }

    private void startWorkers() {
        int max = Math.max(1, Math.min(16, parallel.getAsInt()));
        List<Worker> toStart = new ArrayList<>();
        synchronized (this) {
            long waiting = items.stream().filter(i -> i.state == QueueState.WAITING).count();
            while (workers < max && waiting > toStart.size()) {
                workers++;
                toStart.add(new Worker());
            }
        }
        toStart.forEach(Job::schedule);
    }

    private void workerEnded() {
        synchronized (this) {
            workers--;
        }
        startWorkers();
    }

    private void runItem(QueueItem item, SessionPool pool, IProgressMonitor monitor) {
        fireChanged(item);
        monitor.subTask(item.kind().label() + " " + item.name());
        try {
            new ItemRunner(this, pool, options).run(item);
            if (item.state == QueueState.RUNNING) {
                item.state = QueueState.DONE;
            }
        } catch (Exception e) {
            if (item.cancelRequested || e instanceof ItemRunner.Cancelled
                    || (e instanceof TransferException t && t.reason() == TransferException.Reason.CANCELLED)) {
                item.state = QueueState.CANCELLED;
                item.detail = "Cancelled";
            } else {
                item.state = QueueState.FAILED;
                item.detail = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            pool.discardAll(); // sessions may be out of step; the next item logs in afresh
        } finally {
            item.finishedNanos = System.nanoTime();
            item.canceller = null;
            double seconds = (item.finishedNanos - item.startedNanos) / 1e9;
            if (item.state == QueueState.DONE && seconds > 0 && item.transferred > 0) {
                item.bytesPerSecond = item.transferred / seconds;
            }
        }
        fireFinished(item);
    }

    void fireChanged(QueueItem item) {
        for (Listener l : listeners) {
            l.itemChanged(item);
        }
    }

    private void fireFinished(QueueItem item) {
        for (Listener l : listeners) {
            l.itemChanged(item);
            l.itemFinished(item);
        }
    }

    private void fireItemsChanged() {
        for (Listener l : listeners) {
            l.itemsChanged();
        }
    }

    /** Takes waiting items one by one until none is left. */
    private final class Worker extends Job {

        Worker() {
            super("Sitebridge transfers");
            setUser(false);
        }

        @Override
        public boolean belongsTo(Object family) {
            return family == FAMILY;
        }

        @Override
        protected IStatus run(IProgressMonitor monitor) {
            monitor.beginTask("Transferring", IProgressMonitor.UNKNOWN);
            try (SessionPool pool = new SessionPool(sites)) {
                QueueItem item;
                while (!monitor.isCanceled() && (item = takeNext()) != null) {
                    runItem(item, pool, monitor);
                }
            } finally {
                monitor.done();
                workerEnded();
            }
            return Status.OK_STATUS;
        }
    }
}
