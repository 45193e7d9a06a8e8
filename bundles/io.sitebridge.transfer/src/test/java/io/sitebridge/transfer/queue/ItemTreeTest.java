package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact item tree: ids spread over several pages, order, removal of whole pages, the waiting
 * set read and pruned in order, a folder's files and outcome; and a 100,000-file batch through
 * the journal in pieces, read back whole.
 */
class ItemTreeTest {
    @TempDir
    Path tmp;

    static QueueItem file(long id, long parent, ItemState state) {
        QueueItem i = QueueStoreTest.item(id, "/f" + id, state);
        return parent == 0 ? i : QueueItem.restore(withParent(i, parent));
    }

    private static Map<String, String> withParent(QueueItem i, long parent) {
        Map<String, String> v = new java.util.HashMap<>();
        i.fields().forEach((k, val) -> v.put(k, String.valueOf(val)));
        v.put("parent", Long.toString(parent));
        v.put("problem", "");
        return v;
    }

    @Test
    void itemsAcrossPagesKeepTheirOrderAndIndexes() {
        ItemTree t = new ItemTree();
        QueueItem folder = QueueItem.restore(withFolder(QueueStoreTest.item(1, "/d", ItemState.RUNNING)));
        t.put(folder);
        long[] ids = {2, 3, 1023, 1024, 1025, 5000, 70_000};
        for (long id : ids) {
            t.put(file(id, 1, ItemState.WAITING));
        }
        assertEquals(1 + ids.length, t.size());
        assertEquals(70_000, t.maxId());
        List<Long> order = new ArrayList<>();
        t.values().forEach(i -> order.add(i.id()));
        assertEquals(List.of(1L, 2L, 3L, 1023L, 1024L, 1025L, 5000L, 70_000L), order);
        assertEquals(List.of(2L, 3L, 1023L, 1024L, 1025L, 5000L, 70_000L), t.waitingSnapshot());
        assertEquals(ids.length, t.children(1).size());

        // a running file leaves the waiting set; one pruned through the iterator too
        t.put(file(3, 1, ItemState.RUNNING));
        Iterator<Long> it = t.waiting();
        assertEquals(2L, it.next());
        it.remove();
        assertEquals(List.of(1023L, 1024L, 1025L, 5000L, 70_000L), t.waitingSnapshot());

        // the last item of a page goes, and so does its page
        QueueItem gone = t.remove(70_000);
        assertEquals(70_000, gone.id());
        assertNull(t.get(70_000));
        assertEquals(5000, t.maxId());
        assertEquals(ids.length - 1, t.children(1).size());

        // every file ends: the folder's outcome
        for (long id : new long[] {2, 3, 1023, 1024, 1025, 5000}) {
            t.put(file(id, 1, ItemState.DONE));
        }
        QueueItem end = t.folderOutcome(1);
        assertEquals(ItemState.DONE, end.state());
        assertEquals("6 done, 0 skipped", end.reason());
        assertEquals(List.of(), t.waitingSnapshot());
    }

    private static Map<String, String> withFolder(QueueItem i) {
        Map<String, String> v = new java.util.HashMap<>();
        i.fields().forEach((k, val) -> v.put(k, String.valueOf(val)));
        v.put("kind", "FOLDER");
        v.put("expanded", "true");
        v.put("problem", "");
        return v;
    }

    @Test
    void aHundredThousandFileBatchIsJournalledInPiecesAndReadBackWhole() throws Exception {
        List<QueueItem> batch = new ArrayList<>();
        for (long id = 1; id <= 100_000; id++) {
            batch.add(QueueStoreTest.item(id, "/many/file-" + id, ItemState.WAITING));
        }
        try (QueueStore s = new QueueStore(tmp)) {
            s.putAll(batch);
        }
        Map<Long, QueueItem> back;
        try (QueueStore s = new QueueStore(tmp)) {
            back = s.load();
            s.compact(back.values());
        }
        assertEquals(100_000, back.size());
        assertEquals(batch.get(99_999), back.get(100_000L));
        try (QueueStore s = new QueueStore(tmp)) {
            back = s.load();
        }
        assertEquals(100_000, back.size(), "the snapshot written in pieces holds them all");
        assertEquals(batch.get(12_345), back.get(12_346L));

        List<Long> half = new ArrayList<>();
        for (long id = 2; id <= 100_000; id += 2) {
            half.add(id);
        }
        try (QueueStore s = new QueueStore(tmp)) {
            s.load();
            s.removeAll(half);
        }
        try (QueueStore s = new QueueStore(tmp)) {
            back = s.load();
        }
        assertEquals(50_000, back.size(), "50,000 removals journalled in pieces");
        assertNull(back.get(100_000L));
        assertEquals(batch.get(99_998), back.get(99_999L));
    }

    @Test
    void reasonsThatRepeatAreOneString() {
        QueueItem a = QueueStoreTest.item(1, "/a", ItemState.RUNNING).with(ItemState.DONE, new String("same reason"));
        QueueItem b = QueueStoreTest.item(2, "/b", ItemState.RUNNING).with(ItemState.DONE, new String("same reason"));
        assertSame(a.reason(), b.reason());
    }
}
