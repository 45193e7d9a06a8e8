package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.testing.peers.EmbeddedFtp;
import io.sitebridge.testing.peers.TestFiles;

/**
 * A server that does not know PASV (or PORT) but knows EPSV (or EPRT) still takes part in FXP: the
 * other form of the command is tried next, with the same server listening, instead of reversing
 * the roles or relaying.
 */
class FxpCommandFormsTest {
    @TempDir
    Path tmp;

    private TransferResult copyBetween(Set<String> sourceLacks, Set<String> destinationLacks) throws Exception {
        try (EmbeddedFtp a = EmbeddedFtp.start("127.0.0.1", Files.createDirectories(tmp.resolve("a")), sourceLacks);
                EmbeddedFtp b = EmbeddedFtp.start("127.0.0.1", Files.createDirectories(tmp.resolve("b")),
                        destinationLacks)) {
            byte[] data = TestFiles.create(a.root().resolve("f.bin"), 200_000, 61);
            TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true).copy(
                    a.site("A"), "/f.bin", b.site("B"), "/f-in.bin",
                    TransferOptions.defaults().withRelayAllowed(false), TransferListener.NONE);
            assertArrayEquals(data, Files.readAllBytes(b.root().resolve("f-in.bin")));
            return r;
        }
    }

    @Test
    void aPassiveServerWithoutPasvListensWithEpsv() throws Exception {
        TransferResult r = copyBetween(Set.of("PASV"), Set.of());
        assertEquals(Strategy.fxp(PassiveSide.SOURCE, true), r.strategy(), r.notes()::toString);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("to listen with PASV")), r.notes()::toString);
    }

    @Test
    void anActiveServerWithoutPortIsSentEprt() throws Exception {
        TransferResult r = copyBetween(Set.of(), Set.of("PORT"));
        assertEquals(Strategy.fxp(PassiveSide.SOURCE, true), r.strategy(), r.notes()::toString);
    }
}
