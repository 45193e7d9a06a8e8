package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.StrategyMemory;

/**
 * Work sessions are replaced by fresh ones after many commands (server session processes get
 * slower with age; proftpd's does). Real vsftpd to real proftpd by FXP with a low renewal
 * threshold: the sessions are renewed many times during the copy, every file arrives
 * byte-identical, no file has an attempt counted against it, and the dialogue says so.
 */
class SessionRenewalTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static int files;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-renew");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.76", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.77", dir.resolve("pro"), PeerConfig.FXP);
        files = Trees.smallTree(vs.root().resolve("tree"), 3, 2, 10, 91);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro);
        Trees.deleteAll(dir);
    }

    @Test
    void sessionsAreRenewedDuringAFolderCopyAndNothingIsLost() throws Exception {
        DialogueLog log = new DialogueLog();
        QueueOptions options = QueueOptions.defaults().withParallel(2).withDefaultRule(ConflictRule.OVERWRITE)
                .withVerifyCertificates(false).withRetries(3, Duration.ofMillis(200), Duration.ofSeconds(1));
        Site source = vs.siteBuilder().maxConnections(4).build();
        Site destination = pro.siteBuilder().maxConnections(4).build();
        try (TransferQueue q = TransferQueue.open(dir.resolve("state"), SiteDirectory.of(), options, log.dialogue,
                new StrategyMemory())) {
            q.sessions().setRenewAfter(20); // a few files a session
            q.start();
            QueueItem folder = q.add(source, "/tree", destination, "/copy", true, null);
            assertTrue(q.awaitIdle(Duration.ofSeconds(180)), "the queue did not finish");
            List<QueueItem> kids = q.children(folder.id());
            String notDone = kids.stream().filter(i -> i.state() != ItemState.DONE)
                    .map(i -> i.sourcePath() + " " + i.state() + " " + i.reason()).collect(Collectors.joining("; "));
            assertEquals(ItemState.DONE, q.item(folder.id()).orElseThrow().state(), notDone);
            assertEquals(files, kids.stream().filter(i -> i.state() == ItemState.DONE).count(), notDone);
            assertEquals(List.of(), kids.stream().filter(i -> i.attempts() > 0).map(i -> i.sourcePath() + ": "
                    + i.reason()).toList(), "no file had an attempt counted against it");
            Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("copy"));

            List<DialogueEvent> events = log.events();
            for (Site s : List.of(source, destination)) {
                long renewals = events.stream().filter(e -> e.direction() == Direction.NOTE && e.site().equals(s.name())
                        && e.text().startsWith("renewing this session after ")).count();
                long logins = events.stream().filter(e -> e.direction() == Direction.SENT && e.site().equals(s.name())
                        && e.text().startsWith("USER ")).count();
                System.out.println("RENEW " + s.name() + ": " + renewals + " renewals, " + logins + " logins for "
                        + files + " files");
                // each file costs at least two commands on each side: far more than 20 a session
                assertTrue(renewals >= files * 2 / 20 - 2, s.name() + " renewed " + renewals + " times");
                assertTrue(logins > renewals, s.name() + ": " + logins + " logins, " + renewals + " renewals");
            }
        }
    }
}
