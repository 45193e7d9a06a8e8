package io.sitebridge.transfer.queue;

import java.util.AbstractCollection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

import io.sitebridge.transfer.TransferException;

/**
 * The queue's items as a tree (folders and the files found in them), with the indexes that keep
 * every step O(1) per file: the waiting items in queue order, and per folder the number of its
 * files not finished yet. Not thread-safe: the {@link QueueBook} holds its lock around every use.
 *
 * <p>Compact, because a folder copy may queue a million files: items sit in pages of an array
 * indexed by id (ids grow as items are added, so id order is queue order), the waiting ones are
 * bits of a set, a folder's files are an array of ids; no boxed number or map entry per item.
 */
final class ItemTree {
    private static final int SHIFT = 10;
    private static final int PAGE = 1 << SHIFT;

    /** A page of {@link #PAGE} slots for consecutive ids. */
    private static final class Page {
        final QueueItem[] slots = new QueueItem[PAGE];
        int count;
    }

    /** A growable array of ids. */
    private static final class Ids {
        long[] ids = new long[4];
        int size;

        void add(long id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }
    }

    private final TreeMap<Long, Page> pages = new TreeMap<>();
    private int size;
    private final Map<Long, Ids> children = new HashMap<>();
    /** Ids of WAITING items: in queue order when read in order. */
    private final BitSet waiting = new BitSet();
    private final Map<Long, Integer> unfinished = new HashMap<>();

    QueueItem get(long id) {
        Page p = pages.get(id >>> SHIFT);
        return p == null ? null : p.slots[(int) (id & (PAGE - 1))];
    }

    /** All items in id (queue) order; a view, valid until the next change. */
    Collection<QueueItem> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<QueueItem> iterator() {
                return new Iterator<>() {
                    private final Iterator<Page> pageIt = pages.values().iterator();
                    private Page page;
                    private int slot = PAGE;
                    private QueueItem next = advance();

                    private QueueItem advance() {
                        while (true) {
                            while (page != null && slot < PAGE) {
                                QueueItem i = page.slots[slot++];
                                if (i != null) {
                                    return i;
                                }
                            }
                            if (!pageIt.hasNext()) {
                                return null;
                            }
                            page = pageIt.next();
                            slot = 0;
                        }
                    }

                    @Override
                    public boolean hasNext() {
                        return next != null;
                    }

                    @Override
                    public QueueItem next() {
                        if (next == null) {
                            throw new NoSuchElementException();
                        }
                        QueueItem i = next;
                        next = advance();
                        return i;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    int size() {
        return size;
    }

    /** Stores the item's new snapshot (a new item is linked to its folder); returns the one it replaced. */
    QueueItem put(QueueItem i) {
        QueueItem before = slot(i);
        if (before == null && i.parentId() != 0) {
            children.computeIfAbsent(i.parentId(), k -> new Ids()).add(i.id());
        }
        index(before, i);
        return before;
    }

    private QueueItem slot(QueueItem i) {
        if (i.id() <= 0 || i.id() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("queue item id out of range: " + i.id());
        }
        Page p = pages.computeIfAbsent(i.id() >>> SHIFT, k -> new Page());
        int s = (int) (i.id() & (PAGE - 1));
        QueueItem before = p.slots[s];
        p.slots[s] = i;
        if (before == null) {
            p.count++;
            size++;
        }
        return before;
    }

    /** Changes an item's snapshot without touching the indexes (progress: the state is the same). */
    void replaceQuietly(QueueItem i) {
        slot(i);
    }

    QueueItem remove(long id) {
        Page p = pages.get(id >>> SHIFT);
        int s = (int) (id & (PAGE - 1));
        QueueItem i = p == null ? null : p.slots[s];
        if (i != null) {
            p.slots[s] = null;
            size--;
            if (--p.count == 0) {
                pages.remove(id >>> SHIFT);
            }
            index(i, null);
            children.remove(id);
        }
        return i;
    }

    List<QueueItem> children(long folderId) {
        Ids c = children.get(folderId);
        if (c == null) {
            return new ArrayList<>();
        }
        List<QueueItem> out = new ArrayList<>(c.size);
        for (int k = 0; k < c.size; k++) {
            QueueItem i = get(c.ids[k]);
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
            Ids c = children.get(id);
            if (c != null) {
                for (int k = 0; k < c.size; k++) {
                    todo.add(c.ids[k]);
                }
            }
        }
        return out;
    }

    /** The waiting items' ids in queue order; an id whose item no longer waits may be removed through it. */
    Iterator<Long> waiting() {
        return new Iterator<>() {
            private int last = -1;
            private int next = waiting.nextSetBit(0);

            @Override
            public boolean hasNext() {
                return next >= 0;
            }

            @Override
            public Long next() {
                if (next < 0) {
                    throw new NoSuchElementException();
                }
                last = next;
                next = next == Integer.MAX_VALUE ? -1 : waiting.nextSetBit(next + 1);
                return (long) last;
            }

            @Override
            public void remove() {
                if (last < 0) {
                    throw new IllegalStateException();
                }
                waiting.clear(last);
                last = -1;
            }
        };
    }

    List<Long> waitingSnapshot() {
        List<Long> out = new ArrayList<>(waiting.cardinality());
        for (int i = waiting.nextSetBit(0); i >= 0; i = i == Integer.MAX_VALUE ? -1 : waiting.nextSetBit(i + 1)) {
            out.add((long) i);
        }
        return out;
    }

    long maxId() {
        if (pages.isEmpty()) {
            return 0;
        }
        Map.Entry<Long, Page> last = pages.lastEntry();
        for (int s = PAGE - 1; s >= 0; s--) {
            if (last.getValue().slots[s] != null) {
                return (last.getKey() << SHIFT) + s;
            }
        }
        return 0; // not reached: an empty page is removed
    }

    /**
     * A listed folder whose files have all finished: its end (done, or failed when a file failed, or
     * cancelled when files were cancelled and none done), with a summary; null while files remain.
     */
    QueueItem folderOutcome(long folderId) {
        QueueItem f = get(folderId);
        if (f == null || f.state() != ItemState.RUNNING || !f.expanded() || unfinished.getOrDefault(folderId, 0) > 0) {
            return null;
        }
        int done = 0;
        int skipped = 0;
        int failed = 0;
        int cancelled = 0;
        long bytes = 0;
        TransferException.Reason problem = null;
        Ids c = children.get(folderId);
        for (int k = 0; c != null && k < c.size; k++) {
            QueueItem i = get(c.ids[k]);
            if (i == null) {
                continue;
            }
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
            waiting.set((int) after.id());
        } else if (before != null && before.state() == ItemState.WAITING) {
            waiting.clear((int) before.id());
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
