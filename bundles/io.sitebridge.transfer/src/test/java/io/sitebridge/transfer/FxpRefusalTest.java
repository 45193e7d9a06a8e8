package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Real servers that refuse FXP (stock configurations): role reversal, relay fallback, the
 * named diagnosis when relaying is forbidden, and pure-ftpd's silent refusal ending within
 * the accept timeout.
 */
class FxpRefusalTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpdPassiveOnly;
    static RealPeer vsftpdStock;
    static RealPeer proftpdFxp;
    static RealPeer proftpdStock;
    static RealPeer pureStock;

    static final TransferOptions FAST = TransferOptions.defaults().withAcceptTimeout(Duration.ofSeconds(2))
            .withDrainTimeout(Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws Exception {
        vsftpdPassiveOnly = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs-po"),
                new PeerConfig(PeerConfig.Fxp.PASSIVE_ONLY, false));
        proftpdFxp = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP);
        pureStock = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.STOCK);
        vsftpdStock = RealPeers.start(PeerKind.VSFTPD, "127.0.0.5", tmp.resolve("vs"), PeerConfig.STOCK);
        proftpdStock = RealPeers.start(PeerKind.PROFTPD, "127.0.0.6", tmp.resolve("pro-stock"), PeerConfig.STOCK);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpdPassiveOnly, proftpdFxp, pureStock, vsftpdStock, proftpdStock);
    }

    private static TransferController controller(StrategyMemory memory) {
        return new TransferController(new ControlDialogue(), memory, true);
    }

    @Test
    void activeSideRefusesPortSoRolesAreSwappedAndRemembered() throws Exception {
        // The first attempt has the source listen, so vsftpd, the destination, is sent PORT and refuses it.
        byte[] data = TestFiles.create(proftpdFxp.root().resolve("rev.bin"), 500_000, 1);
        StrategyMemory memory = new StrategyMemory();
        TransferResult r = controller(memory).copy(proftpdFxp.site(), "/rev.bin", vsftpdPassiveOnly.site(),
                "/rev-in.bin", FAST.withRelayAllowed(false), TransferListener.NONE);
        assertEquals(Strategy.fxp(PassiveSide.DESTINATION, false), r.strategy());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("vsftpd") && n.contains("port_promiscuous")), r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(vsftpdPassiveOnly.root().resolve("rev-in.bin")));

        // Next time the pair starts with what worked: no refusal at all.
        TransferResult again = controller(memory).copy(proftpdFxp.site(), "/rev.bin", vsftpdPassiveOnly.site(),
                "/rev-in2.bin", FAST.withRelayAllowed(false), TransferListener.NONE);
        assertEquals(Strategy.fxp(PassiveSide.DESTINATION, false), again.strategy());
        assertTrue(again.notes().stream().noneMatch(n -> n.startsWith("FXP refused")), again.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(vsftpdPassiveOnly.root().resolve("rev-in2.bin")));
    }

    @Test
    void bothStockServersRefuseSoTheDataIsRelayed() throws Exception {
        byte[] data = TestFiles.create(vsftpdStock.root().resolve("relay.bin"), 1_500_000, 2);
        TransferResult r = controller(new StrategyMemory()).copy(vsftpdStock.site(), "/relay.bin",
                proftpdStock.site(), "/relay-in.bin", FAST, TransferListener.NONE);
        assertEquals(TransferMethod.RELAY, r.strategy().method());
        assertTrue(r.notes().stream().filter(n -> n.startsWith("FXP refused")).count() >= 2, r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(proftpdStock.root().resolve("relay-in.bin")));
    }

    @Test
    void withoutRelayTheErrorNamesBothServersAndTheirSettings() throws Exception {
        TestFiles.create(vsftpdStock.root().resolve("norelay.bin"), 200_000, 3);
        TransferException e = assertThrows(TransferException.class, () -> controller(new StrategyMemory()).copy(
                vsftpdStock.site(), "/norelay.bin", proftpdStock.site(), "/norelay-in.bin",
                FAST.withRelayAllowed(false), TransferListener.NONE));
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason());
        String m = e.getMessage();
        System.out.println("DIAGNOSIS " + m + " " + e.details());
        // the error: one line of at most 200 characters naming both refusing servers
        assertTrue(m.contains("vsftpd") && m.contains("proftpd") && m.startsWith("FXP refused: "), m);
        assertTrue(!m.contains("\n") && m.length() <= 200, "one short line: " + m);
        // the remedies: each server's setting, and that relaying was not allowed, on lines of their own
        String d = withDetails(e);
        assertTrue(d.contains("vsftpd") && d.contains("port_promiscuous=YES"), d);
        assertTrue(d.contains("proftpd") && d.contains("AllowForeignAddress on"), d);
        assertTrue(d.contains("relaying through this client was not allowed"), d);
    }

    @Test
    void passiveSideRefusingTheForeignConnectionIsNamed() throws Exception {
        TestFiles.create(proftpdFxp.root().resolve("pasv.bin"), 200_000, 4);
        TransferException e = assertThrows(TransferException.class, () -> controller(new StrategyMemory()).copy(
                proftpdFxp.site(), "/pasv.bin", vsftpdStock.site(), "/pasv-in.bin",
                FAST.withRelayAllowed(false), TransferListener.NONE));
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("425") && withDetails(e).contains("pasv_promiscuous=YES"), withDetails(e));
        assertTrue(withDetails(e).contains("port_promiscuous=YES"), withDetails(e));
    }

    @Test
    void pureFtpdSilentRefusalEndsWithinTheAcceptTimeout() throws Exception {
        TestFiles.create(proftpdFxp.root().resolve("silent.bin"), 300_000, 5);
        long start = System.nanoTime();
        TransferException e = assertThrows(TransferException.class, () -> controller(new StrategyMemory()).copy(
                proftpdFxp.site(), "/silent.bin", pureStock.site(), "/silent-in.bin",
                FAST.withRelayAllowed(false), TransferListener.NONE));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        System.out.println("DIAGNOSIS (" + seconds + " s) " + e.getMessage());
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("pure-ftpd") && withDetails(e).contains("-W"), withDetails(e));
        assertTrue(e.getMessage().contains("pure-ftpd@127.0.0.4 refused ")
                && e.getMessage().contains("a data connection from a foreign address"), e.getMessage());
        assertTrue(e.getMessage().length() <= 200, e.getMessage());
        assertTrue(seconds < 20, "took " + seconds + " s");

        // And with relaying allowed the same pair still gets the file across.
        byte[] data = Files.readAllBytes(proftpdFxp.root().resolve("silent.bin"));
        TransferResult r = controller(new StrategyMemory()).copy(proftpdFxp.site(), "/silent.bin",
                pureStock.site(), "/silent-in2.bin", FAST, TransferListener.NONE);
        assertEquals(TransferMethod.RELAY, r.strategy().method());
        assertArrayEquals(data, Files.readAllBytes(pureStock.root().resolve("silent-in2.bin")));
    }

    @Test
    void cancelWhileAServerIsSilentAbortsBothAndLeavesUsableSessions() throws Exception {
        TestFiles.create(proftpdFxp.root().resolve("cancel.bin"), 300_000, 6);
        ControlDialogue dialogue = new ControlDialogue();
        try (FtpSession s = FtpSession.open(proftpdFxp.site(), dialogue);
                FtpSession d = FtpSession.open(pureStock.site(), dialogue)) {
            FileTransfer t = FileTransfer.between(s, d, FAST.withAcceptTimeout(Duration.ofSeconds(30))
                    .withRelayAllowed(false), new StrategyMemory());
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                t.cancel();
            });
            long start = System.nanoTime();
            canceller.start();
            TransferException e = assertThrows(TransferException.class,
                    () -> t.copy("/cancel.bin", "/cancel-in.bin", TransferListener.NONE));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(TransferException.Reason.CANCELLED, e.reason(), e.getMessage());
            assertTrue(seconds < 12, "cancel took " + seconds + " s");
            assertEquals("/", t.source().session().pwd());
            assertEquals("/", t.destination().session().pwd());
            if (t.source().session() != s) {
                t.source().session().close();
            }
            if (t.destination().session() != d) {
                t.destination().session().close();
            }
        }
    }

    @Test
    void cancelDuringARelayStopsItAndLeavesUsableSessions() throws Exception {
        TestFiles.create(vsftpdStock.root().resolve("cancel-relay.bin"), 8_000_000, 7);
        ControlDialogue dialogue = new ControlDialogue();
        try (FtpSession s = FtpSession.open(vsftpdStock.site(), dialogue);
                FtpSession d = FtpSession.open(proftpdStock.site(), dialogue)) {
            FileTransfer t = FileTransfer.between(s, d, FAST.withFxpAllowed(false), new StrategyMemory());
            TransferException e = assertThrows(TransferException.class, () -> t.copy("/cancel-relay.bin",
                    "/cancel-relay-in.bin", new TransferListener() {
                        @Override
                        public void bytesTransferred(long bytes, long total) {
                            if (bytes > 1_000_000) {
                                t.cancel();
                            }
                        }
                    }));
            assertEquals(TransferException.Reason.CANCELLED, e.reason(), e.getMessage());
            assertTrue(Files.size(proftpdStock.root().resolve("cancel-relay-in.bin")) < 8_000_000);
            assertEquals("/", t.source().session().pwd());
            assertEquals("/", t.destination().session().pwd());
        }
    }

    /** The error's message and the lines under it (remedies, clean-up). */
    private static String withDetails(TransferException e) {
        return e.getMessage() + "\n" + String.join("\n", e.details());
    }
}
