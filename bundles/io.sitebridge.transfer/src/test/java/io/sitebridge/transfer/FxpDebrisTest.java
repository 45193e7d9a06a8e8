package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

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
 * A failed copy leaves nothing behind and loses nothing: with stock servers a refused FXP
 * makes the active destination create a 0-byte file, which is removed again; a file that was
 * there before is never truncated (the copy goes to a temporary sibling and replaces it only
 * when complete).
 */
class FxpDebrisTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpdStock;
    static RealPeer pureStock;
    static RealPeer proftpdFxp;

    static final TransferOptions NO_RELAY = TransferOptions.defaults().withAcceptTimeout(Duration.ofSeconds(2))
            .withDrainTimeout(Duration.ofSeconds(2)).withRelayAllowed(false);

    @BeforeAll
    static void start() throws Exception {
        vsftpdStock = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs"), PeerConfig.STOCK);
        pureStock = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.STOCK);
        proftpdFxp = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpdStock, pureStock, proftpdFxp);
    }

    private static TransferController controller() {
        return new TransferController(new ControlDialogue(), new StrategyMemory(), true);
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * vsftpd (stock) refuses PORT, and as the passive source refuses proftpd's connection with 425
     * while proftpd, the active destination, says 226 for an empty file. Relaying forbidden.
     */
    @Test
    void aRefusedFxpLeavesNoEmptyFile() throws Exception {
        TestFiles.create(vsftpdStock.root().resolve("debris.bin"), 300_000, 21);
        TransferException e = assertThrows(TransferException.class, () -> controller().copy(vsftpdStock.site(),
                "/debris.bin", proftpdFxp.site(), "/debris-in.bin", NO_RELAY, TransferListener.NONE));
        System.out.println("DIAGNOSIS " + e.getMessage() + " " + e.details());
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason());
        // one line of at most 200 characters says what failed, with the servers' words quoted
        assertTrue(e.getMessage().length() <= 200, e.getMessage());
        assertTrue(e.getMessage().contains("vsftpd@127.0.0.2 refused") && e.getMessage().contains("425"), e.getMessage());
        // the remedy and the clean-up on lines of their own, as short
        String details = String.join("\n", e.details());
        assertTrue(details.contains("pasv_promiscuous=YES"), details);
        assertTrue(details.contains("removed the incomplete /debris-in.bin (0 bytes)"), details);
        assertTrue(e.details().stream().allMatch(l -> l.length() <= 200 && l.indexOf('\n') < 0), details);
        assertFalse(Files.exists(proftpdFxp.root().resolve("debris-in.bin")), "0-byte file left behind");
    }

    /** The same with pure-ftpd (stock), which refuses silently as the passive source. */
    @Test
    void aSilentRefusalLeavesNoEmptyFile() throws Exception {
        TestFiles.create(pureStock.root().resolve("silent.bin"), 300_000, 22);
        TransferException e = assertThrows(TransferException.class, () -> controller().copy(pureStock.site(),
                "/silent.bin", proftpdFxp.site(), "/silent-in.bin", NO_RELAY, TransferListener.NONE));
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason(), e.getMessage());
        assertFalse(Files.exists(proftpdFxp.root().resolve("silent-in.bin")), "0-byte file left behind");
    }

    @Test
    void aFileThatExistedIsNeverTruncatedByARefusal() throws Exception {
        TestFiles.create(vsftpdStock.root().resolve("keep.bin"), 300_000, 23);
        Path old = proftpdFxp.root().resolve("keep-in.bin");
        Files.writeString(old, "precious old content", StandardCharsets.UTF_8);
        old.toFile().setWritable(true, false);
        TransferException e = assertThrows(TransferException.class, () -> controller().copy(vsftpdStock.site(),
                "/keep.bin", proftpdFxp.site(), "/keep-in.bin", NO_RELAY, TransferListener.NONE));
        assertEquals(TransferException.Reason.FXP_REFUSED, e.reason());
        assertEquals("precious old content", Files.readString(old, StandardCharsets.UTF_8));
        assertTrue(e.details().stream().anyMatch(l -> l.contains("/keep-in.bin is unchanged")), e.details()::toString);
        assertTrue(names(proftpdFxp.root()).stream().noneMatch(n -> n.contains(".part")), names(proftpdFxp.root())::toString);
    }

    @Test
    void aFileThatExistedIsReplacedWhenTheCopyWorks() throws Exception {
        byte[] data = TestFiles.create(proftpdFxp.root().resolve("new.bin"), 400_000, 24);
        Path old = pureStock.root().resolve("new-in.bin");
        Files.writeString(old, "old", StandardCharsets.UTF_8);
        old.toFile().setWritable(true, false);
        // pure-ftpd (stock) as destination: FXP refused both ways, relayed into a temporary name, renamed over.
        TransferResult r = controller().copy(proftpdFxp.site(), "/new.bin", pureStock.site(), "/new-in.bin",
                NO_RELAY.withRelayAllowed(true), TransferListener.NONE);
        assertEquals(TransferMethod.RELAY, r.strategy().method());
        assertArrayEquals(data, Files.readAllBytes(old));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("replaced /new-in.bin")), r.notes()::toString);
        assertTrue(names(pureStock.root()).stream().noneMatch(n -> n.contains(".part")), names(pureStock.root())::toString);
    }
}
