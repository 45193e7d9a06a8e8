package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.transfer.engine.Outcome;
import io.sitebridge.testing.peers.CpsvServer;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;
import io.sitebridge.transfer.queue.ConflictRule;

/**
 * Protected FXP (PROT P on both sessions) where the passive server is the TLS client of the data
 * connection by CPSV, and resuming over TLS, by CPSV and by SSCN. No real server here offers CPSV:
 * {@link CpsvServer} stands in for one, against real proftpd and vsftpd (which cannot protect FXP
 * data with each other, nor vsftpd with pure-ftpd: neither has SSCN); the SSCN resume runs
 * between real proftpd and vsftpd.
 */
class CpsvFxpTest {
    @TempDir
    static Path tmp;
    static CpsvServer standIn;
    static RealPeer proftpd;
    static RealPeer vsftpd;

    static final TransferOptions OPTIONS = TransferOptions.defaults().withRelayAllowed(false)
            .withAcceptTimeout(Duration.ofSeconds(3)).withDrainTimeout(Duration.ofSeconds(2));

    @BeforeAll
    static void start() throws Exception {
        var pr = RealPeers.properties();
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.72", tmp.resolve("pro"), PeerConfig.FXP_TLS);
        vsftpd = RealPeers.start(PeerKind.VSFTPD, "127.0.0.73", tmp.resolve("vs"), PeerConfig.FXP_TLS);
        standIn = CpsvServer.start("127.0.0.71", Files.createDirectories(tmp.resolve("stand-in")), pr.getProperty("user"),
                pr.getProperty("password"), Path.of(pr.getProperty("cert")), Path.of(pr.getProperty("key")));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {standIn, proftpd, vsftpd}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }

    private static Site site(String label) {
        return switch (label) {
            case "stand-in" -> standIn.site();
            case "proftpd" -> proftpd.site();
            default -> vsftpd.site();
        };
    }

    private static Path root(String label) {
        return switch (label) {
            case "stand-in" -> standIn.root();
            case "proftpd" -> proftpd.root();
            default -> vsftpd.root();
        };
    }

    /** A control dialogue that keeps every event. */
    private static final class Recorded {
        final ControlDialogue dialogue = new ControlDialogue(100_000);
        private final List<DialogueEvent> events = new CopyOnWriteArrayList<>();

        Recorded() {
            dialogue.addListener(events::add);
        }

        List<DialogueEvent> events() throws InterruptedException {
            assertTrue(dialogue.flush(Duration.ofSeconds(5)));
            return List.copyOf(events);
        }

        List<String> sentTo(Site site) throws InterruptedException {
            return events().stream().filter(e -> e.direction() == Direction.SENT && e.site().equals(site.name()))
                    .map(DialogueEvent::text).toList();
        }

        List<String> sent() throws InterruptedException {
            return events().stream().filter(e -> e.direction() == Direction.SENT).map(DialogueEvent::text).toList();
        }
    }

    /** A file on {@code label}'s server that the FTP user may read and write (the real servers log in as it). */
    private static byte[] put(String label, String name, byte[] data) throws Exception {
        Path p = root(label).resolve(name);
        Files.write(p, data);
        if (!label.equals("stand-in")) {
            var pr = RealPeers.properties();
            Files.setAttribute(p, "unix:uid", Integer.parseInt(pr.getProperty("uid")));
            Files.setAttribute(p, "unix:gid", Integer.parseInt(pr.getProperty("gid")));
        }
        return data;
    }

