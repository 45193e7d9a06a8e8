package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;

/**
 * Logins started ahead ({@link SessionPool#warm}) are the ones the workers get: on a real vsftpd,
 * whose PAM login takes tens of milliseconds, workers that ask while those logins are under way
 * wait for them instead of logging in once more; a worker beyond them logs in itself.
 */
class SessionWarmUpTest {
    static Path dir;
    static RealPeer vs;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-warm");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.63", dir.resolve("vs"), PeerConfig.STOCK);
        Files.writeString(vs.root().resolve("a.txt"), "a");
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs);
        Trees.deleteAll(dir);
    }

    static long logins(DialogueLog log) {
        return log.sent(t -> t.startsWith("USER ")).size();
    }

    @Test
    void workersAskingDuringWarmUpLoginsGetThemInsteadOfLoggingInAgain() throws Exception {
        DialogueLog log = new DialogueLog();
        Site site = vs.siteBuilder().maxConnections(4).build();
        try (SessionPool pool = new SessionPool(log.dialogue, false)) {
            pool.warm(site, 2);
            // Both ask at once, while the two logins are still under way (a vsftpd login takes ~40 ms).
            CompletableFuture<FtpSession> first = CompletableFuture.supplyAsync(() -> acquire(pool, site));
            CompletableFuture<FtpSession> second = CompletableFuture.supplyAsync(() -> acquire(pool, site));
            FtpSession a = first.get(30, TimeUnit.SECONDS);
            FtpSession b = second.get(30, TimeUnit.SECONDS);
            assertNotSame(a, b);
            assertTrue(a.isConnected() && b.isConnected());
            assertEquals(2, logins(log), "two warm-up logins serve both workers: " + log.sent(t -> true));
            assertEquals(2, pool.openSessions(site));

            // A third worker finds none idle and none logging in: it logs in itself.
            FtpSession c = acquire(pool, site);
            assertEquals(3, logins(log));
            assertEquals("a.txt", c.list("/").get(0).name());
            pool.release(a);
            pool.release(b);
            pool.release(c);

            // Warming what is idle already logs in nobody.
            pool.warm(site, 3);
            assertEquals(3, logins(log));
            assertEquals(3, pool.openSessions(site));
        }
    }

    private static FtpSession acquire(SessionPool pool, Site site) {
        try {
            return pool.acquire(site);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
