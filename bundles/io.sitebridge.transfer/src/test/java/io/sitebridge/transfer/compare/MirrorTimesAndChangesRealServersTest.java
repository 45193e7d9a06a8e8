package io.sitebridge.transfer.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.MirrorTrees;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.FeatureHidingFront;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.engine.RemotePlace;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * A mirror's copies keep their source's time (MFMT on proftpd and pure-ftpd, vsftpd's two-argument
 * MDTM), so that comparing by time afterwards finds the trees equal for every pair of servers; a
 * source file that changes between the comparison and its copy is copied as it is then, with the
 * reason; one that changes during its copy is not kept; a destination that refuses the rename of a
 * complete copy over the old file keeps the old file and no temporary file.
 */
class MirrorTimesAndChangesRealServersTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static RealPeer pure;
    static final PathFilter NO_LOGS = PathFilter.of(List.of(), List.of("*.log"));
    static int run;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-mirror-times");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.14.1", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.14.2", dir.resolve("pro"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.14.3", dir.resolve("pure"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro, pure);
        Trees.deleteAll(dir);
    }

    static Site site(RealPeer p) {
        return p.siteBuilder().maxConnections(6).build();
    }

    static TransferQueue queue(RealPeer from, RealPeer to, int attempts) throws Exception {
        return queue(site(from), site(to), attempts);
    }

    static TransferQueue queue(Site from, Site to, int attempts) throws Exception {
        QueueOptions options = QueueOptions.defaults().withParallel(2).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(attempts, Duration.ofMillis(200), Duration.ofSeconds(1))
                .withTransfer(TransferOptions.defaults());
        TransferQueue q = TransferQueue.open(dir.resolve("state" + (++run)), SiteDirectory.of(from, to),
                options, new ControlDialogue(), new StrategyMemory());
        q.start();
        return q;
    }

    static Mirror mirror(TransferQueue q, RealPeer from, String s, RealPeer to, String d) {
        return mirror(q, site(from), s, site(to), d);
    }

    static Mirror mirror(TransferQueue q, Site from, String s, Site to, String d) {
        return new Mirror(q, Endpoint.of(from), s, Endpoint.of(to), d,
                new Mirror.Options(CompareMode.TIME, NO_LOGS, true, false, false));
    }

    static Comparison compareByTime(RealPeer from, String s, RealPeer to, String d) throws Exception {
        return compareByTime(site(from), s, site(to), d);
    }

    static Comparison compareByTime(Site from, String s, Site to, String d) throws Exception {
        ControlDialogue dialogue = new ControlDialogue();
        try (FtpSession a = FtpSession.open(from, dialogue, false);
                FtpSession b = FtpSession.open(to, dialogue, false)) {
            return TreeCompare.compare(new RemotePlace(a), s, new RemotePlace(b), d, CompareMode.TIME, NO_LOGS,
                    false);
        }
    }

    static QueueItem item(TransferQueue q, String name) {
        return q.items().stream().filter(i -> i.sourcePath().endsWith("/" + name)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void afterAMirrorEveryPairOfServersIsEqualByTime() throws Exception {
        RealPeer[][] pairs = {{vs, pro}, {pro, vs}, {pro, pure}, {pure, pro}, {vs, pure}, {pure, vs}, {vs, vs}};
        for (RealPeer[] p : pairs) {
            int n = ++run;
            String s = "/src" + n;
            String d = "/dst" + n;
            Path src = p[0].root().resolve(s.substring(1));
            Path dst = p[1].root().resolve(d.substring(1));
            MirrorTrees.plant(src, dst, false);
            String pair = p[0].kind() + " -> " + p[1].kind();
            assertFalse(compareByTime(p[0], s, p[1], d).equal(), pair);
            try (TransferQueue q = queue(p[0], p[1], 3)) {
                Mirror m = mirror(q, p[0], s, p[1], d);
                MirrorPlan plan = m.plan(m.compare());
                // stale.txt (same size, the destination's newer): the destination can take the source's time
                assertTrue(plan.of(MirrorPlan.Type.COPY).stream().anyMatch(a -> a.path().equals("stale.txt")),
                        pair + ": " + plan.actions());
                Mirror.Outcome o = m.execute(plan, line -> { });
                assertTrue(o.ok(), pair + ": " + o);
                assertTrue(item(q, "changed.txt").reason().endsWith(", time kept"), item(q, "changed.txt").reason());
            }
            Comparison after = compareByTime(p[0], s, p[1], d);
            assertTrue(after.equal(), pair + ": " + after.differences());
            assertTrue(after.notes().isEmpty(), pair + ": " + after.notes());
            for (String f : List.of("changed.txt", "stale.txt", "grown.txt", "only-src.txt", "new/deep/n.txt")) {
                assertEquals(Files.getLastModifiedTime(src.resolve(f)), Files.getLastModifiedTime(dst.resolve(f)),
                        pair + " " + f);
            }
            System.out.println("TIMES " + pair + ": equal by time after the mirror: " + after.summary());
        }
    }

    /**
     * pure-ftpd behind a front that hides MFMT: it cannot take a copy's time, so (as lftp does) a
     * destination file of the same size that is newer counts as the same, before and after a mirror;
     * a source file that is newer still differs.
     */
    @Test
    void aDestinationThatCannotSetTimesCountsANewerFileOfTheSameSizeAsTheSame() throws Exception {
        try (FeatureHidingFront front = FeatureHidingFront.hiding(pure, "MFMT")) {
            Site noTimes = pure.siteBuilder().port(front.port()).name("pure-ftpd without MFMT").maxConnections(6)
                    .build();
            int n = ++run;
            String s = "/src" + n;
            String d = "/dst" + n;
            Path src = pro.root().resolve(s.substring(1));
            Path dst = pure.root().resolve(d.substring(1));
            MirrorTrees.plant(src, dst, false);
            Comparison c = compareByTime(site(pro), s, noTimes, d);
            java.util.Map<String, String> want = MirrorTrees.expectedByTime();
            assertEquals("older", want.remove("stale.txt"));
            assertEquals(want, CompareMirrorRealServersTest.verdicts(c), c.entries().toString());
            assertTrue(c.notes().stream().anyMatch(x -> x.startsWith("pure-ftpd without MFMT cannot set file times")),
                    c.notes().toString());
            try (TransferQueue q = queue(site(pro), noTimes, 3)) {
                Mirror m = mirror(q, site(pro), s, noTimes, d);
                Mirror.Outcome o = m.execute(m.plan(m.compare()), line -> { });
                assertTrue(o.ok(), o.toString());
                String why = item(q, "changed.txt").reason();
                assertFalse(why.contains("time kept"), why);
            }
            assertTrue(Files.getLastModifiedTime(dst.resolve("changed.txt")).toInstant()
                    .isAfter(Files.getLastModifiedTime(src.resolve("changed.txt")).toInstant()), "the copy's own time");
            Comparison after = compareByTime(site(pro), s, noTimes, d);
            assertTrue(after.equal(), after.differences().toString());
            System.out.println("NO MFMT: after the mirror " + after.summary() + "; " + after.notes());
        }
    }

    @Test
    void aSourceThatChangedSinceTheComparisonIsCopiedAsItIsNowWithTheReason() throws Exception {
        int n = ++run;
        String s = "/src" + n;
        String d = "/dst" + n;
        Path src = pro.root().resolve(s.substring(1));
        Path dst = vs.root().resolve(d.substring(1));
        MirrorTrees.plant(src, dst, false);
        try (TransferQueue q = queue(pro, vs, 3)) {
            Mirror m = mirror(q, pro, s, vs, d);
            MirrorPlan plan = m.plan(m.compare());
            // between the listing and the copy: grown.txt grows, only-src.txt shrinks
            Files.write(src.resolve("grown.txt"), new byte[100], StandardOpenOption.APPEND);
            Files.write(src.resolve("only-src.txt"), new byte[] {1, 2, 3}, StandardOpenOption.TRUNCATE_EXISTING);
            Mirror.Outcome o = m.execute(plan, line -> { });
            assertTrue(o.ok(), o.toString());
            assertTrue(item(q, "grown.txt").reason().contains("the source changed since it was listed (2000 bytes then, "
                    + "2100 now): copied as it is now"), item(q, "grown.txt").reason());
            assertTrue(item(q, "only-src.txt").reason().contains("(300 bytes then, 3 now)"),
                    item(q, "only-src.txt").reason());
            assertEquals(2100, item(q, "grown.txt").size());
            Trees.assertSameFile(src.resolve("grown.txt"), dst.resolve("grown.txt"));
            Trees.assertSameFile(src.resolve("only-src.txt"), dst.resolve("only-src.txt"));
        }
        assertTrue(compareByTime(pro, s, vs, d).equal());
    }

    /** The source grows while its bytes flow (a slow server): the copy is not kept, the old file stays. */
    @Test
    void aSourceThatChangesDuringItsCopyFailsWithTheReasonAndTheOldFileStays() throws Exception {
        try (RealPeer slow = RealPeers.start(PeerKind.PROFTPD, "127.0.14.4", dir.resolve("slow"),
                PeerConfig.FXP.withRate(100))) {
            for (RealPeer to : new RealPeer[] {pure, vs}) {
                int n = ++run;
                String s = "/src" + n;
                String d = "/dst" + n;
                Path src = Trees.mkdir(slow.root().resolve(s.substring(1)));
                Path dst = Trees.mkdir(to.root().resolve(d.substring(1)));
                byte[] old = new byte[5000];
                java.util.Arrays.fill(old, (byte) 7);
                Trees.write(dst.resolve("big.bin"), old);
                Files.setLastModifiedTime(dst.resolve("big.bin"), java.nio.file.attribute.FileTime.from(MirrorTrees.T0));
                Trees.bigFile(src.resolve("big.bin"), 400_000, 5);
                Path part = dst.resolve("big.bin" + Place.PART);
                try (TransferQueue q = queue(slow, to, 1)) {
                    Mirror m = mirror(q, slow, s, to, d);
                    MirrorPlan plan = m.plan(m.compare());
                    assertEquals(List.of("big.bin"), plan.of(MirrorPlan.Type.COPY).stream().map(MirrorPlan.Action::path)
                            .toList());
                    CompletableFuture<Mirror.Outcome> running = CompletableFuture.supplyAsync(() -> {
                        try {
                            return m.execute(plan, line -> { });
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (!(Files.exists(part) && Files.size(part) > 50_000) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertTrue(Files.exists(part), "the copy began");
                    Files.write(src.resolve("big.bin"), new byte[10_000], StandardOpenOption.APPEND);
                    Mirror.Outcome o = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(1, o.failed().size(), o.toString());
                    QueueItem f = o.failed().get(0);
                    assertEquals(ItemState.FAILED, f.state());
                    assertTrue(f.reason().contains("big.bin changed during the copy (400000 bytes")
                            && f.reason().contains("410000 bytes") && f.reason().contains("the copy is not kept"),
                            f.reason());
                    System.out.println("CHANGED DURING COPY -> " + to.kind() + ": " + f.reason());
                }
                assertArrayEquals(old, Files.readAllBytes(dst.resolve("big.bin")), "the old file is untouched");
                assertEquals(MirrorTrees.T0, Files.getLastModifiedTime(dst.resolve("big.bin")).toInstant());
                assertFalse(Files.exists(part), "no temporary file left");
            }
        }
    }

    /**
     * A mirror's copy stopped half-way (cancelled: what it wrote is kept to be resumed), then the source
     * is rewritten with other bytes of the same size: the retry does not join the two versions but
     * copies from the start, and says so.
     */
    @Test
    void aCopyIsNotResumedFromAnotherVersionOfTheSource() throws Exception {
        try (RealPeer slow = RealPeers.start(PeerKind.PROFTPD, "127.0.14.5", dir.resolve("slow2"),
                PeerConfig.FXP.withRate(100))) {
            int n = ++run;
            Path src = Trees.mkdir(slow.root().resolve("src" + n));
            Path dst = Trees.mkdir(pure.root().resolve("dst" + n));
            Trees.bigFile(src.resolve("big.bin"), 400_000, 7);
            Files.setLastModifiedTime(src.resolve("big.bin"), java.nio.file.attribute.FileTime.from(MirrorTrees.T0));
            try (TransferQueue q = queue(slow, pure, 3)) {
                QueueItem i = q.addFile(Endpoint.of(site(slow)), "/src" + n + "/big.bin", Endpoint.of(site(pure)),
                        "/dst" + n + "/big.bin", 400_000, ConflictRule.OVERWRITE);
                assertTrue(i.keepTimes());
                long deadline = System.nanoTime() + 20_000_000_000L;
                Path partial = dst.resolve("big.bin");
                while (!(Files.exists(partial) && Files.size(partial) > 100_000) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                q.cancel(List.of(i.id()));
                assertTrue(q.awaitFinished(i.id(), Duration.ofSeconds(30)));
                assertEquals(ItemState.CANCELLED, q.item(i.id()).orElseThrow().state());
                long kept = Files.size(partial);
                assertTrue(kept > 0 && kept < 400_000, "kept to be resumed: " + kept);
                // another version of the source, the same size
                Trees.bigFile(src.resolve("big.bin"), 400_000, 8);
                Files.setLastModifiedTime(src.resolve("big.bin"), java.nio.file.attribute.FileTime.from(
                        MirrorTrees.T0.plusSeconds(3600)));
                q.retry(List.of(i.id()));
                assertTrue(q.awaitFinished(i.id(), Duration.ofSeconds(60)));
                QueueItem done = q.item(i.id()).orElseThrow();
                assertEquals(ItemState.DONE, done.state(), done.reason());
                assertTrue(done.reason().contains("the source changed since an earlier attempt")
                        && done.reason().contains("copied from the start"), done.reason());
                assertFalse(done.reason().contains("resumed"), done.reason());
                System.out.println("NOT RESUMED: " + done.reason());
            }
            Trees.assertSameFile(src.resolve("big.bin"), dst.resolve("big.bin"));
            assertEquals(MirrorTrees.T0.plusSeconds(3600), Files.getLastModifiedTime(dst.resolve("big.bin")).toInstant());
        }
    }

    /**
     * The destination folder is sticky (mode 1777) and the old file belongs to another user: the FTP
     * user may write a new file there and delete its own, but not rename over the old one.
     */
    @Test
    void aDestinationThatRefusesTheRenameKeepsTheOldFileAndNoTemporaryFile() throws Exception {
        for (RealPeer to : new RealPeer[] {vs, pro, pure}) {
            int n = ++run;
            String s = "/src" + n;
            String d = "/dst" + n;
            Path src = Trees.mkdir(pro.root().resolve(s.substring(1)));
            Path dst = Trees.mkdir(to.root().resolve(d.substring(1)));
            byte[] old = new byte[800];
            java.util.Arrays.fill(old, (byte) 3);
            Trees.write(dst.resolve("x.txt"), old); // root's file, writable by everyone
            Files.setLastModifiedTime(dst.resolve("x.txt"), java.nio.file.attribute.FileTime.from(MirrorTrees.T0));
            Trees.write(src.resolve("x.txt"), new byte[1000]);
            Files.setLastModifiedTime(src.resolve("x.txt"), java.nio.file.attribute.FileTime.from(
                    MirrorTrees.T0.plusSeconds(60)));
            Process chmod = new ProcessBuilder("chmod", "1777", dst.toString()).inheritIO().start(); // NIO has no sticky bit
            assertEquals(0, chmod.waitFor());
            try (TransferQueue q = queue(pro, to, 1)) {
                Mirror m = mirror(q, pro, s, to, d);
                Mirror.Outcome o = m.execute(m.plan(m.compare()), line -> { });
                assertEquals(1, o.failed().size(), to.kind() + ": " + o);
                String why = o.failed().get(0).reason() + "\n" + String.join("\n", o.failed().get(0).details());
                assertTrue(o.failed().get(0).reason().contains("refused to rename the complete copy")
                        && why.contains("x.txt is unchanged") && why.contains("removed the complete copy"),
                        to.kind() + ": " + why);
                System.out.println("NO RENAME on " + to.kind() + ": " + why);
            } finally {
                Files.setPosixFilePermissions(dst, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            assertArrayEquals(old, Files.readAllBytes(dst.resolve("x.txt")), to.kind() + ": the old file is untouched");
            assertEquals(MirrorTrees.T0, Files.getLastModifiedTime(dst.resolve("x.txt")).toInstant());
            assertEquals(List.of("x.txt"), Trees.listing(dst).stream().filter(x -> !x.isEmpty()).toList(),
                    to.kind() + ": no temporary file left");
        }
    }
}
