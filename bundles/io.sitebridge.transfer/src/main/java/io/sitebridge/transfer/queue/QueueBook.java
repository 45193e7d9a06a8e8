package io.sitebridge.transfer.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private final LinkedHashMap<Long, QueueItem> items;
    private final Map<Long, List<Long>> children = new HashMap<>();
    private final Set<Long> awaitingDecision = new HashSet<>();
    /** Ids of WAITING items in queue order (ids grow as items are added): next() needs no scan of finished ones. */
    private final TreeSet<Long> waiting = new TreeSet<>();
    /** Per folder: how many of its children are not finished yet, so a folder's end costs O(1) per file. */
    private final Map<Long, Integer> unfinishedChildren = new HashMap<>();
    /** Who waits in {@link #awaitFinished}: woken when that item ends, not by every change. Guarded by the lock. */
    private final Map<Long, CountDownLatch> finishWaiters = new HashMap<>();
    private long nextId;
    private int busy;

    QueueBook(Path stateFolder, EventHub events) throws IOException {
        this.events = events;
        this.store = new QueueStore(stateFolder);
        this.items = new LinkedHashMap<>(store.load());
        for (QueueItem i : items.values()) {
            nextId = Math.max(nextId, i.id());
            if (i.parentId() != 0) {
                children.computeIfAbsent(i.parentId(), k -> new ArrayList<>()).add(i.id());
            }
        }
        recoverAfterRestart();
        store.compact(items.values()); // a fresh journal: a line cut short by a crash never meets a new one
    }

    /** Items that were running when the process ended: they run again, checking the destination first. */
    private void recoverAfterRestart() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, QueueItem> e : items.entrySet()) {
            QueueItem i = e.getValue();
            if (i.state() != ItemState.RUNNING || i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
                continue; // a listed folder carries on with its files and finishes with them
            }
            e.setValue(i.with(ItemState.WAITING, "interrupted: " + (i.claimed()
                    ? "the destination is checked, then resumed or restarted" : "starts again")).withAttempts(
                            i.attempts(), now));
        }
        for (QueueItem i : items.values()) {
            index(null, i);
        }
        // A folder whose files all finished while we were down finishes now.
        for (QueueItem i : List.copyOf(items.values())) {
            if (i.kind() == QueueItem.Kind.FOLDER && i.state() == ItemState.RUNNING) {
                finishFolderIfComplete(i.id(), false);
            }
        }
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
            List<QueueItem> out = new ArrayList<>();
            for (long c : children.getOrDefault(folderId, List.of())) {
                QueueItem i = items.get(c);
                if (i != null) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    /** The ids of an item and of all items below it. */
    List<Long> withDescendants(List<Long> ids) {
        synchronized (lock) {
            List<Long> out = new ArrayList<>();
            java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(ids);
            while (!todo.isEmpty()) {
                long id = todo.pop();
                out.add(id);
                todo.addAll(children.getOrDefault(id, List.of()));
            }
            return out;
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
                ends = finishWaiters.computeIfAbsent(id, k -> new CountDownLatch(1));
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
        synchronized (lock) {
            while (true) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                long now = System.currentTimeMillis();
                long wake = Long.MAX_VALUE;
                for (java.util.Iterator<Long> it = waiting.iterator(); it.hasNext();) {
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
            List<QueueItem> made = new ArrayList<>(add.size());
            List<Long> kids = children.computeIfAbsent(folderId, k -> new ArrayList<>());
            for (QueueItem c : add) {
                QueueItem i = c.withId(++nextId);
                kids.add(i.id());
                made.add(i);
            }
            store.putAll(made);
            for (QueueItem i : made) {
                put(i, true, false);
            }
            lock.notifyAll();
        }
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
                items.put(id, i.withBytes(bytes));
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

    /** Ends an item as failed or cancelled with the kind of failure. */
    void fail(long id, ItemState state, TransferException.Reason problem, String reason, boolean countAttempt) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            finished((countAttempt ? i.withAttempts(i.attempts() + 1, 0) : i).failed(state, problem, reason));
        }
    }

    private void finished(QueueItem f) {
        awaitingDecision.remove(f.id());
        put(f, false, true);
        if (f.parentId() != 0) {
            finishFolderIfComplete(f.parentId(), true);
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
            finishFolderIfComplete(folderId, true);
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

    /**
     * Puts failed and cancelled items back (a folder: its failed and cancelled files); returns the
     * ids that wait again.
     */
    List<Long> retry(List<Long> ids) {
        List<Long> again = new ArrayList<>();
        synchronized (lock) {
            for (long id : ids) {
                QueueItem i = items.get(id);
                if (i == null || !(i.state() == ItemState.FAILED || i.state() == ItemState.CANCELLED)) {
                    continue;
                }
                again.add(id);
                if (i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
                    for (long c : children.getOrDefault(id, List.of())) {
                        QueueItem ci = items.get(c);
                        if (ci != null && (ci.state() == ItemState.FAILED || ci.state() == ItemState.CANCELLED)) {
                            again.add(c);
                            put(ci.with(ItemState.WAITING, "retry").withAttempts(0, 0), false, true);
                        }
                    }
                    put(i.with(ItemState.RUNNING, "retrying failed files"), false, true);
                    finishFolderIfComplete(id, true);
                } else {
                    put(i.with(ItemState.WAITING, "retry").withAttempts(0, 0), false, true);
                }
            }
            lock.notifyAll();
        }
        return again;
    }

    /** Fails the waiting items for which {@code reason} gives a reason (not null); returns them. */
    List<QueueItem> failWaiting(java.util.function.Function<QueueItem, String> reason) {
        List<QueueItem> failed = new ArrayList<>();
        synchronized (lock) {
            for (long id : List.copyOf(waiting)) {
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
            for (long id : withDescendants(ids)) {
                if (running.test(id)) {
                    continue; // it ends as cancelled; removed then
                }
                QueueItem i = items.remove(id);
                ended(id);
                if (i != null) {
                    index(i, null);
                    children.remove(id);
                    store.remove(id);
                    events.removed(i);
                }
            }
            lock.notifyAll();
        }
    }

    void close() {
        synchronized (lock) {
            store.compact(items.values());
            store.close();
        }
    }

    // ---- bookkeeping (holding the lock) ----------------------------------------------------------------

    /** A folder is done when all its files are; failed when any failed. */
    private void finishFolderIfComplete(long folderId, boolean save) {
        QueueItem f = items.get(folderId);
        if (f == null || f.state() != ItemState.RUNNING || !f.expanded()
                || unfinishedChildren.getOrDefault(folderId, 0) > 0) {
            return;
        }
        int[] count = new int[4]; // done, skipped, failed, cancelled
        long bytes = 0;
        TransferException.Reason problem = null;
        for (long c : children.getOrDefault(folderId, List.of())) {
            QueueItem i = items.get(c);
            if (i == null) {
                continue;
            }
            switch (i.state()) {
                case DONE -> {
                    count[0]++;
                    bytes += Math.max(0, i.size());
                }
                case SKIPPED -> count[1]++;
                case FAILED -> {
                    count[2]++;
                    problem = problem == null ? i.problem() : problem;
                }
                case CANCELLED -> count[3]++;
                default -> {
                    return; // still going
                }
            }
        }
        String summary = count[0] + " done, " + count[1] + " skipped" + (count[2] > 0 ? ", " + count[2] + " failed" : "")
                + (count[3] > 0 ? ", " + count[3] + " cancelled" : "");
        QueueItem n = count[2] > 0 ? f.failed(ItemState.FAILED, problem, summary)
                : count[3] > 0 && count[0] == 0 ? f.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, summary)
                : f.with(ItemState.DONE, summary);
        n = n.withBytes(bytes);
        if (save) {
            put(n, false, true);
        } else {
            index(items.put(n.id(), n), n);
        }
    }

    /** Stores and announces an item's new state; {@code persist} false: already journalled, or not worth it. */
    private void put(QueueItem i, boolean added, boolean persist) {
        if (persist) {
            store.put(i);
        }
        index(items.put(i.id(), i), i);
        if (i.state().isFinished()) {
            ended(i.id());
        }
        if (added) {
            events.added(i);
        } else {
            events.changed(i);
        }
        if (store.wantsCompaction(items.size())) {
            store.compact(items.values());
        }
    }

    /** Wakes whoever awaits this item's end. */
    private void ended(long id) {
        if (!finishWaiters.isEmpty()) {
            CountDownLatch l = finishWaiters.remove(id);
            if (l != null) {
                l.countDown();
            }
        }
    }

    /** Keeps {@link #waiting} and {@link #unfinishedChildren} in step with a change of the item map. */
    private void index(QueueItem before, QueueItem after) {
        if (after != null && after.state() == ItemState.WAITING) {
            waiting.add(after.id());
        } else if (before != null && before.state() == ItemState.WAITING) {
            waiting.remove(before.id());
        }
        QueueItem any = after != null ? after : before;
        if (any.parentId() != 0) {
            int d = (after != null && !after.state().isFinished() ? 1 : 0)
                    - (before != null && !before.state().isFinished() ? 1 : 0);
            if (d != 0) {
                unfinishedChildren.merge(any.parentId(), d, Integer::sum);
            }
        }
    }
}
