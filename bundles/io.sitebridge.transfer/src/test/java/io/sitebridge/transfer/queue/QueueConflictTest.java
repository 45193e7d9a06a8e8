package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;

/** Every conflict rule, vsftpd -> pure-ftpd, with destination files put in the way beforehand. */
class QueueConflictTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pure;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-conflict");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.17", dir.resolve("vs"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.18", dir.resolve("pure"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        if (vs != null) {
            vs.close();
        }
        if (pure != null) {
            pure.close();
        }
        Trees.deleteAll(dir);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] source(String name, int size, long seed) throws Exception {
        byte[] b = random(size, seed);
        Trees.write(Trees.mkdir(vs.root().resolve("c")).resolve(name), b);
        return b;
    }

    static byte[] existing(String name, byte[] b) throws Exception {
        Trees.write(Trees.mkdir(pure.root().resolve("d")).resolve(name), b);
        return b;
    }

    @Test
    void everyRule() throws Exception {
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        Instant recent = Instant.now().minusSeconds(60);
        byte[] ow = source("ow.bin", 20_000, 1);
        byte[] owOld = existing("ow.bin", random(5_000, 2));
        byte[] sk = source("sk.bin", 20_000, 3);
        byte[] skOld = existing("sk.bin", random(7_000, 4));
        byte[] re = source("re.bin", 1_000_000, 5);
        existing("re.bin", Arrays.copyOf(re, 400_000));
        byte[] rn = source("rn.bin", 20_000, 6);
        byte[] rnOld = existing("rn.bin", random(20_000, 7));
        byte[] nwSame = source("nw-same-older.bin", 20_000, 8);
        byte[] nwSameOld = existing("nw-same-older.bin", random(20_000, 9));
        byte[] nwDiff = source("nw-diff.bin", 20_000, 10);
        existing("nw-diff.bin", random(100, 11));
        byte[] nwNewer = source("nw-same-newer.bin", 20_000, 12);
        existing("nw-same-newer.bin", random(20_000, 13));
        byte[] ask = source("ask.bin", 20_000, 14);
        existing("ask.bin", random(3_000, 15));
        Files.setLastModifiedTime(vs.root().resolve("c/nw-same-older.bin"), FileTime.from(old));
        Files.setLastModifiedTime(pure.root().resolve("d/nw-same-older.bin"), FileTime.from(recent));
        Files.setLastModifiedTime(vs.root().resolve("c/nw-same-newer.bin"), FileTime.from(recent));
        Files.setLastModifiedTime(pure.root().resolve("d/nw-same-newer.bin"), FileTime.from(old));

        DialogueLog log = new DialogueLog();
        Site src = vs.siteBuilder().build();
        Site dst = pure.siteBuilder().build();
        List<String> asked = new CopyOnWriteArrayList<>();
        QueueOptions options = QueueOptions.defaults().withParallel(2).withVerifyCertificates(false)
                .withDefaultRule(ConflictRule.SKIP).withRetries(2, Duration.ofMillis(100), Duration.ofMillis(200));
        try (TransferQueue q = TransferQueue.open(dir.resolve("state"), SiteDirectory.of(), options, log.dialogue,
                new StrategyMemory())) {
            // The UI's dialog: answers later, on another thread.
            q.setConflictResolver((item, file) -> {
                asked.add(item.destinationPath() + " " + file.size());
                return CompletableFuture.supplyAsync(() -> ConflictRule.OVERWRITE,
                        CompletableFuture.delayedExecutor(300, java.util.concurrent.TimeUnit.MILLISECONDS));
            });
            q.start();
            long owId = q.add(src, "/c/ow.bin", dst, "/d/ow.bin", false, ConflictRule.OVERWRITE).id();
            long skId = q.add(src, "/c/sk.bin", dst, "/d/sk.bin", false, ConflictRule.SKIP).id();
            long reId = q.add(src, "/c/re.bin", dst, "/d/re.bin", false, ConflictRule.RESUME).id();
            long rnId = q.add(src, "/c/rn.bin", dst, "/d/rn.bin", false, ConflictRule.RENAME).id();
            long n1 = q.add(src, "/c/nw-same-older.bin", dst, "/d/nw-same-older.bin", false, ConflictRule.NEWER).id();
            long n2 = q.add(src, "/c/nw-diff.bin", dst, "/d/nw-diff.bin", false, ConflictRule.NEWER).id();
            long n3 = q.add(src, "/c/nw-same-newer.bin", dst, "/d/nw-same-newer.bin", false, ConflictRule.NEWER).id();
            long askId = q.add(src, "/c/ask.bin", dst, "/d/ask.bin", false, ConflictRule.ASK).id();
            long defId = q.add(src, "/c/sk.bin", dst, "/d/sk.bin", false, null).id();
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)), q.items().toString());

            assertEquals(ItemState.DONE, state(q, owId));
            assertArrayEquals(ow, Files.readAllBytes(pure.root().resolve("d/ow.bin")));
            assertTrue(owOld.length != ow.length);

            assertEquals(ItemState.SKIPPED, state(q, skId));
            assertArrayEquals(skOld, Files.readAllBytes(pure.root().resolve("d/sk.bin")));
            assertEquals(ItemState.SKIPPED, state(q, defId), "the queue's default rule (skip)");

            assertEquals(ItemState.DONE, state(q, reId), q.item(reId).orElseThrow().reason());
            assertArrayEquals(re, Files.readAllBytes(pure.root().resolve("d/re.bin")));
            assertTrue(log.sent(t -> t.equals("REST 400000")).size() >= 2, "REST 400000 on both sides");

            assertEquals(ItemState.DONE, state(q, rnId));
            assertEquals("/d/rn (1).bin", q.item(rnId).orElseThrow().destinationPath());
            assertArrayEquals(rnOld, Files.readAllBytes(pure.root().resolve("d/rn.bin")));
            assertArrayEquals(rn, Files.readAllBytes(pure.root().resolve("d/rn (1).bin")));

            assertEquals(ItemState.SKIPPED, state(q, n1), "same size, destination newer");
            assertArrayEquals(nwSameOld, Files.readAllBytes(pure.root().resolve("d/nw-same-older.bin")));
            assertEquals(ItemState.DONE, state(q, n2), "different size");
            assertArrayEquals(nwDiff, Files.readAllBytes(pure.root().resolve("d/nw-diff.bin")));
            assertEquals(ItemState.DONE, state(q, n3), "same size, source newer");
            assertArrayEquals(nwNewer, Files.readAllBytes(pure.root().resolve("d/nw-same-newer.bin")));

            assertEquals(List.of("/d/ask.bin 3000"), asked);
            assertEquals(ItemState.DONE, state(q, askId), q.item(askId).orElseThrow().reason());
            assertEquals(ConflictRule.OVERWRITE, q.item(askId).orElseThrow().rule());
            assertArrayEquals(ask, Files.readAllBytes(pure.root().resolve("d/ask.bin")));
        }
    }

    @Test
    void folderSkipsWhatTheDestinationListingShows() throws Exception {
        Trees.smallTree(vs.root().resolve("f"), 2, 2, 5, 77);
        Trees.mkdir(pure.root().resolve("g"));
        Trees.mkdir(pure.root().resolve("g/dir0"));
        Trees.mkdir(pure.root().resolve("g/dir0/sub0"));
        byte[] keep = random(123, 5);
        Trees.write(pure.root().resolve("g/dir0/sub0/file-0.bin"), keep);
        DialogueLog log = new DialogueLog();
        QueueOptions options = QueueOptions.defaults().withParallel(2).withVerifyCertificates(false)
                .withDefaultRule(ConflictRule.SKIP);
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-f"), SiteDirectory.of(), options, log.dialogue,
                new StrategyMemory())) {
            q.start();
            QueueItem f = q.add(vs.siteBuilder().build(), "/f", pure.siteBuilder().build(), "/g", true, null);
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)));
            List<QueueItem> kids = q.children(f.id());
            assertEquals(19, kids.stream().filter(i -> i.state() == ItemState.DONE).count(),
                    q.item(f.id()).orElseThrow() + " " + kids);
            assertEquals(1, kids.stream().filter(i -> i.state() == ItemState.SKIPPED).count());
            assertArrayEquals(keep, Files.readAllBytes(pure.root().resolve("g/dir0/sub0/file-0.bin")));
            assertTrue(Files.isDirectory(pure.root().resolve("g/empty/inner-empty")), "empty folders are created");
            // The existing file was known from the folder listing: no SIZE asked about it.
            assertTrue(log.sent(t -> t.startsWith("SIZE /g/dir0/sub0/file-0.bin")).isEmpty());
        }
    }

    private static ItemState state(TransferQueue q, long id) {
        return q.item(id).orElseThrow().state();
    }

    /** Copies within one site need two connections: a limit of 2 works (it used to wait forever), 1 fails clearly. */
    @Test
    void copiesWithinOneSiteAtSmallConnectionLimits() throws Exception {
        byte[] data = source("same.bin", 50_000, 21);
        QueueOptions options = QueueOptions.defaults().withParallel(2).withVerifyCertificates(false);
        for (int limit : new int[] {2, 1}) {
            Site site = vs.siteBuilder().maxConnections(limit).build();
            try (TransferQueue q = TransferQueue.open(dir.resolve("state-same-" + limit), SiteDirectory.of(), options,
                    new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
                q.start();
                long id = q.add(site, "/c/same.bin", site, "/c/same-" + limit + ".bin", false, ConflictRule.OVERWRITE).id();
                assertTrue(q.awaitFinished(id, Duration.ofSeconds(30)), q.items().toString());
                QueueItem i = q.item(id).orElseThrow();
                if (limit == 2) {
                    assertEquals(ItemState.DONE, i.state(), i.reason());
                    assertArrayEquals(data, Files.readAllBytes(vs.root().resolve("c/same-2.bin")));
                } else {
                    assertEquals(ItemState.FAILED, i.state(), i.reason());
                    assertTrue(i.reason().contains("allows one connection at a time"), i.reason());
                    assertEquals(1, i.attempts(), "not retried: another attempt cannot help");
                }
            }
        }
    }
}
