package io.sitebridge.transfer.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.sitebridge.transfer.TransferException;

/**
 * The queue's items and what follows from them: one lock, the journal ({@link QueueStore}) written
 * before a change takes effect on a server, the events for listeners, and the indexes that keep
 * every step O(1) per file (waiting items in order, unfinished files per folder). The workers,
 * the file runs and the folder walks change items only through this class.
 */
final class QueueBook {
    private final Object lock = new Object();
    private final QueueStore store;
    private final EventHub events;
    private final ItemTree items = new ItemTree();
    private final Set<Long> awaitingDecision = new HashSet<>();
    /** Items the user removed while they ran: removed once they end. */
    private final Set<Long> removeWhenEnded = new HashSet<>();
    private final EndWaiters endWaiters = new EndWaiters();
    /**
     * Waiting files whose claim the journal has already (see {@link #claim}): claiming one of them
     * costs no write. Cleared when the journal is folded into a snapshot, which has them unclaimed.
     */
    private final Set<Long> reserved = new HashSet<>();
    private long nextId;
    private int busy;

    QueueBook(Path stateFolder, EventHub events) throws IOException {
        this.events = events;
        this.store = new QueueStore(stateFolder);
        long now = System.currentTimeMillis();
        for (QueueItem i : store.load().values()) {
            items.put(recovered(i, now));
        }
        nextId = items.maxId();
        // A folder whose files all finished while we were down finishes now.
        for (QueueItem i : List.copyOf(items.values())) {
            if (i.kind() == QueueItem.Kind.FOLDER && i.state() == ItemState.RUNNING) {
                QueueItem end = items.folderOutcome(i.id());
                if (end != null) {
                    items.put(end);
                }
            }
        }
        store.compact(items.values()); // a fresh journal: a line cut short by a crash never meets a new one
    }

    /** An item that was running when the process ended runs again, checking the destination first. */
    private static QueueItem recovered(QueueItem i, long now) {
        if (i.state() != ItemState.RUNNING || i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
            return i; // a listed folder carries on with its files and finishes with them
        }
        return i.with(ItemState.WAITING, "interrupted: " + (i.claimed()
                ? "the destination is checked, then resumed or restarted" : "starts again")).withAttempts(
                        i.attempts(), now);
    }

    // ---- reading -----------------------------------------------------------------------------------

    List<QueueItem> items() {
        synchronized (lock) {
            return List.copyOf(items.values());
        }
    }

    Optional<QueueItem> item(long id) {
        synchronized (lock) {
            return Optional.ofNullable(items.get(id));
        }
    }

    List<QueueItem> children(long folderId) {
        synchronized (lock) {
            return items.children(folderId);
        }
    }

    /** The ids of the items given and of all items below them. */
    List<Long> withDescendants(List<Long> ids) {
        synchronized (lock) {
            return items.withDescendants(ids);
        }
    }

