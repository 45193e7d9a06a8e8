package io.sitebridge.transfer.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.transfer.Strategy;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferMethod;
import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.transfer.engine.Outcome;
import io.sitebridge.transfer.engine.Place;

/**
 * Runs one file item through the {@link FileTransfer} pipeline: its places on pooled sessions, what
 * the journal knows of it (listing sizes, its claim from an earlier attempt), and the outcome
 * written back to the item: done, skipped, asking the user, failed for good, or waiting for
 * another attempt. A running FXP copy is watched by the {@link ProgressMonitor}, which stops it
 * when the destination no longer grows.
 */
final class FileRun {
    private final QueueBook book;
    private final ItemPlaces places;
    private final QueueOptions options;
    private final StrategyMemory memory;
    private final ProgressMonitor monitor;
    private final Conflicts conflicts;
    private final Failures failures;
    private final EventHub events;
    private final Map<Long, FileTransfer> running = new ConcurrentHashMap<>();

    FileRun(QueueBook book, ItemPlaces places, QueueOptions options, StrategyMemory memory, ProgressMonitor monitor,
            Conflicts conflicts, Failures failures, EventHub events) {
        this.book = book;
        this.places = places;
        this.options = options;
        this.memory = memory;
        this.monitor = monitor;
        this.conflicts = conflicts;
        this.failures = failures;
        this.events = events;
    }

    /** Stops the item's copy if it runs; false when it does not run here. */
    boolean cancel(long id) {
        FileTransfer t = running.get(id);
        if (t != null) {
            t.cancel();
        }
        return t != null;
    }

    boolean isRunning(long id) {
        return running.containsKey(id);
    }

    /** The queue closes: running copies stop (they run again next time). */
    void stopAll() {
        running.values().forEach(FileTransfer::cancel);
    }

    /**
     * Runs {@code item}; {@code checks}: where a copy whose size is checked later, or whose last
     * replies are read later (with the sessions they are owed on), waits (null: check each now).
     */
    void run(QueueItem item, SizeChecks checks) {
        Place[] sides = checks == null ? null : checks.heldFor(item);
        if (sides == null) {
            sides = places.acquireOrReport(item, failures);
        }
        if (sides == null) {
            return;
        }
        FileTransfer t = new FileTransfer(sides[0], sides[1], item.keepTimes()
                ? options.transfer().withKeepTimes(true) : options.transfer(), memory);
        running.put(item.id(), t);
        Listener listener = new Listener(item, t);
        try {
            if (failures.cancelRequested(item.id())) {
                t.cancel();
            }
            Outcome o = t.run(request(item, checks != null && checks.accepts(item), checks != null), listener);
            switch (o.state()) {
                case DONE -> book.finish(item.id(), ItemState.DONE, o.reason());
                case UNCHECKED -> checks.add(item, o.destinationPath(), o.result().bytes(), o.reason());
                case ARRIVING -> {
                    long id = item.id();
                    o.arrival().whenKnown(e -> {
                        if (e == null) {
                            book.finishIfRunning(id, ItemState.DONE, o.reason());
                        } else {
                            failures.failed(id, e);
                        }
                    });
                }
                case SKIPPED -> book.finish(item.id(), ItemState.SKIPPED, o.reason());
                case ASKING -> conflicts.ask(item, o.existing(), o.existingModified());
            }
        } catch (TransferException e) {
            failures.failed(item.id(), e);
        } catch (RuntimeException e) {
            // e.g. commons-net tripping over a connection closed by a stall or a cancel: worth another try
            for (Place p : new Place[] {t.source(), t.destination()}) {
                p.abandon();
            }
            failures.failed(item.id(), new TransferException(TransferException.Reason.CONNECTION, null,
                    "unexpected: " + e, e));
        } finally {
            listener.unwatch();
            running.remove(item.id());
            if (checks != null && SizeChecks.owes(t.source(), t.destination())) {
                checks.hold(t.source(), t.destination()); // never back to the pool with replies owed on it
            } else {
                places.release(t.source(), t.destination());
            }
        }
    }

    /**
     * What the journal knows, for the pipeline. {@code finishLater}: the worker reads a copy's
     * owed replies (see {@link SizeChecks#hold}); only a fresh item's first attempt ends so.
     */
    private FileTransfer.Request request(QueueItem item, boolean checkLater, boolean finishLater) {
        boolean fresh = item.attempts() == 0 && !item.claimed();
        ConflictRule rule = item.rule() == ConflictRule.ASK && !conflicts.canAsk() ? conflicts.fallback() : item.rule();
        return new FileTransfer.Request(item.sourcePath(), item.destinationPath(), fresh ? item.size() : -1,
                item.claimed() ? -2 : item.existingSize(), rule, item.claimed() ? item.workPath() : "",
                item.existingSize(), item.attempts() + 1 >= options.maxAttempts(),
                item.keepTimes() && item.claimed() ? item.sourceModified() : -1, checkLater, finishLater && fresh);
    }

    /** Writes what the pipeline learns into the item (journalled) and reports progress. */
    private final class Listener implements TransferListener {
        private final long id;
        private final FileTransfer transfer;
        private long size;
        private ProgressMonitor.Watch watch;
        private long startNanos = System.nanoTime();
        private long startBytes;

        Listener(QueueItem item, FileTransfer transfer) {
            this.id = item.id();
            this.size = item.size();
            this.transfer = transfer;
        }

        @Override
        public void sized(long s) {
            size = s;
            book.update(id, i -> i.size() == s ? i : i.withSize(s));
        }

        @Override
        public void renamed(String destinationPath) {
            book.update(id, i -> i.withDestination(destinationPath, -1));
        }

        @Override
        public void sourceTimed(java.time.Instant time) {
            long ms = time.toEpochMilli();
            book.update(id, i -> i.sourceModified() == ms ? i : i.withSourceModified(ms));
        }

        @Override
        public void claimed(String workPath, long existingBefore) {
            book.claim(id, workPath, existingBefore);
        }

        @Override
        public void attempt(Strategy strategy, String workPath, long offset) {
            unwatch();
            startNanos = System.nanoTime();
            startBytes = offset;
            QueueItem item = book.item(id).orElse(null);
            Site dst = item == null ? null : places.site(item.destinationSite());
            if (strategy.method() == TransferMethod.FXP && dst != null) {
                // The client sees no FXP data: the destination's size tells how far it is, and when it stalls.
                watch = monitor.watch(id, dst, workPath, offset, size, this::progress, () -> transfer.stall(
                        "stalled: the destination did not grow for " + options.stallTimeout().toMillis() / 1000.0
                                + " s; both sides aborted"));
            }
        }

        @Override
        public void bytesTransferred(long bytes, long total) {
            long nanos = System.nanoTime() - startNanos;
            double rate = nanos > 0 ? (bytes - startBytes) / (nanos / 1e9) : 0;
            long eta = rate > 0 && total >= 0 ? (long) Math.ceil((total - bytes) / rate) : -1;
            progress(new Progress(id, bytes, total, rate, eta, 0));
        }

        private void progress(Progress p) {
            book.progress(p.itemId(), p.bytes());
            events.progress(p);
        }

        void unwatch() {
            if (watch != null) {
                watch.close();
                watch = null;
            }
        }
    }
}
