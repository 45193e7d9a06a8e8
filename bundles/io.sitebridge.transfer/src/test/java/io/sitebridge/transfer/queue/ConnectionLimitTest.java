package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;

/**
 * A connection count that adapts to the server: vsftpd with {@code max_per_ip=2} as the destination
 * of a folder copy at parallel 6. The server's "421 too many connections" lowers the site's limit
 * instead of failing files; every file arrives byte-identical with no attempt counted against it;
 * after a quiet period one more connection is tried (and refused again). A wrong password stays a
 * login failure and leaves the limit alone.
 */
class ConnectionLimitTest {
    static Path dir;
    static RealPeer pro;
    static RealPeer vs;
    static RealPeer pure;
    static int files;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-limit");
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.73", dir.resolve("pro"), PeerConfig.FXP);
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.74", dir.resolve("vs"), PeerConfig.FXP.withMaxPerHost(2));
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.75", dir.resolve("pure"), PeerConfig.FXP.withMaxPerHost(2));
        files = Trees.smallTree(pro.root().resolve("tree"), 4, 3, 12, 77);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(pro, vs, pure);
        Trees.deleteAll(dir);
    }

    static Site site(RealPeer p) {
        return p.siteBuilder().maxConnections(10).build();
    }

    @Test
    void aCopyAtParallel6ToAServerAllowingTwoBacksOffAndLosesNothing() throws Exception {
        copyAndCheck(vs, "/tree-vs", "421");
    }

    @Test
    void pureFtpdAllowingTwoToo() throws Exception {
        copyAndCheck(pure, "/tree-pure", "421");
    }

    private void copyAndCheck(RealPeer to, String dst, String code) throws Exception {
        DialogueLog log = new DialogueLog();
        QueueOptions options = QueueOptions.defaults().withParallel(6).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1));
        Site destination = site(to);
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-" + to.kind().label), SiteDirectory.of(), options,
                log.dialogue, new StrategyMemory())) {
            q.sessions().setQuietPeriod(Duration.ofMillis(100)); // so that the copy also sees the limit creep up
            q.start();
            QueueItem folder = q.add(site(pro), "/tree", destination, dst, true, null);
            assertTrue(q.awaitIdle(Duration.ofSeconds(180)), "the queue did not finish");
            QueueItem f = q.item(folder.id()).orElseThrow();
            List<QueueItem> kids = q.children(folder.id());
            String notDone = kids.stream().filter(i -> i.state() != ItemState.DONE)
                    .map(i -> i.sourcePath() + " " + i.state() + " " + i.reason()).collect(Collectors.joining("; "));
            assertEquals(ItemState.DONE, f.state(), f.reason() + ": " + notDone);
            assertEquals(files, kids.stream().filter(i -> i.state() == ItemState.DONE).count(), notDone);
            assertEquals(List.of(), kids.stream().filter(i -> i.attempts() > 0).map(i -> i.sourcePath() + ": "
                    + i.reason()).toList(), "no file had an attempt counted against it");
            Trees.assertSameTree(pro.root().resolve("tree"), to.root().resolve(dst.substring(1)));

            List<DialogueEvent> events = log.events();
            List<String> refusals = events.stream().filter(e -> e.direction() == Direction.RECEIVED
                    && e.site().equals(destination.name()) && e.text().startsWith(code)).map(DialogueEvent::text)
                    .distinct().toList();
            List<String> notes = events.stream().filter(e -> e.direction() == Direction.NOTE
                    && e.site().equals(destination.name())).map(DialogueEvent::text).toList();
            System.out.println("LIMIT " + to.kind().label + ": refusals " + refusals);
            notes.stream().filter(n -> n.contains("connection")).distinct().limit(6)
                    .forEach(n -> System.out.println("LIMIT " + to.kind().label + ": " + n));
            assertFalse(refusals.isEmpty(), "the server refused connections: " + notes);
            assertTrue(notes.stream().anyMatch(n -> n.contains("refused another connection")),
                    "the back-off is in the dialogue: " + notes);
            assertTrue(notes.stream().anyMatch(n -> n.matches(".*at most 2 (connections )?now.*")),
                    "the limit settled where the server put it: " + notes);
            assertTrue(notes.stream().anyMatch(n -> n.contains("trying one more connection")),
                    "after a quiet period one more was tried: " + notes);
            int limit = q.sessions().currentLimit(destination);
            assertTrue(limit == 2 || limit == 3, "the limit is the server's (or one above, being tried): " + limit);
        }
    }

    @Test
    void aWrongPasswordStaysALoginFailureAndTheLimitStays() throws Exception {
        DialogueLog log = new DialogueLog();
        Site wrong = vs.siteBuilder().maxConnections(10).password("not-" + vs.password()).build();
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            FtpException e = assertThrows(FtpException.class, () -> pool.acquire(wrong));
            assertFalse(e instanceof TooManyConnections, e.getMessage());
            assertEquals(530, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("login failed"), e.getMessage());
            assertEquals(10, pool.currentLimit(wrong), "a refused password says nothing about connections");
            // the same server with two logged in: the third is "too many", and that one lowers the limit
            Site right = site(vs);
            FtpSession a = pool.acquire(right);
            FtpSession b = pool.acquire(right);
            try {
                TooManyConnections busy = assertThrows(TooManyConnections.class, () -> pool.acquire(right));
                assertEquals(421, busy.code(), busy.getMessage());
                assertEquals(2, pool.currentLimit(right));
            } finally {
                pool.release(a);
                pool.release(b);
            }
        }
    }

    @Test
    void whatServersSayWhenFullIsToldFromOtherRefusals() {
        for (String full : new String[] {"421 There are too many connections from your internet address.",
                "421 There are too many connected users, please try later.",
                "530 Sorry, the maximum number of clients (2) from your host are already connected.",
                "530 Sorry, the maximum number of allowed clients (2) are already connected.",
                "421 Too many connections (2) from this IP", "421 2 users (the maximum) are already logged in, sorry",
                "421 Maximum server connection has been reached.", "421 Too many users logged in, closing connection"}) {
            assertTrue(ConnectionLimitReply.matches(reply(full)), full);
        }
        for (String other : new String[] {"530 Login incorrect.", "530 Login authentication failed",
                "530 Too many failed login attempts", "421 Timeout.", "421 Service not available, closing control"
                        + " connection.", "530 Sorry, no more connections for banned users",
                "550 Too many connections from your internet address.", "421 Login incorrect: too many users"}) {
            assertFalse(ConnectionLimitReply.matches(reply(other)), other);
        }
    }

    private static FtpReply reply(String line) {
        return new FtpReply(Integer.parseInt(line.substring(0, 3)), List.of(line));
    }
}
