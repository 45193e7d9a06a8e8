package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
 * {@code sitebridge copy -r} in a child JVM is killed with SIGKILL in the middle of a folder; a
 * second run of the same command finishes it. From the two runs' dialogue logs (-v): no file that
 * the first run finished is sent again, no file is sent twice within a run, and the files the
 * first run finished are untouched at the destination (same modification time).
 */
class CopyCrashTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static int files;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-crash");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.19", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.20", dir.resolve("pro"), PeerConfig.FXP);
        files = Trees.smallTree(vs.root().resolve("tree"), 5, 3, 20, 99);
        for (int i = 0; i < 3; i++) {
            Trees.bigFile(vs.root().resolve("tree/dir2/sub1/mid-" + i + ".bin"), 40L << 20, 100 + i);
            files++;
        }
    }

    @AfterAll
    static void stop() {
        if (vs != null) {
            vs.close();
        }
        if (pro != null) {
            pro.close();
        }
        Trees.deleteAll(dir);
    }

    private Process cli(Path state, Path out, Path err) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Cli.class.getName(), "copy", "-r", "--parallel", "2", "--on-conflict", "overwrite",
                "--state", state.toString(), "-v", vs.url("/tree"), pro.url("/tree")));
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
    void killedMidQueueSecondRunFinishesWithNothingLostOrSentTwice() throws Exception {
        Path state = dir.resolve("state");
        Path out1 = dir.resolve("run1.out");
        Path err1 = dir.resolve("run1.err");
        Process first = cli(state, out1, err1);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (countFiles(pro.root().resolve("tree")) < 80 && first.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(first.isAlive(), "the first run ended before it could be killed: " + Files.readString(out1)
                + Files.readString(err1));
        first.destroyForcibly(); // SIGKILL
        first.waitFor(10, TimeUnit.SECONDS);

        // What the first run recorded as done, and those files' times at the destination.
        Set<String> doneBefore;
        try (TransferQueue q = TransferQueue.open(state.resolve("queue"), SiteDirectory.of(), QueueOptions.DEFAULT,
                new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
            doneBefore = q.items().stream().filter(i -> i.kind() == QueueItem.Kind.FILE
                    && i.state() == ItemState.DONE).map(QueueItem::destinationPath).collect(Collectors.toSet());
            assertTrue(q.items().stream().anyMatch(i -> !i.state().isFinished()), "the first run was unfinished");
        }
        Map<String, Object> times = new HashMap<>();
        for (String p : doneBefore) {
            Path f = pro.root().resolve(p.substring(1));
            times.put(p, Files.readAttributes(f, BasicFileAttributes.class).lastModifiedTime() + " "
                    + Files.readAttributes(f, BasicFileAttributes.class).fileKey());
        }

        Path out2 = dir.resolve("run2.out");
        Path err2 = dir.resolve("run2.err");
        Process second = cli(state, out2, err2);
        assertTrue(second.waitFor(90, TimeUnit.SECONDS), "second run did not finish");
        assertEquals(0, second.exitValue(), Files.readString(out2) + Files.readString(err2));
        Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("tree"));

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
        // Every file not done by the first run was sent once by the second, or found complete there.
        long foundComplete;
        try (TransferQueue q = TransferQueue.open(state.resolve("queue"), SiteDirectory.of(), QueueOptions.DEFAULT,
                new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
            List<QueueItem> after = q.items().stream().filter(i -> i.kind() == QueueItem.Kind.FILE).toList();
            assertEquals(files, after.size(), "one item per file, none queued twice");
            assertTrue(after.stream().allMatch(i -> i.state() == ItemState.DONE), "all done");
            for (QueueItem i : after) {
                if (!doneBefore.contains(i.destinationPath()) && !run2.containsKey(i.destinationPath())) {
                    assertTrue(i.reason().startsWith("found complete"), i.toString());
                }
            }
            foundComplete = after.stream().filter(i -> i.reason().startsWith("found complete")).count();
        }
        assertEquals(files, doneBefore.size() + run2.size() + foundComplete, "accounted for");
        for (String p : doneBefore) {
            Path f = pro.root().resolve(p.substring(1));
            assertEquals(times.get(p), Files.readAttributes(f, BasicFileAttributes.class).lastModifiedTime() + " "
                    + Files.readAttributes(f, BasicFileAttributes.class).fileKey(), "untouched: " + p);
        }
        long rest = Files.readAllLines(err2).stream().filter(l -> l.contains("] > REST ")).count();
        System.out.printf("CRASH: first run killed after %d files done; second run sent %d files (%d REST lines),"
                + " found %d complete; %s%n", doneBefore.size(), run2.size(), rest,
                files - doneBefore.size() - run2.size(), Files.readString(out2).lines()
                        .filter(l -> l.startsWith("copied") || l.startsWith("continuing")).toList());
    }
}
