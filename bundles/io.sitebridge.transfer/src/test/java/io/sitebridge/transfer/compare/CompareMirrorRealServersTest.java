package io.sitebridge.transfer.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.MirrorTrees;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.engine.RemotePlace;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * Comparing and mirroring planted trees ({@link MirrorTrees}) between vsftpd (LIST and MDTM),
 * proftpd (MLSD, server-side hashes) and pure-ftpd (MLSD, no hashes), by FXP and by relay: the
 * comparison finds exactly the planted differences; a mirror with delete and an exclude leaves
 * the destination equal to the source minus the excluded files, which stay untouched; a second
 * comparison finds nothing; a refused deletion stops all deleting.
 */
class CompareMirrorRealServersTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static RealPeer pro2;
    static RealPeer pure;
    static final PathFilter NO_LOGS = PathFilter.of(List.of(), List.of("*.log"));
    static int run;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-mirror");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.12.1", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.12.2", dir.resolve("pro"), PeerConfig.FXP);
        pro2 = RealPeers.start(PeerKind.PROFTPD, "127.0.12.3", dir.resolve("pro2"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.12.4", dir.resolve("pure"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro, pro2, pure);
        Trees.deleteAll(dir);
    }

    static Site site(RealPeer p) {
        return p.siteBuilder().maxConnections(6).build();
    }

    /** Plants fresh trees on both servers; returns {source folder, destination folder} (server paths). */
    static String[] plant(RealPeer from, RealPeer to, boolean twin) throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        MirrorTrees.plant(from.root().resolve(s.substring(1)), to.root().resolve(d.substring(1)), twin);
        return new String[] {s, d};
    }

    static Comparison compare(RealPeer from, String s, RealPeer to, String d, CompareMode mode) throws Exception {
        ControlDialogue dialogue = new ControlDialogue();
        try (FtpSession a = FtpSession.open(site(from), dialogue, false);
                FtpSession b = FtpSession.open(site(to), dialogue, false)) {
            return TreeCompare.compare(new RemotePlace(a), s, new RemotePlace(b), d, mode, NO_LOGS, false);
        }
    }

    static Map<String, String> verdicts(Comparison c) {
        Map<String, String> m = new TreeMap<>();
        for (Difference d : c.differences()) {
            m.put(d.path(), d.kind().label);
        }
        return m;
    }

    @Test
    void timeComparisonFindsExactlyThePlantedDifferencesForEveryPair() throws Exception {
        RealPeer[][] pairs = {{vs, pro}, {pro, pure}, {pure, vs}, {vs, vs}};
        for (RealPeer[] p : pairs) {
            String[] t = plant(p[0], p[1], true);
            Comparison c = compare(p[0], t[0], p[1], t[1], CompareMode.TIME);
            String pair = p[0].kind() + " -> " + p[1].kind();
            assertEquals(MirrorTrees.expectedByTime(), verdicts(c), pair + ": " + c.entries());
            assertEquals(CompareMode.TIME, c.modeUsed());
            assertTrue(c.sourceComplete());
            assertTrue(c.notes().isEmpty(), pair + " (MDTM for LIST servers): " + c.notes());
            // --only-newer: the one-sided files and the newer one; not the older, not the same-time other size
            MirrorPlan newer = MirrorPlan.of(c, false, true, false);
            assertEquals(List.of("changed.txt", "new/deep/n.txt", "only-src.txt"), newer.of(MirrorPlan.Type.COPY)
                    .stream().map(MirrorPlan.Action::path).sorted().toList(), pair);
            assertEquals(List.of("extra.txt", "grown.txt", "old", "old/o.txt", "stale.txt"), newer.kept().stream()
                    .map(MirrorPlan.Action::path).sorted().toList(), pair);
            // by size: only the sizes and the one-sided paths
            Map<String, String> bySize = verdicts(compare(p[0], t[0], p[1], t[1], CompareMode.SIZE));
            Map<String, String> want = MirrorTrees.expectedByTime();
            want.remove("changed.txt");
            want.remove("stale.txt");
            assertEquals(want, bySize, pair);
        }
    }

    @Test
    void hashComparisonUsesTheServersSharedHashAndFindsSameSizeDifferentContent() throws Exception {
        String[] t = plant(pro, pro2, true);
        Comparison c = compare(pro, t[0], pro2, t[1], CompareMode.HASH);
        assertEquals(CompareMode.HASH, c.modeUsed());
        assertTrue(c.hashMethod() != null, "proftpd's mod_digest offers a hash");
        assertEquals(MirrorTrees.expectedByHash(), verdicts(c), c.entries().toString());
        System.out.println("HASH: proftpd <-> proftpd compared by " + c.hashMethod() + ": " + c.summary());

        // vsftpd and pure-ftpd offer no hash: said so, and compared by size and time
        String[] u = plant(vs, pure, true);
        Comparison f = compare(vs, u[0], pure, u[1], CompareMode.HASH);
        assertEquals(CompareMode.TIME, f.modeUsed());
        assertNull(f.hashMethod());
        assertTrue(f.notes().stream().anyMatch(n -> n.contains("share no hash")), f.notes().toString());
        assertEquals(MirrorTrees.expectedByTime(), verdicts(f));
    }

    @Test
    void mirrorWithDeleteAndExcludeByFxpAndRelay() throws Exception {
        mirror(vs, pro, true, CompareMode.TIME, false);
        mirror(pro, pure, false, CompareMode.TIME, false);
        mirror(pure, vs, true, CompareMode.SIZE, false);
        mirror(pro, pro2, true, CompareMode.HASH, true);
    }

    private void mirror(RealPeer from, RealPeer to, boolean fxp, CompareMode mode, boolean twin) throws Exception {
        String[] t = plant(from, to, twin);
        Path src = from.root().resolve(t[0].substring(1));
        Path dst = to.root().resolve(t[1].substring(1));
        Map<String, byte[]> excluded = new HashMap<>();
        Map<String, Object> excludedTimes = new HashMap<>();
        for (String e : MirrorTrees.excludedAtDestination()) {
            excluded.put(e, Files.readAllBytes(dst.resolve(e)));
            excludedTimes.put(e, Files.getLastModifiedTime(dst.resolve(e)));
        }
        Site a = site(from);
        Site b = site(to);
        QueueOptions options = QueueOptions.defaults().withParallel(2).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1))
                .withTransfer(io.sitebridge.transfer.TransferOptions.defaults().withFxpAllowed(fxp));
        try (TransferQueue q = TransferQueue.open(dir.resolve("state" + run), SiteDirectory.of(a, b), options,
                new ControlDialogue(), new StrategyMemory())) {
            q.start();
            Mirror m = new Mirror(q, Endpoint.of(a), t[0], Endpoint.of(b), t[1],
                    new Mirror.Options(mode, NO_LOGS, true, false, false));
            MirrorPlan plan = m.plan(m.compare());
            String pair = from.kind() + " -> " + to.kind() + (fxp ? " (FXP)" : " (relay)") + " by " + mode.label();
            assertTrue(plan.refusals().isEmpty(), plan.refusals().toString());
            // a plan changes nothing
            assertEquals(MirrorTrees.expectedByTime().size() - (mode == CompareMode.SIZE ? 2 : 0)
                    + (twin ? 1 : 0) - (mode == CompareMode.HASH ? 1 : 0),
                    m.compare().differences().size(), pair);
            Mirror.Outcome o = m.execute(plan, line -> { });
            assertTrue(o.ok(), pair + ": " + o);
            // the destination is the source minus the excluded files, which are untouched
            for (String e : MirrorTrees.excludedAtDestination()) {
                assertArrayEquals(excluded.get(e), Files.readAllBytes(dst.resolve(e)), e);
                assertEquals(excludedTimes.get(e), Files.getLastModifiedTime(dst.resolve(e)), e);
                Files.delete(dst.resolve(e));
            }
            Files.delete(dst.resolve("old")); // kept for old/keep.log; empty now: old/o.txt was deleted
            Files.delete(src.resolve("notes.log"));
            if (mode == CompareMode.SIZE) {
                // by size, changed.txt (same size, source newer) is "the same": by design not copied
                Files.copy(src.resolve("changed.txt"), dst.resolve("changed.txt"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Trees.assertSameTree(src, dst);
            Comparison again = m.compare();
            assertTrue(again.equal(), pair + ": " + again.differences());
            assertTrue(m.plan(again).isEmpty(), pair + ": " + m.plan(again).actions());
            System.out.printf("MIRROR %s: %s -> copied %d, deleted %d%n", pair, plan.summary(), o.copied(),
                    o.deleted());
        }
    }

    @Test
    void refusedDeletionStopsAllDeletingWithItsReason() throws Exception {
        String[] t = plant(pro, vs, false);
        Path dst = vs.root().resolve(t[1].substring(1));
        Path locked = Trees.mkdir(dst.resolve("deep/locked"));
        Trees.write(locked.resolve("x.txt"), new byte[] {1, 2, 3});
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        Site a = site(pro);
        Site b = site(vs);
        QueueOptions options = QueueOptions.defaults().withParallel(2).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false);
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-550"), SiteDirectory.of(a, b), options,
                new ControlDialogue(), new StrategyMemory())) {
            q.start();
            Mirror m = new Mirror(q, Endpoint.of(a), t[0], Endpoint.of(b), t[1],
                    new Mirror.Options(CompareMode.TIME, NO_LOGS, true, false, false));
            MirrorPlan plan = m.plan(m.compare());
            assertEquals("deep/locked/x.txt", plan.of(MirrorPlan.Type.DELETE).get(0).path(), plan.actions().toString());
            Mirror.Outcome o = m.execute(plan, line -> { });
            assertEquals(0, o.deleted());
            assertTrue(o.deleteFailure() != null && o.deleteFailure().startsWith("cannot delete deep/locked/x.txt: ")
                    && o.deleteFailure().contains("550") && o.deleteFailure().endsWith("nothing else was deleted"),
                    o.deleteFailure());
            System.out.println("550: " + o.deleteFailure());
            assertTrue(Files.exists(dst.resolve("extra.txt")));
            assertTrue(Files.exists(dst.resolve("old/o.txt")));
            assertTrue(Files.exists(locked.resolve("x.txt")));
            assertTrue(o.failed().isEmpty(), "the copies went on: " + o.failed());
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
    }

    @Test
    void nothingIsDeletedWhenTheSourceIsEmptyOrPartlyUnlistable() throws Exception {
        String[] t = plant(pro, pure, false);
        Path src = pro.root().resolve(t[0].substring(1));
        Site a = site(pro);
        Site b = site(pure);
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-empty"), SiteDirectory.of(a, b),
                QueueOptions.defaults().withVerifyCertificates(false), new ControlDialogue(), new StrategyMemory())) {
            // an unlistable source folder
            Path hidden = src.resolve("new");
            Files.setPosixFilePermissions(hidden, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
            try {
                Mirror m = new Mirror(q, Endpoint.of(a), t[0], Endpoint.of(b), t[1],
                        new Mirror.Options(CompareMode.TIME, NO_LOGS, true, false, false));
                Comparison c = m.compare();
                assertFalse(c.sourceComplete(), c.entries().toString());
                Difference p = c.entries().stream().filter(d -> d.path().equals("new")).findFirst().orElseThrow();
                assertEquals(Difference.Kind.PROBLEM, p.kind());
                assertTrue(p.detail().startsWith("cannot list the source folder"), p.detail());
                MirrorPlan plan = m.plan(c);
                assertTrue(plan.of(MirrorPlan.Type.DELETE).isEmpty() && plan.of(MirrorPlan.Type.RMDIR).isEmpty());
                assertEquals(List.of("part of the source could not be listed: nothing is deleted"), plan.refusals());
            } finally {
                Files.setPosixFilePermissions(hidden, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            // an empty source
            Trees.deleteAll(src);
            Trees.mkdir(src);
            Mirror m = new Mirror(q, Endpoint.of(a), t[0], Endpoint.of(b), t[1],
                    new Mirror.Options(CompareMode.TIME, PathFilter.ALL, true, false, false));
            MirrorPlan plan = m.plan(m.compare());
            assertTrue(plan.actions().isEmpty(), plan.actions().toString());
            assertTrue(plan.refusals().get(0).startsWith("the source folder is empty"), plan.refusals().toString());
            MirrorPlan allowed = MirrorPlan.of(m.compare(), true, false, true);
            assertTrue(allowed.of(MirrorPlan.Type.DELETE).size() >= 5, allowed.actions().toString());
        }
    }

    @Test
    void caseOnlyClashesAndLinkLoopsGetOneReasonEachAndAreLeftAlone() throws Exception {
        for (RealPeer[] p : new RealPeer[][] {{vs, pro}, {pro, pure}}) {
            String[] t = plant(p[0], p[1], false);
            Path src = p[0].root().resolve(t[0].substring(1));
            Path dst = p[1].root().resolve(t[1].substring(1));
            Trees.write(src.resolve("Readme.txt"), new byte[] {1});
            Trees.write(src.resolve("README.txt"), new byte[] {2});
            Trees.write(src.resolve("Photo.JPG"), new byte[] {3});
            Trees.write(dst.resolve("photo.jpg"), new byte[] {4});
            Files.createSymbolicLink(src.resolve("same/loop"), Path.of(".."));
            Comparison c = compare(p[0], t[0], p[1], t[1], CompareMode.TIME);
            String pair = p[0].kind() + " -> " + p[1].kind();
            Map<String, Difference> by = new TreeMap<>();
            for (Difference d : c.entries()) {
                assertNull(by.put(d.path(), d), pair + ": one verdict per path: " + d);
            }
            for (String n : List.of("Readme.txt", "README.txt", "Photo.JPG")) {
                assertEquals(Difference.Kind.PROBLEM, by.get(n).kind(), pair + " " + by.get(n));
                assertTrue(by.get(n).detail().contains("differ only in case"), by.get(n).detail());
            }
            assertNull(by.get("photo.jpg"), "reported once, under the source's name");
            Difference loop = by.get("same/loop");
            assertEquals(Difference.Kind.SKIPPED, loop.kind(), pair + " " + loop);
            assertTrue(loop.detail().startsWith("symbolic link at the source"), loop.detail());
            assertEquals(MirrorTrees.expectedByTime(), verdicts(c).entrySet().stream()
                    .filter(e -> !e.getValue().equals("problem"))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x,
                            TreeMap::new)), pair);
            MirrorPlan plan = MirrorPlan.of(c, true, false, false);
            assertTrue(plan.actions().stream().noneMatch(a -> a.path().equalsIgnoreCase("photo.jpg")
                    || a.path().equalsIgnoreCase("readme.txt") || a.path().contains("loop")), plan.actions().toString());
            System.out.println("BAD NAMES " + pair + ": " + by.get("Photo.JPG").line() + " | " + loop.line());
        }
    }
}
