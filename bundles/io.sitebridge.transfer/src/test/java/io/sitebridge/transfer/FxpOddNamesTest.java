package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Names that trip up careless clients, copied server to server between real servers: leading
 * spaces, wildcards, non-ASCII UTF-8; and names with CR or LF, refused before anything is sent.
 */
class FxpOddNamesTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpd;
    static RealPeer proftpd;
    static RealPeer pure;

    static final List<String> NAMES = List.of("  two leading spaces.bin", "star*.bin", "what?.bin",
            "ünïcødé 日本語 ✓.bin", "[brackets] and {braces}.bin");

    @BeforeAll
    static void start() throws Exception {
        vsftpd = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs"), PeerConfig.FXP);
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpd, proftpd, pure);
    }

    private static void copyAll(RealPeer from, RealPeer to) throws Exception {
        for (String name : NAMES) {
            byte[] data = TestFiles.create(from.root().resolve(name), 50_000 + name.length(), name.hashCode());
            TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true).copy(
                    from.site(), "/" + name, to.site(), "/" + name, TransferOptions.defaults().withRelayAllowed(false)
                            .withAcceptTimeout(Duration.ofSeconds(3)), TransferListener.NONE);
            assertEquals(TransferMethod.FXP, r.strategy().method(), name);
            assertArrayEquals(data, Files.readAllBytes(to.root().resolve(name)), name);
            System.out.println("ODD NAME " + from.kind().label + " -> " + to.kind().label + " | '" + name + "' | pass");
        }
    }

    @Test
    void proftpdToPureFtpd() throws Exception {
        copyAll(proftpd, pure);
    }

    @Test
    void pureFtpdToVsftpd() throws Exception {
        copyAll(pure, vsftpd);
    }

    @Test
    void vsftpdToProftpd() throws Exception {
        copyAll(vsftpd, proftpd);
    }

    @Test
    void crOrLfInANameIsRefusedBeforeSending() throws Exception {
        TestFiles.create(proftpd.root().resolve("victim.bin"), 1000, 51);
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        for (String[] pair : new String[][] {{"/x.bin\r\nDELE /victim.bin", "/y.bin"},
                {"/victim.bin", "/y.bin\nDELE /victim.bin"}}) {
            TransferException e = assertThrows(TransferException.class, () -> new TransferController(dialogue,
                    new StrategyMemory(), true).copy(proftpd.site(), pair[0], pure.site(), pair[1],
                            TransferOptions.defaults(), TransferListener.NONE));
            assertEquals(TransferException.Reason.INVALID_NAME, e.reason(), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().noneMatch(e -> e.direction() == Direction.SENT && e.text().contains("DELE")),
                events::toString);
        assertTrue(Files.exists(proftpd.root().resolve("victim.bin")));
    }
}
