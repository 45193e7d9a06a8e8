package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/** FTPS on both sides: protected FXP data via SSCN with proftpd; the clear message for vsftpd and pure-ftpd. */
class FxpTlsTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpd;
    static RealPeer proftpd;
    static RealPeer pure;

    static final TransferOptions OPTIONS = TransferOptions.defaults().withRelayAllowed(false)
            .withAcceptTimeout(Duration.ofSeconds(3)).withDrainTimeout(Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws Exception {
        vsftpd = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs"), PeerConfig.FXP_TLS);
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP_TLS);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.FXP_TLS);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpd, proftpd, pure);
    }

    private static RealPeer peer(String label) {
        return switch (label) {
            case "vsftpd" -> vsftpd;
            case "proftpd" -> proftpd;
            default -> pure;
        };
    }

    @ParameterizedTest(name = "TLS {0} -> {1}, {2} passive")
    @CsvSource({"proftpd,vsftpd,DESTINATION", "proftpd,vsftpd,SOURCE", "vsftpd,proftpd,DESTINATION",
            "vsftpd,proftpd,SOURCE", "proftpd,pure-ftpd,DESTINATION", "pure-ftpd,proftpd,SOURCE"})
    void protectedDataViaSscn(String from, String to, PassiveSide passive) throws Exception {
        RealPeer s = peer(from);
        RealPeer d = peer(to);
        String name = "tls-" + from + "-" + to + "-" + passive + ".bin";
        byte[] data = TestFiles.create(s.root().resolve(name), 600_000, name.hashCode());
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        String outcome = "fail";
        try {
            TransferResult r = new TransferController(dialogue, new StrategyMemory(), false).copy(s.site(), "/" + name,
                    d.site(), "/in-" + name, OPTIONS.withFirstPassiveSide(passive), TransferListener.NONE);
            assertEquals(Strategy.fxp(passive, false), r.strategy(), r.notes()::toString);
            assertArrayEquals(data, Files.readAllBytes(d.root().resolve("in-" + name)));
            assertTrue(dialogue.flush(Duration.ofSeconds(5)));
            assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().equals("SSCN ON")
                    && e.site().startsWith("proftpd")));
            assertTrue(events.stream().noneMatch(e -> e.direction() == Direction.SENT && e.text().equals("PROT C")));
            outcome = "pass";
        } finally {
            System.out.println("MATRIX TLS " + from + " -> " + to + " | " + passive.name().toLowerCase()
                    + " passive | PROT P + SSCN | " + outcome);
        }
    }

    @Test
    void vsftpdAndPureFtpdCannotProtectFxpData() throws Exception {
        TestFiles.create(vsftpd.root().resolve("clear.bin"), 300_000, 9);
        TransferException e = assertThrows(TransferException.class, () -> new TransferController(
                new ControlDialogue(), new StrategyMemory(), false).copy(vsftpd.site(), "/clear.bin", pure.site(),
                        "/clear-in.bin", OPTIONS, TransferListener.NONE));
        System.out.println("DIAGNOSIS " + e.getMessage());
        assertEquals(TransferException.Reason.TLS_FXP_IMPOSSIBLE, e.reason());
        assertTrue(e.getMessage().contains("vsftpd") && e.getMessage().contains("pure-ftpd")
                && e.getMessage().contains("SSCN") && e.getMessage().contains("PROT C"), e.getMessage());
    }

    @Test
    void protectedDataIsRelayedWhenNeitherServerCanBeTheTlsClientAndRelayingIsAllowed() throws Exception {
        byte[] data = TestFiles.create(vsftpd.root().resolve("fallback.bin"), 700_000, 11);
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        TransferResult r = new TransferController(dialogue, new StrategyMemory(), false).copy(vsftpd.site(),
                "/fallback.bin", pure.site(), "/fallback-in.bin", OPTIONS.withRelayAllowed(true), TransferListener.NONE);
        assertEquals(TransferMethod.RELAY, r.strategy().method(), r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(pure.root().resolve("fallback-in.bin")));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("protected FXP is impossible")), r.notes()::toString);
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().noneMatch(e -> e.direction() == Direction.SENT && e.text().equals("PROT C")),
                "the data stayed protected");
        System.out.println("MATRIX TLS vsftpd -> pure-ftpd | relay | PROT P (no SSCN/CPSV) | pass");
    }

    @Test
    void clearDataWhenTheUserAllowsItForThisPairOnly(@org.junit.jupiter.api.io.TempDir Path state) throws Exception {
        byte[] data = TestFiles.create(vsftpd.root().resolve("pair.bin"), 300_000, 12);
        StrategyMemory memory = StrategyMemory.inFolder(state);
        memory.allowClearData(vsftpd.site(), pure.site(), true);
        TransferResult r = new TransferController(new ControlDialogue(), StrategyMemory.inFolder(state), false).copy(
                vsftpd.site(), "/pair.bin", pure.site(), "/pair-in.bin", OPTIONS, TransferListener.NONE);
        assertEquals(TransferMethod.FXP, r.strategy().method(), r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(pure.root().resolve("pair-in.bin")));
        // the other direction was not allowed
        TransferException e = assertThrows(TransferException.class, () -> new TransferController(
                new ControlDialogue(), StrategyMemory.inFolder(state), false).copy(pure.site(), "/pair-in.bin",
                        vsftpd.site(), "/pair-back.bin", OPTIONS, TransferListener.NONE));
        assertEquals(TransferException.Reason.TLS_FXP_IMPOSSIBLE, e.reason());
    }

    @Test
    void clearDataWhenTheUserAllowsIt() throws Exception {
        byte[] data = TestFiles.create(vsftpd.root().resolve("clear2.bin"), 300_000, 10);
        TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), false).copy(
                vsftpd.site(), "/clear2.bin", pure.site(), "/clear2-in.bin", OPTIONS.withClearDataAllowed(true),
                TransferListener.NONE);
        assertEquals(TransferMethod.FXP, r.strategy().method());
        assertArrayEquals(data, Files.readAllBytes(pure.root().resolve("clear2-in.bin")));
        System.out.println("MATRIX TLS vsftpd -> pure-ftpd | destination passive | PROT C (allowed) | pass");
    }

    @Test
    void aSelfSignedCertificateIsRejectedUnlessTheUserAcceptsIt() throws Exception {
        io.sitebridge.core.session.FtpException e = assertThrows(io.sitebridge.core.session.FtpException.class,
                () -> io.sitebridge.core.session.FtpSession.open(proftpd.site(), new ControlDialogue(), true));
        assertTrue(e.getMessage().contains("proftpd"), e.getMessage());
        try (var s = io.sitebridge.core.session.FtpSession.open(proftpd.site(), new ControlDialogue(), false)) {
            assertTrue(s.isDataProtected());
        }
    }
}