    @ParameterizedTest(name = "TLS {0} -> {1}, {2} passive by CPSV")
    @CsvSource({"stand-in,proftpd,SOURCE", "proftpd,stand-in,DESTINATION", "stand-in,vsftpd,SOURCE",
            "vsftpd,stand-in,DESTINATION"})
    void protectedDataViaCpsv(String from, String to, PassiveSide passive) throws Exception {
        String name = "cpsv-" + from + "-" + to + ".bin";
        byte[] data = TestFiles.create(root(from).resolve(name), 900_000, name.hashCode());
        Recorded log = new Recorded();
        String outcome = "fail";
        int before = standIn.dataConnections().size();
        try {
            TransferResult r = new TransferController(log.dialogue, new StrategyMemory(), false).copy(site(from),
                    "/" + name, site(to), "/in-" + name, OPTIONS.withFirstPassiveSide(passive), TransferListener.NONE);
            assertEquals(Strategy.fxp(passive, false), r.strategy(), r.notes()::toString);
            assertArrayEquals(data, Files.readAllBytes(root(to).resolve("in-" + name)));
            assertTrue(log.sentTo(standIn.site()).contains("CPSV"), log.sent()::toString);
            assertTrue(log.sent().stream().noneMatch(c -> c.equals("PROT C") || c.equals("PASV") || c.startsWith("SSCN")),
                    log.sent()::toString);
            // The stand-in's own view: one data connection, protected, with itself as the TLS client.
            List<CpsvServer.DataConnection> dc = standIn.dataConnections().subList(before, standIn.dataConnections().size());
            assertEquals(1, dc.size(), dc::toString);
            assertEquals("TLS client", dc.get(0).protection(), dc::toString);
            assertEquals(site(from.equals("stand-in") ? to : from).host(), dc.get(0).peer(), dc::toString);
            assertEquals(data.length, dc.get(0).bytes(), dc::toString);
            outcome = "pass (" + dc.get(0).protocol() + ")";
        } finally {
            System.out.println("MATRIX TLS " + from + " -> " + to + " | " + passive.name().toLowerCase()
                    + " passive | PROT P + CPSV | " + outcome);
        }
    }

    /**
     * CPSV is found whichever server the user prefers to listen: vsftpd (neither CPSV nor SSCN) is
     * asked first, relaying is not allowed, and the copy goes with the stand-in listening by CPSV.
     */
    @ParameterizedTest(name = "TLS {0} -> {1}, {2} preferred passive: CPSV the other way round")
    @CsvSource({"vsftpd,stand-in,SOURCE", "stand-in,vsftpd,DESTINATION"})
    void cpsvWhenTheOtherServerIsPreferredPassive(String from, String to, PassiveSide preferred) throws Exception {
        String name = "cpsv-reversed-" + from + "-" + to + ".bin";
        byte[] data = TestFiles.create(root(from).resolve(name), 500_000, name.hashCode());
        Recorded log = new Recorded();
        TransferResult r = new TransferController(log.dialogue, new StrategyMemory(), false).copy(site(from),
                "/" + name, site(to), "/in-" + name, OPTIONS.withFirstPassiveSide(preferred), TransferListener.NONE);
        assertEquals(Strategy.fxp(preferred.other(), false), r.strategy(), r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(root(to).resolve("in-" + name)));
        assertTrue(log.sentTo(standIn.site()).contains("CPSV"), log.sent()::toString);
        assertTrue(log.sent().stream().noneMatch(c -> c.equals("PROT C")), log.sent()::toString);
    }

    @ParameterizedTest(name = "TLS resume {0} -> {1}, {2} passive by CPSV")
    @CsvSource({"stand-in,proftpd,SOURCE", "proftpd,stand-in,DESTINATION", "stand-in,vsftpd,SOURCE",
            "vsftpd,stand-in,DESTINATION"})
    void resumeOverTlsViaCpsv(String from, String to, PassiveSide passive) throws Exception {
        String name = "cpsv-resume-" + from + "-" + to + ".bin";
        int prefix = 333_333;
        byte[] data = TestFiles.create(root(from).resolve(name), 1_200_000, name.hashCode());
        put(to, name, Arrays.copyOf(data, prefix));
        int before = standIn.dataConnections().size();
        Recorded log = resume(from, to, name, passive, prefix);
        assertArrayEquals(data, Files.readAllBytes(root(to).resolve(name)));
        assertTrue(log.sentTo(standIn.site()).contains("CPSV"), log.sent()::toString);
        assertTrue(log.sent().stream().noneMatch(c -> c.equals("PROT C") || c.startsWith("SSCN")), log.sent()::toString);
        // Only the rest crossed the data connection, protected, the stand-in being the TLS client.
        List<CpsvServer.DataConnection> dc = standIn.dataConnections().subList(before, standIn.dataConnections().size());
        assertEquals(1, dc.size(), dc::toString);
        assertEquals(prefix, dc.get(0).offset(), dc::toString);
        assertEquals(data.length - prefix, dc.get(0).bytes(), dc::toString);
        assertEquals("TLS client", dc.get(0).protection(), dc::toString);
        assertEquals(site(from.equals("stand-in") ? to : from).host(), dc.get(0).peer(), dc::toString);
        assertTrue(standIn.received().contains("REST " + prefix), standIn.received()::toString);
        System.out.println("MATRIX TLS resume " + from + " -> " + to + " | " + passive.name().toLowerCase()
                + " passive | PROT P + CPSV | REST " + prefix + " | pass");
    }

