package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.op.ListFolderOperation;

/**
 * Idle sessions against a vsftpd that drops control connections idle for {@value #SERVER_IDLE}
 * seconds ({@code idle_session_timeout}, answered with {@code 421 Timeout.}): kept alive with
 * NOOP they survive; without keep-alive the next listing still works on a fresh connection, and
 * the dialogue says so.
 */
class SessionPoolIdleTest {
    static final int SERVER_IDLE = 2;
    static Path dir;
    static RealPeer vs;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-idle");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.62", dir.resolve("vs"),
                PeerConfig.STOCK.withIdleTimeout(SERVER_IDLE));
        Files.createDirectories(vs.root().resolve("pub/sub"));
        Files.writeString(vs.root().resolve("pub/a.txt"), "a");
    }

    @AfterAll
    static void stop() {
        if (vs != null) {
            vs.close();
        }
        Trees.deleteAll(dir);
    }

    static Site site(Duration keepAlive) {
        return vs.siteBuilder().keepAlive(keepAlive).build();
    }

    static List<String> names(List<RemoteEntry> entries) {
        return entries.stream().map(RemoteEntry::name).sorted().toList();
    }

    static List<String> notes(DialogueLog log) {
        return log.events().stream().filter(e -> e.direction() == Direction.NOTE).map(DialogueEvent::text)
                .filter(t -> t.contains("idle connection")).toList();
    }

    static long noops(DialogueLog log, String sessionId) {
        return log.events().stream().filter(e -> e.direction() == Direction.SENT && e.sessionId().equals(sessionId)
                && e.text().equals("NOOP")).count();
    }

    @Test
    void keptAliveTheSessionSurvivesThreeServerTimeouts() throws Exception {
        DialogueLog log = new DialogueLog();
        Site site = site(Duration.ofSeconds(1));
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            FtpSession first = pool.acquire(site);
            assertEquals(List.of("a.txt", "sub"), names(first.list("/pub")));
            pool.release(first);
            Thread.sleep(3 * SERVER_IDLE * 1000 + 500);
            FtpSession again = pool.acquire(site);
            try {
                assertSame(first, again, "the same connection, idle for three of the server's timeouts");
                assertTrue(again.isConnected());
                assertEquals(List.of("a.txt", "sub"), names(again.list("/pub")));
            } finally {
                pool.release(again);
            }
            assertTrue(noops(log, first.id()) >= 3, "a NOOP about every second: " + noops(log, first.id()));
            assertEquals(List.of(), notes(log), "nothing was dropped");
            assertEquals(1, pool.openSessions(site));
        }
    }

    @Test
    void withoutKeepAliveTheNextListingReconnectsAndSaysSo() throws Exception {
        DialogueLog log = new DialogueLog();
        Site site = site(Duration.ZERO);
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            ListFolderOperation before = new ListFolderOperation(pool, Endpoint.of(site), "/pub");
            before.execute(new NullProgressMonitor());
            assertEquals(1, pool.openSessions(site));
            Thread.sleep(SERVER_IDLE * 1000 + 1500);

            ListFolderOperation after = new ListFolderOperation(pool, Endpoint.of(site), "/pub");
            after.execute(new NullProgressMonitor());
            assertEquals("/pub", after.folder());
            assertEquals(List.of("a.txt", "sub"), names(after.entries()));
            assertEquals(List.of("the server closed the idle connection; reconnected"), notes(log));
            assertTrue(log.events().stream().anyMatch(e -> e.direction() == Direction.RECEIVED
                    && e.text().startsWith("421")), "the server had said 421");
            assertEquals(1, pool.openSessions(site), "the dead connection's slot is free again");
            assertEquals(1, log.sent(t -> t.equals("NOOP")).size(), "one NOOP: the check before reuse");
        }
    }

    @Test
    void aKeepAliveNoopThatFindsTheConnectionGoneClosesItAndTheNextUseReconnects() throws Exception {
        DialogueLog log = new DialogueLog();
        // a keep-alive interval longer than the server's timeout: the NOOP comes too late
        Site site = site(Duration.ofSeconds(SERVER_IDLE + 1));
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            FtpSession first = pool.acquire(site);
            pool.release(first);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pool.openSessions(site) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(0, pool.openSessions(site), "the timer closed the dropped connection");
            assertEquals(List.of("the server closed the idle connection; the next use reconnects"), notes(log));
            FtpSession next = pool.acquire(site);
            try {
                assertNotSame(first, next);
                assertEquals(List.of("a.txt", "sub"), names(next.list("/pub")));
            } finally {
                pool.release(next);
            }
        }
    }

    @Test
    void aSessionInUseGetsNoKeepAliveNoop() throws Exception {
        DialogueLog log = new DialogueLog();
        Site site = site(Duration.ofSeconds(1));
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            FtpSession idle = pool.acquire(site);
            FtpSession busy = pool.acquire(site);
            pool.release(idle); // starts the timer
            Thread.sleep(1800); // below the server's timeout: the busy one stays connected
            assertTrue(noops(log, idle.id()) >= 1, "the idle one was kept alive");
            assertEquals(0, noops(log, busy.id()), "never a NOOP on a session in use");
            assertEquals(List.of("a.txt", "sub"), names(busy.list("/pub")));
            pool.release(busy);
            assertEquals(2, pool.openSessions(site));
        }
    }
}
