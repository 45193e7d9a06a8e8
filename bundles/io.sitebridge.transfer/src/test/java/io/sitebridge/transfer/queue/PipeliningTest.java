package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.LockStepFront;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.ReplyRewriteFront;
import io.sitebridge.transfer.StrategyMemory;

/**
 * Commands sent ahead of replies (issue 11) on vsftpd, proftpd and pure-ftpd: a folder tree
 * copied pipelined and copied in lock-step arrives byte-identical both ways, and the dialogues
 * show which was which (commands waiting behind a transfer, or never more than one command
 * unanswered). A server that refuses commands that come before the previous reply (a
 * {@link LockStepFront} before vsftpd) still gets every file, by lock-step, and that is remembered
 * for the site. A pipelined copy reads the end of a file (the destination's 226 and SIZE) after
 * the next file's commands went out, and calls it done only when that end says every byte arrived:
 * a {@link ReplyRewriteFront} makes the real destination say once that a transfer failed, and once
 * that a file is short, and those files are copied again (found complete) instead of called done.
 */
class PipeliningTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static RealPeer pure;
    static int treeFiles;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-pipe");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.41", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.42", dir.resolve("pro"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.43", dir.resolve("pure"), PeerConfig.FXP);
        for (RealPeer p : new RealPeer[] {vs, pro, pure}) {
            treeFiles = Trees.smallTree(p.root().resolve("tree"), 3, 2, 12, 11);
        }
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro, pure);
        Trees.deleteAll(dir);
    }

    static QueueOptions options(int parallel) {
        return QueueOptions.defaults().withParallel(parallel).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    @Test
    void pipelinedAndLockStepCopiesAreByteIdenticalOnEveryServer() throws Exception {
        RealPeer[][] pairs = {{vs, pro}, {pro, pure}, {pure, vs}};
        for (RealPeer[] pair : pairs) {
            Site from = pair[0].siteBuilder().maxConnections(10).build();
            Site to = pair[1].siteBuilder().maxConnections(10).build();
            String label = pair[0].kind().label + "-" + pair[1].kind().label;

            StrategyMemory free = new StrategyMemory();
            DialogueLog piped = copy(from, to, "/piped-" + label, free, label + "-piped", false);
            Trees.assertSameTree(pair[0].root().resolve("tree"), pair[1].root().resolve("piped-" + label));

            StrategyMemory strict = new StrategyMemory();
            strict.rememberLockStep(from);
            strict.rememberLockStep(to);
            DialogueLog locked = copy(from, to, "/locked-" + label, strict, label + "-locked", true);
            Trees.assertSameTree(pair[0].root().resolve("tree"), pair[1].root().resolve("locked-" + label));

            Ahead p = ahead(piped.events());
            Ahead l = ahead(locked.events());
            System.out.printf("PIPELINE %s: pipelined %d commands sent ahead (at most %d waiting), lock-step %d (at most %d)%n",
                    label, p.sentAhead, p.most, l.sentAhead, l.most);
            assertEquals(1, l.most, label + ": lock-step never has two commands unanswered");
            assertTrue(p.most >= 3, label + ": the burst with the check's SIZE behind it (" + p.most + ")");
            // per file after the first of each pair: PORT's transfer command, the SIZE, the next PASV
            assertTrue(p.sentAhead >= 2 * treeFiles, label + ": commands sent ahead " + p.sentAhead);
            // in lock-step a SIZE a file would cost a round trip each: one listing a folder checks them
            assertTrue(locked.sent(c -> c.startsWith("MLSD /locked-") || c.startsWith("LIST /locked-")).size() > 0,
                    label + ": the destination's folders were listed");
            assertTrue(free.pipelines(from) && free.pipelines(to), label + ": real servers stay pipelined");
            int piped2 = endsReadLater(piped.events(), to);
            System.out.printf("PIPELINE %s: %d files' ends read after the next file's STOR (lock-step: %d)%n", label,
                    piped2, endsReadLater(locked.events(), to));
            assertTrue(piped2 >= treeFiles / 2, label + ": ends read with the next file's replies: " + piped2);
            assertEquals(0, endsReadLater(locked.events(), to), label + ": lock-step reads each end first");
        }
    }

    @Test
    void aFileIsDoneOnlyWhenItsEndReadLaterSaysEveryByteArrived() throws Exception {
        // The 7th final 226 and the 9th SIZE answer from the destination are rewritten: by then the
        // strategy is known and ends are read later (with the next file's replies).
        try (ReplyRewriteFront front = ReplyRewriteFront.start(pro.address(), pro.address(), pro.port())
                .rewrite("226 ", 6, "451 Local error: the test's front says this transfer failed")
                .rewrite("213 ", 8, "213 1")) {
            Site from = vs.siteBuilder().maxConnections(10).build();
            Site to = pro.siteBuilder().port(front.port()).maxConnections(10).build();
            DialogueLog log = new DialogueLog();
            try (TransferQueue q = TransferQueue.open(dir.resolve("state-rewrite"), SiteDirectory.of(), options(2),
                    log.dialogue, new StrategyMemory())) {
                q.start();
                QueueItem folder = q.add(from, "/tree", to, "/rewritten", true, null);
                assertTrue(q.awaitIdle(Duration.ofSeconds(120)), "queue did not finish");
                assertEquals(2, front.rewritten().size(), "both rewritten: " + front.rewritten());
                Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("rewritten"));
                List<QueueItem> kids = q.children(folder.id());
                String states = kids.stream().map(i -> i.sourcePath() + " " + i.state() + " " + i.attempts() + " "
                        + i.reason()).collect(Collectors.joining("\n"));
                assertTrue(kids.stream().allMatch(i -> i.state() == ItemState.DONE), states);
                List<QueueItem> again = kids.stream().filter(i -> i.attempts() > 0).toList();
                assertEquals(2, again.size(), "the two files whose ends said otherwise were tried again:\n" + states);
                assertTrue(again.stream().allMatch(i -> i.reason().startsWith("found complete at the destination")),
                        states);
            }
            List<DialogueEvent> events = log.events();
            List<String> notes = events.stream().filter(e -> e.direction() == Direction.NOTE).map(DialogueEvent::text)
                    .toList();
            assertTrue(notes.stream().anyMatch(n -> n.contains("the transfer broke off") && n.contains("451 Local error")),
                    "the failed end is in the console: " + notes);
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("incomplete: ") && n.contains("has 1 bytes")),
                    "the short SIZE is in the console: " + notes);
            // Both rewritten replies were read after the next file's STOR had gone out on that session.
            for (String reply : List.of("451 Local error", "213 1")) {
                assertTrue(readAfterNextStor(events, reply), reply + " was read with the next file's replies");
            }
        }
    }

    @Test
    void serverThatRejectsPipelinedCommandsGetsALockStepCopy() throws Exception {
        try (LockStepFront front = LockStepFront.start(vs.address(), vs.address(), vs.port())) {
            Site from = pro.siteBuilder().maxConnections(10).build();
            Site to = vs.siteBuilder().port(front.port()).maxConnections(10).build();
            Path state = dir.resolve("state-front");
            StrategyMemory memory = StrategyMemory.inFolder(state);

            DialogueLog first = copy(from, to, "/fronted", memory, "front-1", state);
            Trees.assertSameTree(pro.root().resolve("tree"), vs.root().resolve("fronted"));
            int rejected = front.rejected();
            assertTrue(rejected > 0, "the front refused commands sent ahead");
            assertFalse(memory.pipelines(to), "lock-step remembered for the site");
            assertTrue(memory.pipelines(from), "the other site keeps pipelining");
            assertTrue(Files.readString(memory.file()).contains(to.key() + "\tLOCK-STEP"),
                    Files.readString(memory.file()));
            assertTrue(first.events().stream().anyMatch(e -> e.direction() == Direction.NOTE
                    && e.text().contains("cannot take pipelined commands")), "the dialogue says so");

            // The next run (a new process would load the same file) goes lock-step from the start.
            StrategyMemory again = StrategyMemory.inFolder(state);
            copy(from, to, "/fronted-again", again, "front-2", dir.resolve("state-front-2"));
            Trees.assertSameTree(pro.root().resolve("tree"), vs.root().resolve("fronted-again"));
            assertEquals(rejected, front.rejected(), "no command sent ahead to it any more");
        }
    }

    private DialogueLog copy(Site from, Site to, String dst, StrategyMemory memory, String tag, boolean byListing)
            throws Exception {
        return copy(from, to, dst, memory, tag, dir.resolve("state-" + tag), byListing);
    }

    private DialogueLog copy(Site from, Site to, String dst, StrategyMemory memory, String tag, Path state)
            throws Exception {
        return copy(from, to, dst, memory, tag, state, false);
    }

    /** {@code byListing}: every file that went at the first attempt was checked with its folder's listing (lock-step). */
    private DialogueLog copy(Site from, Site to, String dst, StrategyMemory memory, String tag, Path state,
            boolean byListing) throws Exception {
        DialogueLog log = new DialogueLog();
        try (TransferQueue q = TransferQueue.open(state, SiteDirectory.of(), options(4), log.dialogue, memory)) {
            q.start();
            QueueItem folder = q.add(from, "/tree", to, dst, true, null);
            assertTrue(q.awaitIdle(Duration.ofSeconds(120)), tag + ": queue did not finish");
            QueueItem f = q.item(folder.id()).orElseThrow();
            assertEquals(ItemState.DONE, f.state(), tag + ": " + f.reason() + " " + q.children(folder.id()).stream()
                    .filter(i -> i.state() != ItemState.DONE).map(i -> i.sourcePath() + " " + i.state() + " " + i.reason())
                    .collect(Collectors.joining("; ")));
            List<QueueItem> kids = q.children(folder.id());
            assertEquals(treeFiles, kids.stream().filter(i -> i.state() == ItemState.DONE).count(), tag + ": files done");
            if (byListing) {
                List<QueueItem> first = kids.stream().filter(i -> i.attempts() == 0).toList();
                assertTrue(first.size() >= treeFiles * 9 / 10, tag + ": files at the first attempt " + first.size());
                assertTrue(first.stream().allMatch(i -> i.reason().endsWith("checked by the folder's listing")),
                        tag + ": " + first.stream().map(QueueItem::reason).distinct().toList());
            }
        }
        return log;
    }

    /**
     * Files whose STOR's final reply came after the next STOR on the same session to {@code to}
     * went out: each final reply (not 1xx) answers the oldest command still unanswered on its session.
     */
    static int endsReadLater(List<DialogueEvent> events, Site to) {
        Map<String, java.util.ArrayDeque<String>> unanswered = new HashMap<>();
        int later = 0;
        for (DialogueEvent e : events) {
            if (!e.site().equals(to.name()) || e.text().startsWith("ABOR")) {
                continue;
            }
            java.util.ArrayDeque<String> q = unanswered.computeIfAbsent(e.sessionId(), k -> new java.util.ArrayDeque<>());
            if (e.direction() == Direction.SENT) {
                if (e.text().startsWith("STOR ") && q.stream().anyMatch(c -> c.startsWith("STOR "))) {
                    later++;
                }
                q.add(e.text());
            } else if (e.direction() == Direction.RECEIVED && finalReply(e.text())) {
                q.poll();
            }
        }
        return later;
    }

    /**
     * Whether {@code reply} (the whole line, or its start before a colon) came on a session after a
     * STOR that was sent after the one before it was answered.
     */
    static boolean readAfterNextStor(List<DialogueEvent> events, String reply) {
        Map<String, Integer> storsSinceEnd = new HashMap<>();
        for (DialogueEvent e : events) {
            String session = e.site() + "/" + e.sessionId();
            if (e.direction() == Direction.SENT && e.text().startsWith("STOR ")) {
                storsSinceEnd.merge(session, 1, Integer::sum);
            } else if (e.direction() == Direction.RECEIVED && (e.text().equals(reply) || e.text().startsWith(reply + ":"))) {
                return storsSinceEnd.getOrDefault(session, 0) >= 2;
            } else if (e.direction() == Direction.RECEIVED && e.text().startsWith("213 ")) {
                storsSinceEnd.merge(session, -1, (a, b) -> Math.max(0, a + b));
            }
        }
        return false;
    }

    /** A reply that ends its command (not a 1xx), multi-line ones as one event. */
    static boolean finalReply(String text) {
        return text.length() >= 3 && text.charAt(0) >= '2' && text.charAt(0) <= '5'
                && Character.isDigit(text.charAt(1)) && Character.isDigit(text.charAt(2));
    }

    /** How far a dialogue ran ahead of the replies. */
    record Ahead(int sentAhead, int most) { }

    /** Per session: commands sent while another was unanswered, and the most unanswered at once (ABOR aside). */
    static Ahead ahead(List<DialogueEvent> events) {
        Map<String, Integer> waiting = new HashMap<>();
        int sentAhead = 0;
        int most = 0;
        for (DialogueEvent e : events) {
            String session = e.site() + "/" + e.sessionId();
            if (e.direction() == Direction.SENT) {
                if (e.text().startsWith("ABOR")) {
                    continue;
                }
                int w = waiting.merge(session, 1, Integer::sum);
                if (w > 1) {
                    sentAhead++;
                }
                most = Math.max(most, w);
            } else if (e.direction() == Direction.RECEIVED && finalReply(e.text())) {
                waiting.computeIfPresent(session, (k, w) -> Math.max(0, w - 1));
            }
        }
        return new Ahead(sentAhead, most);
    }
}
