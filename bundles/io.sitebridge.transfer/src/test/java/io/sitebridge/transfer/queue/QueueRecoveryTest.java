package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferOptions;

/**
 * A big file's transfer broken on purpose: the source server is killed and restarted (the queue
 * retries and resumes with REST), or its sessions are frozen (the monitor sees no growth, aborts
 * both sides, and the retry resumes). The final file is identical both times.
 */
class QueueRecoveryTest {
    static final long BIG = 200L * 1024 * 1024;
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-recovery");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.15", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.16", dir.resolve("pro"), PeerConfig.FXP);
        Trees.bigFile(vs.root().resolve("big.bin"), BIG, 11);
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

    static QueueOptions options() {
        return QueueOptions.defaults().withParallel(1).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(8, Duration.ofMillis(300), Duration.ofSeconds(1))
                .withMonitor(Duration.ofMillis(200), Duration.ofMillis(1500))
                .withTransfer(TransferOptions.defaults().withDrainTimeout(Duration.ofSeconds(1))
                        .withAcceptTimeout(Duration.ofSeconds(5)));
    }

    /** Waits until the local file has grown past {@code bytes}. */
    static void awaitGrowth(Path file, long bytes) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.size(file) > bytes) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError(file + " did not grow past " + bytes);
    }

    static long restOffset(List<DialogueEvent> events, String site) {
        Pattern rest = Pattern.compile("REST (\\d+)");
        for (DialogueEvent e : events) {
            Matcher m = rest.matcher(e.text());
            if (e.direction() == Direction.SENT && e.site().equals(site) && m.matches()) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    @Test
    void sourceKilledMidTransferThenRestartedResumesWithRest() throws Exception {
        DialogueLog log = new DialogueLog();
        Site src = vs.siteBuilder().build();
        Site dst = pro.siteBuilder().build();
        StrategyMemory memory = new StrategyMemory();
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-kill"), SiteDirectory.of(), options(),
                log.dialogue, memory)) {
            q.addListener(new QueueListener() {
                @Override
                public void itemChanged(QueueItem item) {
                    reasons.add(item.state() + ": " + item.reason());
                }
            });
            q.start();
            QueueItem item = q.add(src, "/big.bin", dst, "/killed.bin", false, null);
            awaitGrowth(pro.root().resolve("killed.bin"), 30L << 20);
            vs.close();
            Thread.sleep(300);
            vs = RealPeers.restart(vs);
            assertTrue(q.awaitIdle(Duration.ofSeconds(60)), "not finished: " + reasons);
            QueueItem end = q.item(item.id()).orElseThrow();
            assertEquals(ItemState.DONE, end.state(), end.reason() + " " + reasons);
            assertTrue(end.reason().contains("resumed at"), end.reason());
            assertTrue(end.attempts() >= 1, "a failed attempt first");
        }
        List<DialogueEvent> events = log.events();
        long srcRest = restOffset(events, vs.site().name());
        long dstRest = restOffset(events, pro.site().name());
        System.out.println("RESUME after killing " + vs + ": REST " + srcRest + " on the source, REST " + dstRest
                + " on the destination; reasons: " + reasons);
        assertTrue(srcRest > 0 && srcRest < BIG, "REST on the source: " + srcRest);
        assertEquals(srcRest, dstRest, "the same offset on both sides");
        Trees.assertSameFile(vs.root().resolve("big.bin"), pro.root().resolve("killed.bin"));
    }

    @Test
    void stalledTransferIsAbortedAndResumed() throws Exception {
        DialogueLog log = new DialogueLog();
        Site src = vs.siteBuilder().build();
        Site dst = pro.siteBuilder().build();
        List<String> reasons = new CopyOnWriteArrayList<>();
        List<Progress> progress = new CopyOnWriteArrayList<>();
        List<ProcessHandle> frozen = new CopyOnWriteArrayList<>();
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-stall"), SiteDirectory.of(), options(),
                log.dialogue, new StrategyMemory())) {
            q.addListener(new QueueListener() {
                @Override
                public void itemChanged(QueueItem item) {
                    reasons.add(item.state() + ": " + item.reason());
                }

                @Override
                public void progress(Progress p) {
                    progress.add(p);
                }
            });
            q.start();
            QueueItem item = q.add(src, "/big.bin", dst, "/stalled.bin", false, null);
            awaitGrowth(pro.root().resolve("stalled.bin"), 30L << 20);
            // Freeze the source's sessions (not its listener): the data stops, the connections stay open.
            vs.process().descendants().forEach(p -> {
                frozen.add(p);
                signal("STOP", p);
            });
            try {
                assertTrue(q.awaitIdle(Duration.ofSeconds(60)), "not finished: " + reasons);
            } finally {
                frozen.forEach(p -> signal("CONT", p));
            }
            QueueItem end = q.item(item.id()).orElseThrow();
            assertEquals(ItemState.DONE, end.state(), end.reason() + " " + reasons);
            assertTrue(reasons.stream().anyMatch(r -> r.contains("stalled")), "stall reported: " + reasons);
            assertTrue(progress.stream().anyMatch(p -> p.stalledMillis() > 0), "progress showed the stall");
            assertTrue(progress.stream().anyMatch(p -> p.bytesPerSecond() > 0 && p.etaSeconds() >= 0),
                    "rate and ETA from the polled SIZE");
            System.out.println("STALL: " + reasons.stream().filter(r -> r.contains("stalled")).findFirst().orElse("")
                    + "; then " + end.reason());
        }
        Trees.assertSameFile(vs.root().resolve("big.bin"), pro.root().resolve("stalled.bin"));
    }

    static void signal(String sig, ProcessHandle p) {
        try {
            new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
