package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.transfer.engine.RemotePlace;

/**
 * The files of a folder copy to a destination where a SIZE a file would cost a round trip each
 * (here proftpd in lock-step: it cannot take pipelined commands) are checked with one listing of
 * their destination folder instead (issue 11), on real vsftpd and proftpd: a file is done only once
 * the listing, or its own SIZE where the listing does not prove it, shows every byte; a file found
 * short at the check is not done but copied again; one file alone keeps its own SIZE.
 */
class SizeCheckTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-sizecheck");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.91", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.92", dir.resolve("pro"), PeerConfig.FXP);
        Files.createDirectories(vs.root().resolve("flat"));
        for (int i = 0; i < 40; i++) {
            Trees.bigFile(vs.root().resolve("flat").resolve(String.format("f-%02d.bin", i)), 3000 + 97 * i, i);
        }
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro);
        Trees.deleteAll(dir);
    }

    static Site site(RealPeer p) {
        return p.siteBuilder().maxConnections(10).build();
    }

    static TransferQueue queue(String state, int parallel, DialogueLog log, StrategyMemory memory) throws Exception {
        QueueOptions options = QueueOptions.defaults().withParallel(parallel).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(100), Duration.ofSeconds(1));
        return TransferQueue.open(dir.resolve(state), SiteDirectory.of(), options, log.dialogue, memory);
    }

    /** proftpd remembered as a site that cannot take pipelined commands. */
    static StrategyMemory lockStepDestination() {
        StrategyMemory m = new StrategyMemory();
        m.rememberLockStep(site(pro));
        return m;
    }

    @Test
    void theListingProvesTheSizeOrSizeDecides() throws Exception {
        Path file = pro.root().resolve("known.bin");
        Trees.bigFile(file, 1000, 5);
        try (FtpSession s = FtpSession.open(site(pro), new ControlDialogue(100))) {
            RemotePlace place = new RemotePlace(s);
            assertEquals("the folder's listing", FileTransfer.sizeChecked(place, "/known.bin", 1000, 1000));
            // not in the listing, or listed with another size: not trusted either way, SIZE decides
            assertEquals("SIZE", FileTransfer.sizeChecked(place, "/known.bin", -1, 1000));
            assertEquals("SIZE", FileTransfer.sizeChecked(place, "/known.bin", 999, 1000));
            TransferException e = assertThrows(TransferException.class,
                    () -> FileTransfer.sizeChecked(place, "/known.bin", 1000, 1001));
            assertEquals(TransferException.Reason.VERIFY_FAILED, e.reason());
            assertTrue(e.getMessage().contains("has 1000 bytes at /known.bin, the source has 1001 bytes"),
                    e.getMessage());
            e = assertThrows(TransferException.class, () -> FileTransfer.sizeChecked(place, "/none.bin", -1, 10));
            assertTrue(e.getMessage().contains("has no file at /none.bin"), e.getMessage());
        }
    }

    @Test
    void aFileFoundShortAtTheCheckIsCopiedAgainNotCalledDone() throws Exception {
        DialogueLog log = new DialogueLog();
        Path copied = pro.root().resolve("flat-copy");
        java.util.concurrent.atomic.AtomicReference<String> cut = new java.util.concurrent.atomic.AtomicReference<>();
        try (TransferQueue q = queue("state", 1, log, lockStepDestination())) {
            // One worker: the folder's files wait for one listing at its end. When a file is claimed,
            // one copied before it (complete, not checked yet) loses its last 100 bytes on the disk.
            q.addListener(new QueueListener() {
                @Override
                public void itemChanged(QueueItem i) {
                    if (!i.claimed() || cut.get() != null) {
                        return;
                    }
                    try (var files = Files.list(copied)) {
                        for (Path f : files.toList()) {
                            Path original = vs.root().resolve("flat").resolve(f.getFileName().toString());
                            if (Files.size(f) == Files.size(original)) {
                                try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                                    r.setLength(r.length() - 100);
                                }
                                cut.set(f.getFileName().toString());
                                return;
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the folder is not there yet: the next claim tries again
                    }
                }
            });
            q.start();
            QueueItem folder = q.add(site(vs), "/flat", site(pro), "/flat-copy", true, null);
            assertTrue(q.awaitFinished(folder.id(), Duration.ofSeconds(60)), "the copy did not finish");
            String name = cut.get();
            assertTrue(name != null, "the test cut a file short");
            assertEquals(ItemState.DONE, q.item(folder.id()).orElseThrow().state());
            Trees.assertSameTree(vs.root().resolve("flat"), copied);

            List<QueueItem> kids = q.children(folder.id());
            QueueItem shortened = kids.stream().filter(i -> i.destinationPath().endsWith("/" + name)).findFirst()
                    .orElseThrow();
            assertEquals(1, shortened.attempts(), "the short file failed one check: " + shortened.reason());
            assertTrue(kids.stream().filter(i -> i != shortened)
                    .allMatch(i -> i.state() == ItemState.DONE && i.attempts() == 0
                            && i.reason().endsWith("checked by the folder's listing")),
                    () -> kids.stream().map(i -> i.destinationPath() + ": " + i.reason()).toList().toString());
            // the listing disagreed for the short file: its own SIZE decided (short), then it was copied again
            assertTrue(log.sent(c -> c.equals("SIZE /flat-copy/" + name)).size() >= 1,
                    "SIZE asked for the file the listing did not prove");
            assertEquals(0, log.sent(c -> c.startsWith("SIZE /flat-copy/") && !c.endsWith("/" + name)).size(),
                    "no SIZE for the files the listing proved");
            assertTrue(log.sent(c -> c.equals("MLSD /flat-copy")).size() >= 1, "the folder was listed");
        }
    }

    @Test
    void anUploadedFolderIsCheckedByListingsAndAnFxpCopyToAPipeliningServerBySizeBehindEachStor() throws Exception {
        DialogueLog log = new DialogueLog();
        try (TransferQueue q = queue("state-up", 2, log, new StrategyMemory())) {
            q.start();
            // an upload's SIZE would follow its STOR's reply: a round trip a file, so the listing checks
            QueueItem up = q.add(Endpoint.local(), vs.root().resolve("flat").toString(), Endpoint.of(site(pro)),
                    "/uploaded", true, null);
            // FXP to proftpd, which takes pipelined commands: the SIZE waits behind each STOR, no listing
            QueueItem fxp = q.add(site(vs), "/flat", site(pro), "/fxp", true, null);
            assertTrue(q.awaitFinished(up.id(), Duration.ofSeconds(60)), "the upload did not finish");
            assertTrue(q.awaitFinished(fxp.id(), Duration.ofSeconds(60)), "the FXP copy did not finish");
            Trees.assertSameTree(vs.root().resolve("flat"), pro.root().resolve("uploaded"));
            Trees.assertSameTree(vs.root().resolve("flat"), pro.root().resolve("fxp"));
            assertTrue(q.children(up.id()).stream().allMatch(i -> i.state() == ItemState.DONE
                    && i.reason().endsWith("checked by the folder's listing")), q.children(up.id()).get(0).reason());
            assertTrue(q.children(fxp.id()).stream().allMatch(i -> i.state() == ItemState.DONE
                    && i.reason().endsWith("checked by SIZE")), q.children(fxp.id()).get(0).reason());
            assertEquals(0, log.sent(c -> c.startsWith("SIZE /uploaded/")).size(), "no SIZE a file for the upload");
            assertTrue(log.sent(c -> c.equals("MLSD /uploaded")).size() >= 1, "the upload's folder was listed");
            assertEquals(0, log.sent(c -> c.equals("MLSD /fxp")).size(), "no listing for the FXP copy's check");
        }
    }

    @Test
    void oneFileAloneIsCheckedByItsOwnSize() throws Exception {
        DialogueLog log = new DialogueLog();
        try (TransferQueue q = queue("state-one", 2, log, lockStepDestination())) {
            q.start();
            QueueItem one = q.add(site(vs), "/flat/f-01.bin", site(pro), "/one.bin", false, null);
            assertTrue(q.awaitFinished(one.id(), Duration.ofSeconds(30)), "the copy did not finish");
            QueueItem end = q.item(one.id()).orElseThrow();
            assertEquals(ItemState.DONE, end.state(), end.reason());
            assertTrue(end.reason().endsWith("checked by SIZE"), end.reason());
            assertEquals(0, log.sent(c -> c.startsWith("MLSD") || c.startsWith("LIST")).size(),
                    "no listing for one file");
        }
    }
}
