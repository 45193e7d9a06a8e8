package io.sitebridge.transfer.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.sitebridge.transfer.TransferException;

/**
 * The queue's items as a tree (folders and the files found in them), with the indexes that keep
 * every step O(1) per file: the waiting items in queue order, and per folder the number of its
 * files not finished yet. Not thread-safe: the {@link QueueBook} holds its lock around every use.
 */
final class ItemTree {
    private final LinkedHashMap<Long, QueueItem> items = new LinkedHashMap<>();
    private final Map<Long, List<Long>> children = new HashMap<>();
    /** Ids of WAITING items in queue order (ids grow as items are added). */
    private final TreeSet<Long> waiting = new TreeSet<>();
    private final Map<Long, Integer> unfinished = new HashMap<>();

    QueueItem get(long id) {
        return items.get(id);
    }

    Collection<QueueItem> values() {
        return items.values();
    }

    int size() {
        return items.size();
    }

    /** Stores the item's new snapshot (a new item is linked to its folder); returns the one it replaced. */
    QueueItem put(QueueItem i) {
        QueueItem before = items.put(i.id(), i);
        if (before == null && i.parentId() != 0) {
            children.computeIfAbsent(i.parentId(), k -> new ArrayList<>()).add(i.id());
        }
        index(before, i);
        return before;
    }

    /** Changes an item's snapshot without touching the indexes (progress: the state is the same). */
    void replaceQuietly(QueueItem i) {
        items.put(i.id(), i);
    }

    QueueItem remove(long id) {
        QueueItem i = items.remove(id);
        if (i != null) {
            index(i, null);
            children.remove(id);
        }
        return i;
    }

    List<QueueItem> children(long folderId) {
        List<QueueItem> out = new ArrayList<>();
        for (long c : children.getOrDefault(folderId, List.of())) {
            QueueItem i = items.get(c);
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** The ids given and those of every item below them. */
    List<Long> withDescendants(List<Long> ids) {
        List<Long> out = new ArrayList<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(ids);
        while (!todo.isEmpty()) {
            long id = todo.pop();
            out.add(id);
            todo.addAll(children.getOrDefault(id, List.of()));
        }
        return out;
    }

    /** The waiting items' ids in queue order; an id whose item no longer waits may be removed through it. */
    Iterator<Long> waiting() {
        return waiting.iterator();
    }

    List<Long> waitingSnapshot() {
        return List.copyOf(waiting);
    }

    long maxId() {
        long max = 0;
        for (long id : items.keySet()) {
            max = Math.max(max, id);
        }
        return max;
    }

    /**
     * A listed folder whose files have all finished: its end (done, or failed when a file failed, or
     * cancelled when files were cancelled and none done), with a summary; null while files remain.
     */
    QueueItem folderOutcome(long folderId) {
        QueueItem f = items.get(folderId);
        if (f == null || f.state() != ItemState.RUNNING || !f.expanded() || unfinished.getOrDefault(folderId, 0) > 0) {
            return null;
        }
        int done = 0;
        int skipped = 0;
        int failed = 0;
        int cancelled = 0;
        long bytes = 0;
        TransferException.Reason problem = null;
        for (QueueItem i : children(folderId)) {
            switch (i.state()) {
                case DONE -> {
                    done++;
                    bytes += Math.max(0, i.size());
                }
                case SKIPPED -> skipped++;
                case FAILED -> {
                    failed++;
                    problem = problem == null ? i.problem() : problem;
                }
                case CANCELLED -> cancelled++;
                default -> {
                    return null; // still going
                }
            }
        }
        String summary = done + " done, " + skipped + " skipped" + (failed > 0 ? ", " + failed + " failed" : "")
                + (cancelled > 0 ? ", " + cancelled + " cancelled" : "");
        QueueItem n = failed > 0 ? f.failed(ItemState.FAILED, problem, summary)
                : cancelled > 0 && done == 0 ? f.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, summary)
                : f.with(ItemState.DONE, summary);
        return n.withBytes(bytes);
    }

    /** Keeps the waiting set and the unfinished counts in step with a change of the item map. */
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
                unfinished.merge(any.parentId(), d, Integer::sum);
            }
        }
    }
}
