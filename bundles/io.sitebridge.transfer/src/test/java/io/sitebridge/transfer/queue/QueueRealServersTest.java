package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
 * The queue between real servers: a tree of 300 small files in nested folders (with an empty
 * folder and a symbolic link) plus one 200 MB file, vsftpd -> proftpd -> pure-ftpd, every file
 * byte-identical; and the files/s of the 300-file tree at parallel 1, 2, 4 and 8.
 */
class QueueRealServersTest {
    static final long BIG = 200L * 1024 * 1024;
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static RealPeer pure;
    static int treeFiles;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-queue");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.12", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.13", dir.resolve("pro"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.14", dir.resolve("pure"), PeerConfig.FXP);
        treeFiles = Trees.smallTree(vs.root().resolve("tree"), 5, 3, 20, 42);
        Trees.bigFile(vs.root().resolve("tree").resolve("big.bin"), BIG, 7);
        Files.createSymbolicLink(vs.root().resolve("tree/dir0/link-to-sub0"), Path.of("sub0"));
        Trees.smallTree(vs.root().resolve("small"), 5, 3, 20, 43);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro, pure);
        Trees.deleteAll(dir);
    }

    static Site site(RealPeer p) {
        return p.siteBuilder().maxConnections(10).build();
    }

    static QueueOptions options(int parallel) {
        return QueueOptions.defaults().withParallel(parallel).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    @Test
    void treeWithBigFileArrivesByteIdenticalAlongTwoPairs() throws Exception {
        copyTree(vs, pro, "/tree", "/tree", 4);
        Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("tree"));
        copyTree(pro, pure, "/tree", "/copy", 2);
        Trees.assertSameTree(vs.root().resolve("tree"), pure.root().resolve("copy"));
    }

    private void copyTree(RealPeer from, RealPeer to, String src, String dst, int parallel) throws Exception {
        DialogueLog log = new DialogueLog();
        Path state = dir.resolve("state-" + from.kind().label + "-" + to.kind().label);
        long t0 = System.nanoTime();
        try (TransferQueue q = TransferQueue.open(state, SiteDirectory.of(), options(parallel), log.dialogue,
                new StrategyMemory())) {
            q.start();
            QueueItem folder = q.add(site(from), src, site(to), dst, true, null);
            assertTrue(q.awaitIdle(Duration.ofSeconds(120)), "queue did not finish: " + unfinished(q));
            double s = (System.nanoTime() - t0) / 1e9;
            QueueItem f = q.item(folder.id()).orElseThrow();
            assertEquals(ItemState.DONE, f.state(), f.reason() + " " + unfinished(q));
            List<QueueItem> kids = q.children(folder.id());
            long links = kids.stream().filter(i -> i.kind() == QueueItem.Kind.LINK).count();
            long done = kids.stream().filter(i -> i.state() == ItemState.DONE).count();
            assertEquals(treeFiles + 1, done, "files done");
            if (from == vs) {
                assertEquals(1, links, "the symbolic link is listed as a link");
                assertTrue(kids.stream().filter(i -> i.kind() == QueueItem.Kind.LINK)
                        .allMatch(i -> i.state() == ItemState.SKIPPED), "links are not followed");
            }
            System.out.printf(Locale.ROOT, "QUEUE %s -> %s: %d files + 200 MB at parallel %d in %.2f s (%s)%n",
                    from.kind().label, to.kind().label, done, parallel, s, f.reason());
        }
    }

    @Test
    void filesPerSecondAtParallel1248() throws Exception {
        StringBuilder table = new StringBuilder();
        for (int parallel : new int[] {1, 2, 4, 8}) {
            DialogueLog log = new DialogueLog();
            Path state = dir.resolve("state-rate-" + parallel);
            StrategyMemory memory = new StrategyMemory();
            try (TransferQueue q = TransferQueue.open(state, SiteDirectory.of(), options(parallel), log.dialogue,
                    memory)) {
                q.start();
                long t0 = System.nanoTime();
                long cpu0 = cpuMillis();
                QueueItem folder = q.add(site(vs), "/small", site(pro), "/rate-" + parallel, true, null);
                assertTrue(q.awaitIdle(Duration.ofSeconds(120)), "queue did not finish: " + unfinished(q));
                double s = (System.nanoTime() - t0) / 1e9;
                long cpu = cpuMillis() - cpu0;
                assertEquals(ItemState.DONE, q.item(folder.id()).orElseThrow().state());
                long commands = log.commandsSent();
                System.out.println("QUEUE-LATENCY parallel " + parallel + ": " + latencies(log.events()));
                if (System.getenv("SITEBRIDGE_QUEUE_TRACE") != null) {
                    var ev = log.events();
                    java.time.Instant t0e = ev.get(0).time();
                    StringBuilder tr = new StringBuilder();
                    for (var e : ev) {
                        tr.append(java.time.Duration.between(t0e, e.time()).toNanos() / 1000).append("us ")
                                .append(e.sessionId()).append(' ').append(e.format()).append('\n');
                    }
                    Files.writeString(Path.of(System.getenv("SITEBRIDGE_QUEUE_TRACE") + "-" + parallel), tr);
                }
                table.append(String.format(Locale.ROOT,
                        "QUEUE-RATE vsftpd -> proftpd | parallel %d | %d files | %.3f s | %.0f files/s | %.1f commands/file"
                                + " | test JVM CPU %d ms%n",
                        parallel, treeFiles, s, treeFiles / s, commands / (double) treeFiles, cpu));
            }
            Trees.assertSameTree(vs.root().resolve("small"), pro.root().resolve("rate-" + parallel));
        }
        System.out.print(table);
    }

    @Test
    void neverMoreConnectionsToASiteThanItsLimit() throws Exception {
        Site src = vs.siteBuilder().maxConnections(3).build();
        Site dst = pro.siteBuilder().maxConnections(3).build();
        int[] most = new int[2];
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-limit"), SiteDirectory.of(), options(8),
                new DialogueLog().dialogue, new StrategyMemory())) {
            q.start();
            QueueItem folder = q.add(src, "/small", dst, "/limited", true, null);
            while (!q.awaitFinished(folder.id(), Duration.ofMillis(2))) {
                most[0] = Math.max(most[0], q.sessions().openSessions(src));
                most[1] = Math.max(most[1], q.sessions().openSessions(dst));
            }
            assertEquals(ItemState.DONE, q.item(folder.id()).orElseThrow().state());
        }
        System.out.println("QUEUE-LIMIT parallel 8, maxConnections 3: at most " + most[0] + " to the source, "
                + most[1] + " to the destination");
        assertTrue(most[0] <= 3 && most[1] <= 3, most[0] + " / " + most[1]);
        assertTrue(most[1] >= 2, "the limit was used, not just one connection");
        Trees.assertSameTree(vs.root().resolve("small"), pro.root().resolve("limited"));
    }

    /** Mean time from each command to its (first) reply, per verb, in microseconds: where the time goes. */
    static String latencies(List<io.sitebridge.core.dialogue.DialogueEvent> events) {
        java.util.Map<String, io.sitebridge.core.dialogue.DialogueEvent> pending = new java.util.HashMap<>();
        java.util.Map<String, long[]> sums = new java.util.TreeMap<>();
        for (var e : events) {
            String key = e.site() + "/" + e.sessionId();
            if (e.direction() == io.sitebridge.core.dialogue.Direction.SENT) {
                pending.put(key, e);
            } else if (e.direction() == io.sitebridge.core.dialogue.Direction.RECEIVED) {
                var c = pending.remove(key);
                if (c != null) {
                    String verb = c.text().split(" ")[0];
                    long[] s = sums.computeIfAbsent(verb, k -> new long[2]);
                    s[0] += java.time.Duration.between(c.time(), e.time()).toNanos() / 1000;
                    s[1]++;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sums.forEach((k, v) -> sb.append(k).append(' ').append(v[0] / Math.max(1, v[1])).append("us x").append(v[1])
                .append("  "));
        return sb.toString();
    }

    static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    static String unfinished(TransferQueue q) {
        return q.items().stream().filter(i -> i.state() != ItemState.DONE && i.state() != ItemState.SKIPPED)
                .limit(10).map(i -> i.sourcePath() + " " + i.state() + " " + i.reason())
                .collect(Collectors.joining("; "));
    }
}
