package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * The data connection between two real servers drops in the middle of an FXP transfer.
 * pure-ftpd then sends its final reply with code 150 ("150 3.0 seconds (measured here), ...");
 * the attempt must end at once with a clear error, not after the 30-minute transfer timeout,
 * and must not be mistaken for a refusal (no role reversal), and leave no partial file.
 */
class FxpDataDropTest {
    @TempDir
    static Path tmp;
    static RealPeer pure;
    static RealPeer proftpd;

    @BeforeAll
    static void start() throws Exception {
        // pure-ftpd sends at most 400 KB/s: a 4 MB file takes ~10 s, time to cut its data connection.
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.FXP.withRate(400));
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(pure, proftpd);
    }

    /** Destroys the TCP connections between the two servers' addresses (the FXP data connection). */
    private static String cutDataConnection() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String[] dir : new String[][] {{pure.address(), proftpd.address()}, {proftpd.address(), pure.address()}}) {
            out.append(run("ss", "-K", "-tn", "src", dir[0], "dst", dir[1]));
        }
        return out.toString();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Sends a signal to proftpd's session processes (not to its listener). */
    private static void signalProftpdSessions(String signal) throws Exception {
        for (ProcessHandle h : proftpd.process().descendants().toList()) {
            run("kill", "-" + signal, String.valueOf(h.pid()));
        }
    }

    @Test
    void aDroppedDataConnectionEndsTheAttemptPromptly() throws Exception {
        TestFiles.create(pure.root().resolve("drop.bin"), 4_000_000, 31);
        // A long transfer timeout: only recognising pure-ftpd's 150 final reply ends this quickly.
        TransferOptions options = TransferOptions.defaults().withRelayAllowed(false)
                .withFirstPassiveSide(PassiveSide.SOURCE).withAcceptTimeout(Duration.ofSeconds(3))
                .withTransferTimeout(Duration.ofMinutes(30)).withDrainTimeout(Duration.ofSeconds(2));
        AtomicReference<String> cut = new AtomicReference<>("");
        Thread cutter = new Thread(() -> {
            try {
                Thread.sleep(1500);
                // proftpd would notice the drop as fast as pure-ftpd; hold it still so that pure-ftpd's
                // reply comes first, as it would with a slower or farther peer.
                signalProftpdSessions("STOP");
                try {
                    cut.set(cutDataConnection());
                    Thread.sleep(500);
                } finally {
                    signalProftpdSessions("CONT");
                }
            } catch (Exception e) {
                cut.set(e.toString());
            }
        });
        long start = System.nanoTime();
        cutter.start();
        TransferException e = assertThrows(TransferException.class, () -> new TransferController(
                new ControlDialogue(), new StrategyMemory(), true).copy(pure.site(), "/drop.bin", proftpd.site(),
                        "/drop-in.bin", options, TransferListener.NONE));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        cutter.join();
        System.out.println("DATA DROP (" + millis + " ms, ss: " + cut.get().strip().replace('\n', ' ') + ") "
                + e.getMessage());
        assertTrue(cut.get().contains("ESTAB"), "ss -K found no data connection to cut: " + cut.get());
        assertEquals(TransferException.Reason.CONNECTION, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("the transfer broke off"), e.getMessage());
        assertTrue(e.getMessage().contains("pure-ftpd@127.0.0.4 answered \"150 "), e.getMessage());
        assertTrue(e.getMessage().contains("preliminary"), e.getMessage());
        assertFalse(e.getMessage().contains("refused"), "not a refusal: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(millis < 8000, "took " + millis + " ms");
        assertFalse(Files.exists(proftpd.root().resolve("drop-in.bin")), "partial file left behind");
    }
}
