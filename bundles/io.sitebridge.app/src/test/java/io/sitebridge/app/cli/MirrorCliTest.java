package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.testing.MirrorTrees;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * {@code sitebridge diff} and {@code sitebridge mirror} against real servers (vsftpd, proftpd,
 * pure-ftpd; FXP and relay): diff prints exactly the planted differences and exits 1, then 0
 * after a mirror; {@code --dry-run} changes nothing; {@code --delete --exclude} leaves the
 * destination equal to the source minus the excluded files, which stay untouched; a mirror
 * killed with SIGKILL finishes when run again without sending a finished file again.
 */
class MirrorCliTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static RealPeer pure;
    static int run;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-mirror-cli");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.12.11", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.12.12", dir.resolve("pro"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.12.13", dir.resolve("pure"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro, pure);
        Trees.deleteAll(dir);
    }

    record Run(int exit, String out, String err) { }

    static Run cli(String... args) {
        return cli(dir.resolve("state"), args);
    }

    static Run cli(Path home, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("SITEBRIDGE_PASSWORD", vs.password());
        env.put("SITEBRIDGE_HOME", home.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, () -> null).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {path: verdict} from diff's standard output ({@code verdict  path[/]  (...)}). */
    static Map<String, String> verdicts(String out) {
        Map<String, String> m = new TreeMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            String path = f[1].endsWith("/") ? f[1].substring(0, f[1].length() - 1) : f[1];
            m.put(path, f[0]);
        }
        return m;
    }

    /** Every file and folder under root with its bytes' hash and time: what "changes nothing" compares. */
    static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : java.util.Arrays.hashCode(Files.readAllBytes(p)) + " " + Files.getLastModifiedTime(p));
            }
        }
        return m;
    }

    @Test
    void diffDryRunMirrorDiffForEachPair() throws Exception {
        mirrorPair(vs, pro, "--parallel", "3");
        mirrorPair(pro, pure, "--relay-only");
        mirrorPair(pure, vs);
    }

    private void mirrorPair(RealPeer from, RealPeer to, String... extra) throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        Path src = from.root().resolve(s.substring(1));
        Path dst = to.root().resolve(d.substring(1));
        MirrorTrees.plant(src, dst, false);
        String pair = from.kind() + " -> " + to.kind() + " " + List.of(extra);

        Run diff = cli("diff", "--exclude", "*.log", from.url(s), to.url(d));
        assertEquals(1, diff.exit, pair + diff.err);
        assertEquals(MirrorTrees.expectedByTime(), verdicts(diff.out), pair + "\n" + diff.out);

        Map<String, String> before = snapshot(dst);
        Run dry = cli("mirror", "--delete", "--exclude", "*.log", "--dry-run", from.url(s), to.url(d));
        assertEquals(0, dry.exit, pair + dry.out + dry.err);
        assertEquals(before, snapshot(dst), "--dry-run changed nothing");
        for (String line : new String[] {"mkdir   new/", "mkdir   new/deep/", "copy    changed.txt",
                "copy    grown.txt", "copy    only-src.txt", "copy    new/deep/n.txt", "delete  extra.txt",
                "delete  old/o.txt", "copy    stale.txt"}) {
            assertTrue(dry.out.lines().anyMatch(l -> l.startsWith(line)), line + " missing from\n" + dry.out);
        }
        assertTrue(dry.out.contains("dry run: 2 folders to create, 5 files to copy (4400 bytes), 2 files to delete"
                + " (300 bytes); nothing was changed"), dry.out);

        List<String> args = new ArrayList<>(List.of("mirror", "--delete", "--exclude", "*.log"));
        args.addAll(List.of(extra));
        args.addAll(List.of(from.url(s), to.url(d)));
        Run m = cli(args.toArray(String[]::new));
        assertEquals(0, m.exit, pair + m.out + m.err);
        for (String e : MirrorTrees.excludedAtDestination()) {
            assertEquals(before.get(e), snapshot(dst).get(e), "excluded and untouched: " + e);
        }
        assertTrue(m.out.contains("mirrored: 5 copied, 2 deleted"), m.out);
        if (List.of(extra).contains("--relay-only")) {
            assertTrue(m.out.contains("relay"), "relayed: " + m.out);
        }

        // equal now by size and by time: each copy has its source's time
        Run after = cli("diff", "--exclude", "*.log", "--compare", "size", from.url(s), to.url(d));
        assertEquals(0, after.exit, pair + after.out + after.err);
        assertEquals("", after.out);
        Run byTime = cli("diff", "--exclude", "*.log", "--compare", "time", from.url(s), to.url(d));
        assertEquals(0, byTime.exit, pair + byTime.out + byTime.err);
        assertEquals("", byTime.out);
        // run again: nothing to do
        Run again = cli("mirror", "--delete", "--exclude", "*.log", from.url(s), to.url(d));
        assertEquals(0, again.exit, again.out + again.err);
        assertTrue(again.out.contains("nothing to do"), again.out);
        for (String e : MirrorTrees.excludedAtDestination()) {
            Files.delete(dst.resolve(e));
        }
        Files.delete(dst.resolve("old"));
        Files.delete(src.resolve("notes.log"));
        Trees.assertSameTree(src, dst);
        System.out.println("MIRROR CLI " + pair + ": " + m.out.lines().filter(l -> l.startsWith("mirror"))
                .findFirst().orElse(""));
    }

    /**
     * The global skip list and the saved sites' own: diff and mirror leave their patterns out on top
     * of --exclude (neither copied nor deleted); a URL has only the global list.
     */
    @Test
    void skipListsGlobalAndPerSavedSiteAreLeftOutByDiffAndMirror() throws Exception {
        Path home = dir.resolve("skip-home");
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        Path src = vs.root().resolve(s.substring(1));
        Path dst = pro.root().resolve(d.substring(1));
        MirrorTrees.plant(src, dst, false);
        assertEquals(0, cli(home, "sites", "add", vs.url("/"), "left").exit);
        assertEquals(0, cli(home, "sites", "add", pro.url("/"), "right").exit);
        Run add = cli(home, "skip", "add", "*.log");
        assertEquals(0, add.exit, add.err);
        assertEquals("added *.log to the global skip list\n", add.out.replace("\r", ""));
        assertEquals(0, cli(home, "skip", "add", "--site", "left", "only-src.txt").exit);
        assertEquals(0, cli(home, "skip", "add", "--site", "right", "extra.txt").exit);
        assertEquals(ExitCode.USAGE.code, cli(home, "skip", "add", "--site", "nobody", "x").exit);
        Run list = cli(home, "skip", "list");
        assertEquals(List.of("global  *.log", "left  only-src.txt", "right  extra.txt"), list.out.lines().toList());
        assertEquals(List.of("right  extra.txt"), cli(home, "skip", "list", "--site", "right").out.lines().toList());

        Run diff = cli(home, "diff", "left:" + s, "right:" + d);
        assertEquals(1, diff.exit, diff.err);
        Map<String, String> want = MirrorTrees.expectedByTime();
        want.remove("only-src.txt");
        want.remove("extra.txt");
        assertEquals(want, verdicts(diff.out), diff.out);
        assertTrue(diff.err.contains("the skip lists leave out: *.log  only-src.txt  extra.txt"), diff.err);
        Run byUrl = cli(home, "diff", vs.url(s), pro.url(d));
        assertEquals(MirrorTrees.expectedByTime(), verdicts(byUrl.out), "a URL: the global list only\n" + byUrl.out);

        Map<String, String> before = snapshot(dst);
        Run m = cli(home, "mirror", "--delete", "left:" + s, "right:" + d);
        assertEquals(0, m.exit, m.out + m.err);
        Map<String, String> after = snapshot(dst);
        for (String kept : List.of("extra.txt", "keep.log", "old/keep.log", "notes.log")) {
            assertEquals(before.get(kept), after.get(kept), "skipped and untouched: " + kept);
        }
        assertTrue(!Files.exists(dst.resolve("only-src.txt")), "skipped at the source: not copied");
        assertTrue(!Files.exists(dst.resolve("old/o.txt")), "not skipped: deleted");
        assertEquals(0, cli(home, "diff", "left:" + s, "right:" + d).exit);

        Run rm = cli(home, "skip", "remove", "--site", "right", "extra.txt");
        assertEquals(0, rm.exit, rm.err);
        assertEquals(ExitCode.USAGE.code, cli(home, "skip", "remove", "--site", "right", "extra.txt").exit);
        Run again = cli(home, "diff", "left:" + s, "right:" + d);
        assertEquals(1, again.exit);
        assertEquals(Map.of("extra.txt", "only-destination"), verdicts(again.out), again.out);
        System.out.println("SKIP LISTS: " + diff.err.lines().filter(l -> l.contains("skip lists")).findFirst()
                .orElse(""));
    }

    /** vsftpd refuses to rename the complete copy over the old file (a sticky folder): one line says why. */
    @Test
    void aRefusedRenameIsOneClearLineAndTheOldFileStays() throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        Path src = Trees.mkdir(pro.root().resolve(s.substring(1)));
        Path dst = Trees.mkdir(vs.root().resolve(d.substring(1)));
        byte[] old = {1, 2, 3, 4};
        Trees.write(dst.resolve("x.txt"), old); // root's, in a sticky folder: the FTP user cannot replace it
        Trees.write(src.resolve("x.txt"), new byte[] {5, 6, 7, 8, 9});
        Trees.write(src.resolve("y.txt"), new byte[] {1});
        Process chmod = new ProcessBuilder("chmod", "1777", dst.toString()).inheritIO().start();
        assertEquals(0, chmod.waitFor());
        try {
            Run m = cli("mirror", pro.url(s), vs.url(d));
            assertEquals(ExitCode.FAILED.code, m.exit, m.out + m.err);
            List<String> failed = m.err.lines().filter(l -> l.startsWith("sitebridge: ") && l.contains("x.txt")).toList();
            assertEquals(1, failed.size(), m.err);
            assertTrue(failed.get(0).startsWith("sitebridge: failed x.txt: ") && failed.get(0).contains(
                    "refused to rename the complete copy"), m.err);
            // what became of the files, on lines of their own under the error
            assertTrue(m.err.lines().anyMatch(l -> l.startsWith("  ") && l.endsWith("x.txt is unchanged")), m.err);
            assertTrue(m.err.lines().anyMatch(l -> l.startsWith("  removed the complete copy ")), m.err);
            assertTrue(m.out.contains("mirrored: 1 copied, 0 deleted, 1 failed"), m.out);
            System.out.println("CLI NO RENAME: " + failed.get(0));
        } finally {
            java.nio.file.Files.setPosixFilePermissions(dst, java.nio.file.attribute.PosixFilePermissions
                    .fromString("rwxrwxrwx"));
        }
        assertTrue(java.util.Arrays.equals(old, Files.readAllBytes(dst.resolve("x.txt"))), "the old file stays");
        assertEquals(List.of("x.txt", "y.txt"), Trees.listing(dst), "no temporary file left");
    }

    @Test
    void hashVerifyAndManifestSayClearlyWhenTheServersCannot() throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        MirrorTrees.plant(vs.root().resolve(s.substring(1)), pure.root().resolve(d.substring(1)), true);
        Run diff = cli("diff", "--compare", "hash", "--exclude", "*.log", vs.url(s), pure.url(d));
        assertEquals(1, diff.exit);
        assertTrue(diff.err.contains("share no hash command"), diff.err);
        assertTrue(diff.err.contains("compared by time"), diff.err);
        Run m = cli("mirror", "--verify", "--manifest", "SHA256SUMS", vs.url(s), pure.url(d));
        assertEquals(ExitCode.VERIFY.code, m.exit, m.out + m.err);
        assertTrue(m.err.contains("cannot verify: ") && m.err.contains("share no server-side hash"), m.err);
        assertTrue(m.err.contains("cannot write the manifest SHA256SUMS: ") && m.err.contains("offers no SHA-256"),
                m.err);
    }

    @Test
    void verifyAndManifestByProftpdHashes() throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        Path dst = pro.root().resolve(d.substring(1));
        MirrorTrees.plant(pro.root().resolve(s.substring(1)), dst, true);
        // proftpd to itself (two folders): the one server with hashes
        Run m = cli("mirror", "--compare", "hash", "--delete", "--verify", "--manifest", "SHA256SUMS", pro.url(s),
                pro.url(d));
        assertEquals(0, m.exit, m.out + m.err);
        assertTrue(m.out.contains("verified: every file has the same server-side hash"), m.out);
        List<String> manifest = Files.readAllLines(dst.resolve("SHA256SUMS"));
        assertTrue(manifest.contains(sha256(dst.resolve("twin.bin")) + "  twin.bin"), manifest.toString());
        assertTrue(manifest.contains(sha256(dst.resolve("new/deep/n.txt")) + "  new/deep/n.txt"), manifest.toString());
        assertEquals(9, manifest.size(), "every file but the manifest: " + manifest);
        Run again = cli("mirror", "--compare", "hash", "--delete", "--manifest", "SHA256SUMS", pro.url(s), pro.url(d));
        assertTrue(again.out.contains("nothing to do"), "the manifest is not an extra to delete: " + again.out);
        assertTrue(Files.exists(dst.resolve("SHA256SUMS")));
    }

    static String sha256(Path p) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p)));
    }

    private Process child(Path state, Path out, Path err, String s, String d) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Cli.class.getName(), "mirror", "--delete", "--parallel", "2", "--state", state.toString(), "-v",
                vs.url(s), pro.url(d)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SITEBRIDGE_PASSWORD", vs.password());
        return pb.start();
    }

    private static long countFiles(Path root) throws Exception {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    /** Destination paths STORed (or APPEnded) in a run's -v log, with how often. */
    private static Map<String, Integer> stores(Path err, String dstSite) throws Exception {
        Map<String, Integer> n = new HashMap<>();
        String prefix = "[" + dstSite + "] > ";
        for (String line : Files.readAllLines(err)) {
            if (line.startsWith(prefix + "STOR ") || line.startsWith(prefix + "APPE ")) {
                n.merge(line.substring(prefix.length() + 5), 1, Integer::sum);
            }
        }
        return n;
    }

    @Test
    void killedMirrorRunAgainFinishesWithNothingSentTwice() throws Exception {
        run++;
        String s = "/src" + run;
        String d = "/dst" + run;
        Path src = vs.root().resolve(s.substring(1));
        Path dst = pro.root().resolve(d.substring(1));
        int files = Trees.smallTree(src, 5, 3, 20, 77);
        for (int i = 0; i < 3; i++) {
            Trees.bigFile(src.resolve("dir2/sub1/mid-" + i + ".bin"), 40L << 20, 200 + i);
            files++;
        }
        Trees.mkdir(dst);
        Trees.write(dst.resolve("extra.txt"), new byte[] {9});
        Path state = dir.resolve("crash-state");
        Path out1 = dir.resolve("m1.out");
        Path err1 = dir.resolve("m1.err");
        Process first = child(state, out1, err1, s, d);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (countFiles(dst) < 80 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(first.isAlive(), "the first run ended before it could be killed: " + Files.readString(out1)
                + Files.readString(err1));
        first.destroyForcibly(); // SIGKILL
        first.waitFor(10, TimeUnit.SECONDS);

        Set<String> doneBefore;
        try (TransferQueue q = TransferQueue.open(state.resolve("queue"), SiteDirectory.of(), QueueOptions.DEFAULT,
                new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
            doneBefore = q.items().stream().filter(i -> i.state() == ItemState.DONE).map(QueueItem::destinationPath)
                    .collect(Collectors.toSet());
            assertTrue(q.items().stream().anyMatch(i -> !i.state().isFinished()), "the first run was unfinished");
        }
        Map<String, Object> times = new HashMap<>();
        for (String p : doneBefore) {
            times.put(p, Files.getLastModifiedTime(pro.root().resolve(p.substring(1))));
        }

        Path out2 = dir.resolve("m2.out");
        Path err2 = dir.resolve("m2.err");
        Process second = child(state, out2, err2, s, d);
        assertTrue(second.waitFor(120, TimeUnit.SECONDS), "second run did not finish");
        assertEquals(0, second.exitValue(), Files.readString(out2) + Files.readString(err2));
        assertTrue(Files.readString(out2).startsWith("continuing an interrupted mirror: "), Files.readString(out2));
        assertTrue(!Files.exists(dst.resolve("extra.txt")), "deleted by the second run");
        Trees.assertSameTree(src, dst);

        String dstSite = pro.user() + "@" + pro.address() + ":" + pro.port();
        Map<String, Integer> run1 = stores(err1, dstSite);
        Map<String, Integer> run2 = stores(err2, dstSite);
        for (var e : run1.entrySet()) {
            assertEquals(1, e.getValue(), "sent twice in the first run: " + e.getKey());
        }
        for (var e : run2.entrySet()) {
            assertEquals(1, e.getValue(), "sent twice in the second run: " + e.getKey());
            assertTrue(!doneBefore.contains(e.getKey()), "sent again although done in the first run: " + e.getKey());
        }
        for (String p : doneBefore) {
            assertEquals(times.get(p), Files.getLastModifiedTime(pro.root().resolve(p.substring(1))), "untouched: " + p);
        }
        // Every file not done by the first run was sent once by the second, or found complete there.
        long foundComplete;
        try (TransferQueue q = TransferQueue.open(state.resolve("queue"), SiteDirectory.of(), QueueOptions.DEFAULT,
                new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
            List<QueueItem> after = q.items().stream().filter(i -> i.kind() == QueueItem.Kind.FILE).toList();
            for (QueueItem i : after) {
                if (!doneBefore.contains(i.destinationPath()) && !run2.containsKey(i.destinationPath())) {
                    assertTrue(i.reason().startsWith("found complete"), i.toString());
                }
            }
            foundComplete = after.stream().filter(i -> !doneBefore.contains(i.destinationPath())
                    && i.reason().startsWith("found complete")).count();
        }
        assertEquals(files, doneBefore.size() + run2.size() + foundComplete, "accounted for");

        // a third run: nothing to send
        Path out3 = dir.resolve("m3.out");
        Path err3 = dir.resolve("m3.err");
        Process third = child(state, out3, err3, s, d);
        assertTrue(third.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, third.exitValue(), Files.readString(out3) + Files.readString(err3));
        assertEquals(Map.of(), stores(err3, dstSite));
        assertTrue(Files.readString(out3).contains("nothing to do"), Files.readString(out3));
        System.out.printf("MIRROR CRASH: first run killed after %d files done; second run sent %d (of %d)%n",
                doneBefore.size(), run2.size(), files);
    }
}
