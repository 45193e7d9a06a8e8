package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.transfer.StrategyMemory;

/** The queue file: round trip, odd names, a line cut short by a crash, compaction, restart recovery. */
class QueueStoreTest {
    @TempDir
    Path tmp;

    static QueueItem item(long id, String path, ItemState state) {
        return QueueItem.restore(java.util.Map.ofEntries(java.util.Map.entry("id", "" + id),
                java.util.Map.entry("parent", "0"), java.util.Map.entry("kind", "FILE"), java.util.Map.entry("src", "u@h:21"),
                java.util.Map.entry("srcPath", path), java.util.Map.entry("dst", "v@k:21"),
                java.util.Map.entry("dstPath", "/dst" + path), java.util.Map.entry("rule", "RESUME"),
                java.util.Map.entry("state", state.name()), java.util.Map.entry("reason", "why\tnot\nnow \\ ok"),
                java.util.Map.entry("problem", "CONNECTION"), java.util.Map.entry("size", "1234"),
                java.util.Map.entry("srcModified", "5678"), java.util.Map.entry("existing", "-1"),
                java.util.Map.entry("claimed", "true"), java.util.Map.entry("work", "/dst" + path + ".sitebridge-part"),
                java.util.Map.entry("expanded", "false"), java.util.Map.entry("attempts", "2"),
                java.util.Map.entry("notBefore", "99"), java.util.Map.entry("bytes", "10"),
                java.util.Map.entry("created", "1"), java.util.Map.entry("updated", "2")));
    }

    @Test
    void itemsSurviveAndATornLastLineIsIgnored() throws Exception {
        try (QueueStore s = new QueueStore(tmp)) {
            s.put(item(1, "/a b\tc", ItemState.DONE));
            s.put(item(2, "/ü/ñ", ItemState.RUNNING));
            s.put(item(1, "/a b\tc", ItemState.FAILED));
            s.remove(3);
        }
        // A crash in the middle of writing the next line.
        String torn = QueueStore.format(item(2, "/ü/ñ", ItemState.DONE));
        Files.writeString(tmp.resolve("queue.journal"), torn.substring(0, torn.length() / 2), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        Map<Long, QueueItem> back;
        try (QueueStore s = new QueueStore(tmp)) {
            back = s.load();
        }
        assertEquals(2, back.size());
        assertEquals(item(1, "/a b\tc", ItemState.FAILED), back.get(1L));
        assertEquals(ItemState.RUNNING, back.get(2L).state(), "the torn line never happened");
        assertEquals("/ü/ñ", back.get(2L).sourcePath());
    }

    /** A mirror's copy keeps its flag across a restart; other items carry no such field. */
    @Test
    void aMirrorCopyKeepsItsTimesFlag() throws Exception {
        QueueItem plain = item(1, "/a", ItemState.WAITING);
        QueueItem mirrored = item(2, "/b", ItemState.WAITING).keepingTimes();
        assertFalse(QueueStore.format(plain).contains("keepTimes"));
        try (QueueStore s = new QueueStore(tmp)) {
            s.put(plain);
            s.put(mirrored);
        }
        try (QueueStore s = new QueueStore(tmp)) {
            Map<Long, QueueItem> back = s.load();
            assertFalse(back.get(1L).keepTimes());
            assertTrue(back.get(2L).keepTimes());
            assertEquals(mirrored, back.get(2L));
        }
    }

    @Test
    void compactionWritesASnapshotAtomicallyAndEmptiesTheJournal() throws Exception {
        try (QueueStore s = new QueueStore(tmp)) {
            s.put(item(1, "/x", ItemState.WAITING));
            s.compact(java.util.List.of(item(1, "/x", ItemState.DONE)));
            assertFalse(Files.exists(tmp.resolve("queue.journal")));
            assertFalse(Files.exists(tmp.resolve("queue.snapshot.tmp")));
            assertTrue(Files.readString(tmp.resolve("queue.snapshot")).startsWith(QueueStore.HEADER));
            s.put(item(2, "/y", ItemState.WAITING));
        }
        try (QueueStore s = new QueueStore(tmp)) {
            Map<Long, QueueItem> back = s.load();
            assertEquals(ItemState.DONE, back.get(1L).state());
            assertEquals(ItemState.WAITING, back.get(2L).state());
        }
    }

    @Test
    void aQueueReopenedAfterACrashRunsWhatWasRunningAgain() throws Exception {
        Site a = Site.builder("127.0.0.1").port(1).user("u").password("p").build();
        Site b = Site.builder("127.0.0.1").port(2).user("u").password("p").build();
        long id;
        TransferQueue q = TransferQueue.open(tmp, SiteDirectory.of(), QueueOptions.DEFAULT, new ControlDialogue(),
                new StrategyMemory());
        id = q.add(a, "/f", b, "/g", false, ConflictRule.SKIP).id();
        // No close(): as after kill -9 (the journal was written as the item was added).
        try (TransferQueue again = TransferQueue.open(tmp, SiteDirectory.of(), QueueOptions.DEFAULT,
                new ControlDialogue(), new StrategyMemory())) {
            QueueItem i = again.item(id).orElseThrow();
            assertEquals(ItemState.WAITING, i.state());
            assertEquals(ConflictRule.SKIP, i.rule());
            assertEquals("/g", i.destinationPath());
            // Sites it does not know: the item waits rather than failing; the queue counts as idle.
            again.start();
            assertTrue(again.awaitIdle(Duration.ofSeconds(2)));
            assertEquals(ItemState.WAITING, again.item(id).orElseThrow().state());
        }
    }
}