    /** Waits until nothing is running and no item that {@code runnable} accepts waits; false on timeout. */
    boolean awaitIdle(Duration timeout, Predicate<QueueItem> runnable) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (busy > 0 || items.values().stream().anyMatch(i -> !i.state().isFinished() && runnable.test(i))) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 200));
            }
        }
        events.flush(2000);
        return true;
    }

    boolean awaitFinished(long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CountDownLatch ends;
            synchronized (lock) {
                QueueItem i = items.get(id);
                if (i == null || i.state().isFinished()) {
                    break;
                }
                ends = endWaiters.latch(id);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Counted down when the item ends; the bound only guards against an end this misses.
            ends.await(Math.min(left, 1_000_000_000L), TimeUnit.NANOSECONDS);
        }
        events.flush(2000);
        return true;
    }

    // ---- the workers' side -------------------------------------------------------------------------

    /**
     * The next waiting item that {@code runnable} accepts, marked RUNNING; null once {@code stop}
     * says so. Waits for one (or for a retry's backoff to pass).
     */
    QueueItem next(java.util.function.BooleanSupplier stop, Predicate<QueueItem> runnable) throws InterruptedException {
        return next(stop, runnable, true);
    }

    /** As {@link #next(java.util.function.BooleanSupplier, Predicate)}, but null at once when none is ready now. */
    QueueItem poll(java.util.function.BooleanSupplier stop, Predicate<QueueItem> runnable) throws InterruptedException {
        return next(stop, runnable, false);
    }

    private QueueItem next(java.util.function.BooleanSupplier stop, Predicate<QueueItem> runnable, boolean wait)
            throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                long now = System.currentTimeMillis();
                long wake = Long.MAX_VALUE;
                for (java.util.Iterator<Long> it = items.waiting(); it.hasNext();) {
                    QueueItem i = items.get(it.next());
                    if (i == null || i.state() != ItemState.WAITING) {
                        it.remove();
                        continue;
                    }
                    if (awaitingDecision.contains(i.id()) || !runnable.test(i)) {
                        continue;
                    }
                    if (i.notBefore() > now) {
                        wake = Math.min(wake, i.notBefore());
                        continue;
                    }
                    QueueItem r = i.with(ItemState.RUNNING, i.kind() == QueueItem.Kind.FOLDER ? "listing" : "");
                    // A file's RUNNING is not journalled: after a crash an unclaimed running file starts again
                    // and a claimed one is checked at the destination, exactly as for a WAITING one. Its
                    // claim (before anything reaches the destination) and its end are journalled.
                    put(r, false, r.kind() != QueueItem.Kind.FILE);
                    busy++;
                    return r;
                }
                if (!wait) {
                    return null;
                }
                store.writeLater(); // nothing to do: what waited for a write goes out now
                lock.wait(wake == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, wake - now)));
            }
        }
    }

    /** A worker is done with the item {@link #next} gave it. */
    void done() {
        synchronized (lock) {
            busy--;
            lock.notifyAll();
        }
    }

    /** Wakes the workers (the queue stops). */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    // ---- changing ----------------------------------------------------------------------------------

    /** Adds a top-level item made by {@code make} from a fresh id. */
    QueueItem add(java.util.function.LongFunction<QueueItem> make) {
        synchronized (lock) {
            QueueItem i = make.apply(++nextId);
            put(i, true, true);
            lock.notifyAll();
            return i;
        }
    }

    /** Queues files found in a folder, journalled in one write before any of them runs. */
    void addChildren(long folderId, List<QueueItem> add) {
        if (add.isEmpty()) {
            return;
        }
        synchronized (lock) {
            // The walk's items are new and nobody else holds them: they take their ids in place (a copy
            // of each would double what a 100,000-file folder costs while it is queued).
            for (QueueItem c : add) {
                c.assignId(++nextId);
            }
            store.putAll(add);
            for (QueueItem i : add) {
                put(i, true, false);
            }
            lock.notifyAll();
        }
    }

    /** Files claimed ahead in the journal with one a worker claims (see {@link #claim}). */
    static final int CLAIM_AHEAD = 32;

    /**
     * The item starts writing {@code workPath} on the destination (see {@link QueueItem#claimed()}):
     * journalled before anything reaches the destination. A new file (nothing at the destination,
     * written in place) claims the next new files waiting with it, in the same write: when a worker
     * takes one of those, its claim is already in the journal and costs no write. After a crash such
     * a file is checked at the destination before it runs, as any claimed file: it is not there, and
     * is copied. (A claim is only ever made too early, never too late.)
     */
    void claim(long id, String workPath, long existingBefore) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            QueueItem n = i.withClaim(workPath, existingBefore);
            boolean plain = plainClaim(i, workPath, existingBefore);
            if (reserved.remove(id) && plain) {
                put(n, false, false); // the journal has it claimed
                return;
            }
            List<QueueItem> lines = new ArrayList<>();
            lines.add(n);
            if (plain) {
                int looked = 0;
                for (java.util.Iterator<Long> it = items.waiting(); it.hasNext() && lines.size() < CLAIM_AHEAD
                        && looked < 4 * CLAIM_AHEAD; looked++) {
                    QueueItem w = items.get(it.next());
                    if (w != null && w.state() == ItemState.WAITING && w.id() != id && w.attempts() == 0
                            && !reserved.contains(w.id()) && plainClaim(w, w.destinationPath(), w.existingSize())) {
                        lines.add(w.withClaim(w.destinationPath(), -1));
                        reserved.add(w.id());
                    }
                }
            }
            store.putAll(lines);
            put(n, false, false);
        }
    }

    /** A new file written in place: what a claim ahead records. */
    private static boolean plainClaim(QueueItem i, String workPath, long existingBefore) {
        return i.kind() == QueueItem.Kind.FILE && !i.claimed() && existingBefore == -1
                && workPath.equals(i.destinationPath());
    }

    QueueItem update(long id, UnaryOperator<QueueItem> change) {
        synchronized (lock) {
            QueueItem n = change.apply(items.get(id));
            put(n, false, true);
            return n;
        }
    }

    /** Changes an item only while {@code when} holds for it; returns whether it did. */
    boolean updateIf(long id, Predicate<QueueItem> when, UnaryOperator<QueueItem> change) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null || !when.test(i)) {
                return false;
            }
            put(change.apply(i), false, true);
            lock.notifyAll();
            return true;
        }
    }

    /** Progress is kept in memory only: not worth a disk write. */
    void progress(long id, long bytes) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i != null && i.state() == ItemState.RUNNING) {
                items.replaceQuietly(i.withBytes(bytes));
            }
        }
    }

    void finish(long id, ItemState state, String reason) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            QueueItem f = i.with(state, reason);
            if (state == ItemState.DONE && f.size() >= 0) {
                f = f.withBytes(f.size());
            }
            finished(f);
        }
    }

    /**
     * Ends an item that is still running with no worker on it (its size was checked after its
     * worker went on); false when it ended or went meanwhile (cancelled, removed).
     */
    boolean finishIfRunning(long id, ItemState state, String reason) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null || i.state() != ItemState.RUNNING) {
                return false;
            }
            finish(id, state, reason);
            return true;
        }
    }

    /** Ends an item as failed or cancelled with the kind of failure. */
    void fail(long id, ItemState state, TransferException.Reason problem, String reason, boolean countAttempt) {
        fail(id, state, problem, reason, List.of(), countAttempt);
    }

    /** As above, with lines under the reason (remedies, what was cleaned up). */
    void fail(long id, ItemState state, TransferException.Reason problem, String reason, List<String> details,
            boolean countAttempt) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            finished((countAttempt ? i.withAttempts(i.attempts() + 1, 0) : i).failed(state, problem, reason,
                    details));
        }
    }

    private void finished(QueueItem f) {
        awaitingDecision.remove(f.id());
        if (f.kind() == QueueItem.Kind.FILE && (f.state() == ItemState.DONE || f.state() == ItemState.SKIPPED)
                && !reserved.contains(f.id()) && !removeWhenEnded.contains(f.id())) {
            // Lost in a crash, the next run finds it out again (complete at the destination, or skipped
            // again by the same rule): it goes with the journal's next write.
            store.putLater(f);
            put(f, false, false);
        } else {
            put(f, false, true);
        }
        if (removeWhenEnded.remove(f.id())) {
            items.remove(f.id());
            store.remove(f.id());
            events.removed(f);
        } else if (f.parentId() != 0) {
            finishFolderIfComplete(f.parentId());
        }
        lock.notifyAll();
    }

    /** Back to waiting, for another attempt after {@code backoff} (null: at once, not counted as an attempt). */
    void retryLater(long id, Duration backoff, String why) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            QueueItem n = backoff == null ? i : i.withAttempts(i.attempts() + 1,
                    System.currentTimeMillis() + backoff.toMillis());
            put(n.with(ItemState.WAITING, why), false, true);
            lock.notifyAll();
        }
    }

    /** The item waits for the user's decision: the workers pass it over until {@link #decided}. */
    void awaitDecision(long id, String why) {
        synchronized (lock) {
            awaitingDecision.add(id);
            QueueItem i = items.get(id);
            if (i != null) {
                put(i.with(ItemState.WAITING, why), false, true);
            }
        }
    }

    void decided(long id, ConflictRule chosen) {
        synchronized (lock) {
            awaitingDecision.remove(id);
            QueueItem now = items.get(id);
            if (now != null && now.state() == ItemState.WAITING) {
                put(now.withRule(chosen).with(ItemState.WAITING, "decided: " + chosen.name().toLowerCase()), false,
                        true);
            }
            lock.notifyAll();
        }
    }

    /** A folder's files are queued: it runs until they finish. */
    void expanded(long folderId, String summary) {
        synchronized (lock) {
            QueueItem f = items.get(folderId);
            if (f == null) {
                return;
            }
            put(f.withExpanded(true).with(ItemState.RUNNING, summary), false, true);
            finishFolderIfComplete(folderId);
            lock.notifyAll();
        }
    }

    /** Cancels an unfinished item that no worker runs (a waiting file, a folder); false when it runs. */
    boolean cancelUnlessRunning(long id) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null || i.state().isFinished()) {
                return true;
            }
            if (i.state() != ItemState.WAITING && i.kind() != QueueItem.Kind.FOLDER) {
                return false;
            }
            finished(i.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled"));
            return true;
        }
    }

    /** Puts failed and cancelled items back (a folder: its failed and cancelled files). */
    void retry(List<Long> ids) {
        synchronized (lock) {
            for (long id : ids) {
                QueueItem i = items.get(id);
                if (i == null || !(i.state() == ItemState.FAILED || i.state() == ItemState.CANCELLED)) {
                    continue;
                }
                if (i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
                    for (QueueItem ci : items.children(id)) {
                        if (ci.state() == ItemState.FAILED || ci.state() == ItemState.CANCELLED) {
                            put(ci.with(ItemState.WAITING, "retry").withAttempts(0, 0), false, true);
                        }
                    }
                    put(i.with(ItemState.RUNNING, "retrying failed files"), false, true);
                    finishFolderIfComplete(id);
                } else {
                    put(i.with(ItemState.WAITING, "retry").withAttempts(0, 0), false, true);
                }
            }
            lock.notifyAll();
        }
    }

    /** Fails the waiting items for which {@code reason} gives a reason (not null); returns them. */
    List<QueueItem> failWaiting(java.util.function.Function<QueueItem, String> reason) {
        List<QueueItem> failed = new ArrayList<>();
        synchronized (lock) {
            for (long id : items.waitingSnapshot()) {
                QueueItem i = items.get(id);
                String why = i == null || i.state() != ItemState.WAITING ? null : reason.apply(i);
                if (why != null) {
                    finished(i.failed(ItemState.FAILED, TransferException.Reason.CONNECTION, why));
                    failed.add(items.get(id));
                }
            }
        }
        return failed;
    }

    /** Top-level items that are finished. */
    List<Long> finishedTopLevel() {
        synchronized (lock) {
            List<Long> done = new ArrayList<>();
            for (QueueItem i : items.values()) {
                if (i.parentId() == 0 && i.state().isFinished()) {
                    done.add(i.id());
                }
            }
            return done;
        }
    }

    /** Removes items (with their files) that are not running. */
    void remove(List<Long> ids, Predicate<Long> running) {
        synchronized (lock) {
            List<Long> gone = new ArrayList<>();
            for (long id : items.withDescendants(ids)) {
                if (running.test(id)) {
                    removeWhenEnded.add(id); // it ends as cancelled; removed then
                    continue;
                }
                QueueItem i = items.remove(id);
                reserved.remove(id);
                endWaiters.ended(id);
                if (i != null) {
                    gone.add(id);
                    events.removed(i);
                }
            }
            store.removeAll(gone); // one write for a folder of 100,000 files, not one each
            lock.notifyAll();
        }
    }

    void close() {
        synchronized (lock) {
            compact();
            store.close();
        }
    }

    /** Folds the journal into a snapshot: claims made ahead are not in it. */
    private void compact() {
        store.compact(items.values());
        reserved.clear();
    }

    // ---- bookkeeping (holding the lock) ----------------------------------------------------------------

    /** A listed folder ends with its last file: done, or failed when any failed. */
    private void finishFolderIfComplete(long folderId) {
        QueueItem end = items.folderOutcome(folderId);
        if (end != null) {
            put(end, false, true);
        }
    }

    /** Stores and announces an item's new state; {@code persist} false: already journalled, or not worth it. */
    private void put(QueueItem i, boolean added, boolean persist) {
        if (persist) {
            store.put(i);
            reserved.remove(i.id()); // the journal's word on it now
        }
        items.put(i);
        if (i.state().isFinished()) {
            endWaiters.ended(i.id());
        }
        if (added) {
            events.added(i);
        } else {
            events.changed(i);
        }
        if (store.wantsCompaction(items.size())) {
            compact();
        }
    }
}
