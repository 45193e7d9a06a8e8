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

    /**
     * A folder of new files: a claim takes the next files' claims with it (one write), a claim made
     * ahead costs no write of its own, and a file's end waits for the journal's next write. Reopened
     * as after a kill -9, every file that may have reached the destination is claimed (checked there
     * before it runs again), and nothing is done that the journal did not see done.
     */
    @Test
    void claimsGoAheadInOneWriteAndEndsWaitForTheNextOne() throws Exception {
        QueueBook book = new QueueBook(tmp, new EventHub());
        QueueItem folder = book.add(id -> QueueItem.transfer(id, true, "u@h:21", "/f", "v@k:21", "/g",
                ConflictRule.RESUME, 1));
        int files = QueueBook.CLAIM_AHEAD + 8;
        java.util.List<QueueItem> add = new java.util.ArrayList<>();
        for (int n = 0; n < files; n++) {
            add.add(QueueItem.child(folder, "/f/" + n, "/g/" + n, 10, -1, n == 3 ? 10 : -1, 1));
        }
        book.addChildren(folder.id(), add);
        Path journal = tmp.resolve("queue.journal");
        long before = Files.size(journal);

        // The first file's claim: it and the next new files (not file 3, which exists there) in one write.
        QueueItem first = book.next(() -> false, i -> i.kind() == QueueItem.Kind.FILE);
        book.claim(first.id(), first.destinationPath(), -1);
        long afterClaim = Files.size(journal);
        assertTrue(afterClaim > before);
        Map<Long, QueueItem> onDisk = reload();
        java.util.List<QueueItem> claimed = onDisk.values().stream().filter(QueueItem::claimed).toList();
        assertEquals(QueueBook.CLAIM_AHEAD, claimed.size(), "one claim and the next ones in the same write");
        assertFalse(claimed.stream().anyMatch(i -> i.sourcePath().equals("/f/3")), "a file that exists is not claimed ahead");
        assertTrue(claimed.stream().allMatch(i -> i.workPath().equals(i.destinationPath())));
        assertFalse(book.item(add.get(1).id()).orElseThrow().claimed(), "ahead only in the journal: not started");

        // The second file: claimed ahead, so no write; its end waits for the next one.
        QueueItem second = book.next(() -> false, i -> i.kind() == QueueItem.Kind.FILE);
        assertEquals(add.get(1).id(), second.id());
        book.claim(second.id(), second.destinationPath(), -1);
        assertTrue(book.item(second.id()).orElseThrow().claimed());
        book.finish(first.id(), ItemState.DONE, "copied");
        book.finish(second.id(), ItemState.DONE, "copied");
        assertEquals(afterClaim, Files.size(journal), "no write for a claim made ahead, none for a file's end");
        QueueItem secondOnDisk = reload().get(second.id());
        assertEquals(ItemState.WAITING, secondOnDisk.state(), "its end not written yet (a file's RUNNING never is)");
        assertTrue(secondOnDisk.claimed(), "claimed ahead: checked at the destination after a crash");

        // A failure is written at once, with the ends that waited before it.
        QueueItem third = book.next(() -> false, i -> i.kind() == QueueItem.Kind.FILE);
        book.fail(third.id(), ItemState.FAILED, io.sitebridge.transfer.TransferException.Reason.CONNECTION,
                "refused", false);
        onDisk = reload();
        assertEquals(ItemState.DONE, onDisk.get(first.id()).state());
        assertEquals(ItemState.DONE, onDisk.get(second.id()).state());
        assertEquals(ItemState.FAILED, onDisk.get(third.id()).state());
        assertFalse(onDisk.get(third.id()).claimed(), "its failure is the journal's word on it now");

        // A claim that is not the one made ahead (something was there after all) is written at once.
        QueueItem fourth = book.next(() -> false, i -> i.kind() == QueueItem.Kind.FILE);
        assertEquals("/f/3", fourth.sourcePath());
        book.finish(fourth.id(), ItemState.SKIPPED, "exists");
        QueueItem fifth = book.next(() -> false, i -> i.kind() == QueueItem.Kind.FILE);
        book.claim(fifth.id(), fifth.destinationPath() + ".sitebridge-part", 5);
        onDisk = reload();
        assertEquals(fifth.destinationPath() + ".sitebridge-part", onDisk.get(fifth.id()).workPath());
        assertEquals(ItemState.SKIPPED, onDisk.get(fourth.id()).state(), "the skip went out with it");

        // Killed here: reopened, the files claimed ahead are checked at the destination before they run.
        try (TransferQueue again = TransferQueue.open(tmp, SiteDirectory.of(), QueueOptions.DEFAULT,
                new ControlDialogue(), new StrategyMemory())) {
            QueueItem ahead = again.item(add.get(10).id()).orElseThrow();
            assertEquals(ItemState.WAITING, ahead.state());
            assertTrue(ahead.claimed());
            assertFalse(again.item(add.get(files - 1).id()).orElseThrow().claimed(), "beyond the claims made ahead");
            assertEquals(ItemState.DONE, again.item(first.id()).orElseThrow().state());
        }
    }

    /** The items as the journal has them, as a restart would read it (the book stays open). */
    private Map<Long, QueueItem> reload() throws Exception {
        try (QueueStore s = new QueueStore(tmp)) {
            return s.load();
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
