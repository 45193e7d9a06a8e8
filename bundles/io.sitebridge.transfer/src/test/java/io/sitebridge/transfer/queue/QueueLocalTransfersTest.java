package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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

/**
 * Uploads to proftpd and downloads from vsftpd through the queue: files, resume of both (APPE on
 * the upload, REST on the download, seen in the dialogue), and folders both ways.
 */
class QueueLocalTransfersTest {
    static Path dir;
    static Path local;
    static RealPeer pro;
    static RealPeer vs;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-local");
        local = Trees.mkdir(dir.resolve("local"));
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.31", dir.resolve("pro"), PeerConfig.FXP);
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.32", dir.resolve("vs"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        if (pro != null) {
            pro.close();
        }
        if (vs != null) {
            vs.close();
        }
        Trees.deleteAll(dir);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static TransferQueue open(String state, DialogueLog log) throws Exception {
        QueueOptions options = QueueOptions.defaults().withParallel(2).withVerifyCertificates(false)
                .withDefaultRule(ConflictRule.SKIP).withRetries(2, Duration.ofMillis(100), Duration.ofMillis(200));
        TransferQueue q = TransferQueue.open(dir.resolve(state), SiteDirectory.of(), options, log.dialogue,
                new StrategyMemory());
        q.start();
        return q;
    }

    static QueueItem done(TransferQueue q, long id) {
        QueueItem i = q.item(id).orElseThrow();
        assertEquals(ItemState.DONE, i.state(), i.toString());
        return i;
    }

    @Test
    void uploadAndDownloadFiles() throws Exception {
        byte[] up = random(1_500_000, 1);
        Trees.write(local.resolve("up.bin"), up);
        byte[] down = random(900_000, 2);
        Trees.write(Trees.mkdir(vs.root().resolve("pub")).resolve("down.bin"), down);
        Trees.mkdir(pro.root().resolve("in"));
        DialogueLog log = new DialogueLog();
        Site p = pro.site();
        Site v = vs.site();
        long t0 = System.nanoTime();
        try (TransferQueue q = open("state-files", log)) {
            long u = q.add(Endpoint.local(), local.resolve("up.bin").toString(), Endpoint.of(p), "/in/up.bin", false,
                    null).id();
            long d = q.add(Endpoint.of(v), "/pub/down.bin", Endpoint.local(), local.resolve("down.bin").toString(),
                    false, null).id();
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)), q.items().toString());
            assertTrue(done(q, u).reason().startsWith("uploaded"), done(q, u).reason());
            assertTrue(done(q, d).reason().startsWith("downloaded"), done(q, d).reason());
            assertEquals(up.length, done(q, u).bytes());
        }
        System.out.printf("upload 1.5 MB + download 0.9 MB: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Trees.assertSameFile(local.resolve("up.bin"), pro.root().resolve("in/up.bin"));
        Trees.assertSameFile(vs.root().resolve("pub/down.bin"), local.resolve("down.bin"));
        assertFalse(Files.exists(local.resolve("down.bin" + io.sitebridge.transfer.engine.Place.PART)), "no part file left");
        assertTrue(log.sent(c -> c.startsWith("STOR /in/up.bin")).size() == 1, "one STOR");
        assertTrue(log.sent(c -> c.startsWith("RETR /pub/down.bin")).size() == 1, "one RETR");
    }

    @Test
    void resumeBoth() throws Exception {
        byte[] up = random(2_000_000, 3);
        Trees.write(local.resolve("big-up.bin"), up);
        Trees.write(Trees.mkdir(pro.root().resolve("resume")).resolve("big-up.bin"), Arrays.copyOf(up, 700_000));
        byte[] down = random(1_800_000, 4);
        Trees.write(Trees.mkdir(vs.root().resolve("resume")).resolve("big-down.bin"), down);
        Trees.write(local.resolve("big-down.bin"), Arrays.copyOf(down, 500_000));
        DialogueLog log = new DialogueLog();
        try (TransferQueue q = open("state-resume", log)) {
            long u = q.add(Endpoint.local(), local.resolve("big-up.bin").toString(), Endpoint.of(pro.site()),
                    "/resume/big-up.bin", false, ConflictRule.RESUME).id();
            long d = q.add(Endpoint.of(vs.site()), "/resume/big-down.bin", Endpoint.local(),
                    local.resolve("big-down.bin").toString(), false, ConflictRule.RESUME).id();
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)), q.items().toString());
            assertEquals("upload resumed at 700000, checked by SIZE", done(q, u).reason());
            assertEquals("download resumed at 500000, checked by SIZE", done(q, d).reason());
        }
        Trees.assertSameFile(local.resolve("big-up.bin"), pro.root().resolve("resume/big-up.bin"));
        Trees.assertSameFile(vs.root().resolve("resume/big-down.bin"), local.resolve("big-down.bin"));
        List<String> appe = log.sent(c -> c.startsWith("APPE "));
        assertEquals(List.of("APPE /resume/big-up.bin"), appe, "the upload appended the rest");
        assertEquals(List.of("REST 500000"), log.sent(c -> c.startsWith("REST ")), "the download asked for the rest");
    }

    @Test
    void conflictRulesOnLocalItems() throws Exception {
        Trees.write(local.resolve("same.bin"), random(10_000, 5));
        Trees.mkdir(pro.root().resolve("conf"));
        Trees.write(pro.root().resolve("conf/same.bin"), random(3_000, 6));
        Trees.write(Trees.mkdir(vs.root().resolve("conf")).resolve("same.bin"), random(10_000, 7));
        Path localTarget = Trees.mkdir(local.resolve("conf"));
        Trees.write(localTarget.resolve("same.bin"), random(4_000, 8));
        DialogueLog log = new DialogueLog();
        try (TransferQueue q = open("state-conflict", log)) {
            long skip = q.add(Endpoint.local(), local.resolve("same.bin").toString(), Endpoint.of(pro.site()),
                    "/conf/same.bin", false, ConflictRule.SKIP).id();
            long rename = q.add(Endpoint.of(vs.site()), "/conf/same.bin", Endpoint.local(),
                    localTarget.resolve("same.bin").toString(), false, ConflictRule.RENAME).id();
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)), q.items().toString());
            assertEquals(ItemState.SKIPPED, q.item(skip).orElseThrow().state());
            QueueItem r = done(q, rename);
            assertEquals(localTarget.resolve("same (1).bin").toString(), r.destinationPath());
        }
        assertEquals(3_000, Files.size(pro.root().resolve("conf/same.bin")), "skipped: untouched");
        assertEquals(4_000, Files.size(localTarget.resolve("same.bin")), "renamed: the old one untouched");
        Trees.assertSameFile(vs.root().resolve("conf/same.bin"), localTarget.resolve("same (1).bin"));
    }

    @Test
    void foldersBothWays() throws Exception {
        Path tree = local.resolve("tree");
        int files = Trees.smallTree(tree, 2, 2, 5, 9);
        Path remoteTree = vs.root().resolve("rtree");
        int rfiles = Trees.smallTree(remoteTree, 2, 3, 4, 10);
        DialogueLog log = new DialogueLog();
        long t0 = System.nanoTime();
        try (TransferQueue q = open("state-folders", log)) {
            long up = q.add(Endpoint.local(), tree.toString(), Endpoint.of(pro.site()), "/tree-up", true, null).id();
            long down = q.add(Endpoint.of(vs.site()), "/rtree", Endpoint.local(), local.resolve("tree-down").toString(),
                    true, null).id();
            assertTrue(q.awaitIdle(Duration.ofSeconds(90)), q.items().toString());
            done(q, up);
            done(q, down);
            assertEquals(files, q.children(up).size());
            assertEquals(rfiles, q.children(down).size());
        }
        System.out.printf("folders: %d files up, %d down in %d ms%n", files, rfiles,
                (System.nanoTime() - t0) / 1_000_000);
        Trees.assertSameTree(tree, pro.root().resolve("tree-up"));
        Trees.assertSameTree(remoteTree, local.resolve("tree-down"));
    }

    @Test
    void aReopenedQueueFinishesAnUploadItHadQueued() throws Exception {
        byte[] b = random(300_000, 11);
        Trees.write(local.resolve("later.bin"), b);
        Trees.mkdir(pro.root().resolve("later"));
        DialogueLog log = new DialogueLog();
        Path state = dir.resolve("state-reopen");
        QueueOptions options = QueueOptions.defaults().withVerifyCertificates(false);
        long id;
        try (TransferQueue q = TransferQueue.open(state, SiteDirectory.of(), options, log.dialogue,
                new StrategyMemory())) {
            id = q.add(Endpoint.local(), local.resolve("later.bin").toString(), Endpoint.of(pro.site()),
                    "/later/later.bin", false, null).id(); // not started: only in the journal
        }
        try (TransferQueue q = TransferQueue.open(state, SiteDirectory.of(pro.site()), options, log.dialogue,
                new StrategyMemory())) {
            q.start();
            assertTrue(q.awaitIdle(Duration.ofSeconds(30)), q.items().toString());
            done(q, id);
        }
        Trees.assertSameFile(local.resolve("later.bin"), pro.root().resolve("later/later.bin"));
    }
}