    @ParameterizedTest(name = "TLS resume proftpd -> vsftpd, {0} passive by SSCN")
    @CsvSource({"DESTINATION", "SOURCE"})
    void resumeOverTlsViaSscn(PassiveSide passive) throws Exception {
        String name = "sscn-resume-" + passive + ".bin";
        int prefix = 444_444;
        byte[] data = TestFiles.create(proftpd.root().resolve(name), 1_200_000, name.hashCode());
        put("vsftpd", name, Arrays.copyOf(data, prefix));
        Recorded log = resume("proftpd", "vsftpd", name, passive, prefix);
        assertArrayEquals(data, Files.readAllBytes(vsftpd.root().resolve(name)));
        assertTrue(log.sentTo(proftpd.site()).contains("SSCN ON"), log.sent()::toString);
        assertTrue(log.sent().stream().noneMatch(c -> c.equals("PROT C") || c.equals("CPSV")), log.sent()::toString);
        System.out.println("MATRIX TLS resume proftpd -> vsftpd | " + passive.name().toLowerCase()
                + " passive | PROT P + SSCN | REST " + prefix + " | pass");
    }

    /**
     * Copies with the RESUME rule onto a destination that holds the first {@code prefix} bytes,
     * and checks what both sides were told: REST at the prefix to each (350), STOR (not APPE),
     * no second attempt, the strategy asked for.
     */
    private static Recorded resume(String from, String to, String name, PassiveSide passive, int prefix)
            throws Exception {
        Recorded log = new Recorded();
        Site src = site(from);
        Site dst = site(to);
        FileTransfer t = FileTransfer.between(FtpSession.open(src, log.dialogue, false),
                FtpSession.open(dst, log.dialogue, false), OPTIONS.withFirstPassiveSide(passive), new StrategyMemory());
        Outcome o;
        try {
            o = t.run(new FileTransfer.Request("/" + name, "/" + name, -1, -2, ConflictRule.RESUME, "", -1, true),
                    TransferListener.NONE);
        } finally {
            t.source().session().close();
            t.destination().session().close();
        }
        assertEquals(Outcome.State.DONE, o.state(), o::toString);
        assertEquals(Strategy.fxp(passive, false), o.result().strategy(), o.result().notes()::toString);
        assertTrue(o.reason().contains("resumed at " + prefix), o.reason());
        for (Site s : List.of(src, dst)) {
            List<String> sent = log.sentTo(s);
            assertEquals(1, sent.stream().filter(c -> c.startsWith("REST ")).count(), sent::toString);
            assertTrue(sent.contains("REST " + prefix), s.name() + ": " + sent);
        }
        List<String> toDst = log.sentTo(dst);
        assertTrue(toDst.contains("STOR /" + name) && toDst.stream().noneMatch(c -> c.startsWith("APPE")),
                toDst::toString);
        long restAccepted = log.events().stream().filter(e -> e.direction() == Direction.RECEIVED
                && e.text().startsWith("350")).count();
        assertEquals(2, restAccepted, log.events()::toString);
        return log;
    }
}
