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
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.peers.EmbeddedFtp;

/** FXP between two Apache FtpServers in this JVM, on two loopback addresses. */
class FxpEmbeddedTest {
    @TempDir
    static Path tmp;
    static EmbeddedFtp a;
    static EmbeddedFtp b;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        a = EmbeddedFtp.start("127.0.0.1", tmp.resolve("a"));
        b = EmbeddedFtp.start("127.0.0.2", tmp.resolve("b"));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    static byte[] randomFile(Path p, int size, long seed) throws Exception {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(p, data);
        return data;
    }

    @ParameterizedTest(name = "{0} passive, {1}")
    @CsvSource({"DESTINATION,PASV_PORT", "SOURCE,PASV_PORT", "DESTINATION,EPSV_EPRT", "SOURCE,EPSV_EPRT"})
    void copiesBothRolesAndModes(PassiveSide passive, DataConnectionMode mode) throws Exception {
        String name = "f-" + passive + "-" + mode + ".bin";
        byte[] data = randomFile(a.root().resolve(name), 300_000 + passive.ordinal() * 7 + mode.ordinal(), name.hashCode());
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        StrategyMemory memory = new StrategyMemory();
        TransferOptions options = TransferOptions.defaults().withFirstPassiveSide(passive).withDataMode(mode)
                .withRelayAllowed(false);
        TransferResult result = new TransferController(dialogue, memory, true)
                .copy(a.site("A"), "/" + name, b.site("B"), "/copy-" + name, options, TransferListener.NONE);
        assertEquals(TransferMethod.FXP, result.strategy().method());
        assertEquals(passive, result.strategy().passiveSide());
        assertEquals(mode == DataConnectionMode.EPSV_EPRT, result.strategy().extended());
        assertArrayEquals(data, Files.readAllBytes(b.root().resolve("copy-" + name)));
        assertEquals(result.strategy(), memory.lookup(a.site("A"), b.site("B")).orElseThrow());

        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        String verbA = mode == DataConnectionMode.EPSV_EPRT ? "EPRT" : "PORT";
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().startsWith(verbA)));
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().equals("PASS ******")));
        assertFalse(events.stream().anyMatch(e -> e.text().contains(EmbeddedFtp.PASSWORD)), "password leaked");
    }

    @Test
    void relaysWhenFxpIsNotAllowedAndChecksContent() throws Exception {
        byte[] data = randomFile(a.root().resolve("relay.bin"), 1_000_000, 7);
        TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true).copy(
                a.site("A"), "/relay.bin", b.site("B"), "/relay-copy.bin",
                TransferOptions.defaults().withFxpAllowed(false).withVerify(true), TransferListener.NONE);
        assertEquals(TransferMethod.RELAY, r.strategy().method());
        assertEquals("SIZE and SHA-256 read through this client", r.contentCheck());
        assertArrayEquals(data, Files.readAllBytes(b.root().resolve("relay-copy.bin")));
    }

    /**
     * Apache FtpServer's RNTO will not replace an existing file ("553 Can't rename file"): the old
     * file is renamed aside, the complete copy renamed in, the old one deleted. Nothing is left over.
     */
    @Test
    void aServerThatWillNotRenameOverAFileStillGetsItReplaced() throws Exception {
        byte[] data = randomFile(a.root().resolve("new.bin"), 200_000, 11);
        Files.writeString(b.root().resolve("old.bin"), "the old content");
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        TransferResult r = new TransferController(dialogue, new StrategyMemory(), true).copy(a.site("A"),
                "/new.bin", b.site("B"), "/old.bin", TransferOptions.defaults().withRelayAllowed(false),
                TransferListener.NONE);
        assertArrayEquals(data, Files.readAllBytes(b.root().resolve("old.bin")));
        assertEquals(List.of("old.bin"), Files.list(b.root()).map(f -> f.getFileName().toString())
                .filter(n -> n.startsWith("old.bin")).sorted().toList(), "no temporary or old file left");
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.RECEIVED && e.text().startsWith("553")),
                "the server refused the first rename: the case this is about");
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("renamed aside first, then deleted")), r.notes()::toString);
    }

    @Test
    void missingSourceIsAClearError() {
        TransferException e = assertThrows(TransferException.class, () -> new TransferController(
                new ControlDialogue(), new StrategyMemory(), true).copy(a.site("A"), "/nope.bin", b.site("B"),
                        "/x.bin", TransferOptions.defaults(), TransferListener.NONE));
        assertEquals(TransferException.Reason.SERVER_REFUSED, e.reason());
    }

    @Test
    void crOrLfInANameIsRefusedBeforeSending() throws Exception {
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        try (FtpSession s = FtpSession.open(a.site("A"), dialogue); FtpSession d = FtpSession.open(b.site("B"), dialogue)) {
            TransferException e = assertThrows(TransferException.class, () -> FileTransfer.between(s, d,
                    TransferOptions.defaults(), new StrategyMemory()).copy("/a\r\nDELE x", "/b", TransferListener.NONE));
            assertEquals(TransferException.Reason.INVALID_NAME, e.reason());
        }
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertFalse(events.stream().anyMatch(e -> e.text().contains("DELE")));
    }
}
