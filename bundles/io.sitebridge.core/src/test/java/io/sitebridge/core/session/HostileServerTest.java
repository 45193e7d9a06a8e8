package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;

/**
 * Hostile and broken servers, scripted with {@link ScriptedFtpServer}: replies that never end,
 * replies of megabytes, a server that refuses PASV (or EPSV), data connections that stall
 * half-way with the control connection silent too, names and error text full of terminal
 * escape sequences. Each scenario ends in a correct result or one clean line (at most 200
 * characters, no control characters, no stack trace) within its deadline, having read no
 * more than the bounds allow.
 */
class HostileServerTest {
    private static final Duration SHORT = Duration.ofSeconds(1);
    private final ControlDialogue dialogue = new ControlDialogue();

    /** One line of at most 200 characters, no control or bidi characters, no stack trace. */
    static void assertOneCleanLine(String m) {
        assertNotNull(m);
        assertTrue(m.length() <= 200, m.length() + " characters: " + m);
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            assertFalse(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                    || (c >= 0x2066 && c <= 0x2069), "control character " + (int) c + " in: " + m);
        }
        assertFalse(m.contains("Exception") || m.contains(".java:") || m.contains("\tat "), "stack trace text: " + m);
    }

    /** Runs {@code body}, expects an FtpException within {@code within}, checks its message. */
    private static FtpException failsWithin(Duration within, Executable body) {
        long start = System.nanoTime();
        FtpException e = assertThrows(FtpException.class, body);
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.println("HOSTILE (" + millis + " ms): " + e.getMessage());
        assertTrue(millis < within.toMillis(), "took " + millis + " ms: " + e.getMessage());
        assertOneCleanLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("scripted"), e.getMessage());
        return e;
    }

    private static ReplyLimitException limit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReplyLimitException r) {
                return r;
            }
        }
        throw new AssertionError("not cut off by a bound: " + e, e);
    }

    private static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    // ---- replies without end ------------------------------------------------------------------

    @Test
    void anEndlessGreetingWithoutCrlfIsCutOffAtTheLineBound() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.greeting((c, a) -> {
                c.send("220 ");
                c.sendForever(repeat('A', 4096));
            });
            FtpException e = failsWithin(Duration.ofSeconds(3),
                    () -> FtpSession.open(server.site(Duration.ofSeconds(5)), dialogue));
            assertTrue(e.getMessage().contains("line longer than " + ControlGuard.MAX_LINE), e.getMessage());
            assertTrue(e.getMessage().contains("cut it off"), e.getMessage());
            // read at most the bound plus one buffer, and the connection was closed
            assertTrue(limit(e).charsRead() <= ControlGuard.MAX_LINE + 8192, "read " + limit(e).charsRead());
            assertTrue(server.clientClosedWithin(Duration.ofSeconds(3)), "the client never hung up");
        }
    }

    @Test
    void anEndlessMultiLineGreetingIsCutOffAtTheReplyBound() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.greeting((c, a) -> {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    lines.append("220-welcome, this banner goes on and on and on\r\n");
                }
                c.sendForever(lines.toString().getBytes(StandardCharsets.US_ASCII));
            });
            FtpException e = failsWithin(Duration.ofSeconds(3),
                    () -> FtpSession.open(server.site(Duration.ofSeconds(5)), dialogue));
            assertTrue(e.getMessage().contains("reply longer than " + ControlGuard.MAX_REPLY), e.getMessage());
            assertTrue(limit(e).charsRead() <= ControlGuard.MAX_REPLY + 8192, "read " + limit(e).charsRead());
            assertTrue(server.clientClosedWithin(Duration.ofSeconds(3)), "the client never hung up");
        }
    }

    @Test
    void aReplyOfTenMegabytesIsCutOffAfterTheBound() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("PWD", (c, a) -> {
                c.send("257 \"/");
                for (int i = 0; i < 10 * 1024 / 64; i++) {
                    c.send(repeat('x', 64 * 1024)); // 10 MB, then the end of the line
                }
                c.send("\"\r\n");
            });
            try (FtpSession s = FtpSession.open(server.site(Duration.ofSeconds(5)), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(3), s::pwd);
                assertTrue(e.getMessage().contains("during PWD"), e.getMessage());
                assertTrue(limit(e).charsRead() <= ControlGuard.MAX_LINE + 8192, "read " + limit(e).charsRead());
                assertFalse(s.isConnected());
                assertTrue(server.clientClosedWithin(Duration.ofSeconds(3)), "the client never hung up");
                assertTrue(server.controlBytesSent.get() < 10L * 1024 * 1024,
                        "the server could send all " + server.controlBytesSent.get() + " bytes");
            }
        }
    }

    @Test
    void anEndlessReplyReadAsynchronouslyIsCutOff() throws Exception {
        // the FXP engine's path: send without waiting, read the reply later with its own timeout
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("NOOP", (c, a) -> c.sendForever("200-and more\r\n".getBytes(StandardCharsets.US_ASCII)));
            try (FtpSession s = FtpSession.open(server.site(Duration.ofSeconds(5)), dialogue)) {
                s.send("NOOP");
                FtpException e = failsWithin(Duration.ofSeconds(3), () -> s.readReply(Duration.ofSeconds(30)));
                assertTrue(limit(e).charsRead() <= ControlGuard.MAX_REPLY + 8192, "read " + limit(e).charsRead());
                assertFalse(s.isConnected());
            }
        }
    }

    @Test
    void aReplyTrickledByteByByteEndsWithinTheReplyTimeout() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.greeting((c, a) -> {
                c.send("220 ");
                while (true) {
                    c.send("."); // never silent long enough for a read timeout, never a whole line
                    Thread.sleep(50);
                }
            });
            FtpException e = failsWithin(Duration.ofSeconds(4),
                    () -> FtpSession.open(server.site(SHORT, SHORT, SHORT), dialogue));
            assertTrue(e.getMessage().contains("did not finish its reply within 1 s"), e.getMessage());
            assertTrue(server.clientClosedWithin(Duration.ofSeconds(3)), "the client never hung up");
        }
    }

    @Test
    void garbageWithEscapeSequencesBecomesOneCleanLine() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("PWD", (c, a) -> c.send(("\u001b]0;owned\u0007\u001b[2J\u0000\u0001\u00ff\u009b31m"
                    + "x".repeat(900) + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
            try (FtpSession s = FtpSession.open(server.site(SHORT), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(3), s::pwd);
                assertTrue(e.getMessage().contains("malformed"), e.getMessage());
                assertTrue(e.getMessage().endsWith("\u2026\""), e.getMessage());
            }
        }
    }

    @Test
    void errorTextOfHundredsOfCharactersIsQuotedAndShortened() throws Exception {
        String evil = "No such file \u001b[31mred\u001b[0m \u0007\u001b]8;;http://evil/\u0007link\u001b]8;;\u0007 "
                + "\u202egnp.exe " + "blah ".repeat(150);
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("DELE", (c, a) -> c.send("550-" + evil + "\r\n550-second line\r\n550 " + evil + "\r\n"));
            try (FtpSession s = FtpSession.open(server.site(SHORT), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(3), () -> s.delete("/a.txt"));
                String m = e.getMessage();
                assertEquals(550, e.code());
                assertTrue(m.startsWith("scripted refused DELE /a.txt: \"550-No such file [31mred[0m"), m);
                assertTrue(m.endsWith("\u2026\""), m);
                assertTrue(s.isConnected(), "a refusal leaves the session usable");
                assertEquals("/", s.pwd());
            }
        }
    }

    // ---- PASV and EPSV ------------------------------------------------------------------------

    private static final String LISTING = "-rw-r--r--   1 ftp ftp         5 Jan 01 12:00 a.txt\r\n"
            + "drwxr-xr-x   2 ftp ftp      4096 Jan 01 12:00 sub\r\n";

    private static ScriptedFtpServer listingServer() throws Exception {
        return new ScriptedFtpServer()
                .on("LIST", (c, a) -> c.transfer(LISTING.getBytes(StandardCharsets.UTF_8)))
                .on("RETR", (c, a) -> c.transfer("hello".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aServerThatRefusesPasvButKnowsEpsvGetsItsListingAndFile() throws Exception {
        try (ScriptedFtpServer server = listingServer()) {
            server.on("PASV", (c, a) -> c.send("500 PASV not understood\r\n"));
            try (FtpSession s = FtpSession.open(server.site(SHORT), dialogue)) {
                List<RemoteEntry> list = s.list("/");
                assertEquals(List.of("a.txt", "sub"), list.stream().map(RemoteEntry::name).toList());
                assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), read(s, "/a.txt"));
                assertEquals(List.of("a.txt", "sub"), s.list("/").stream().map(RemoteEntry::name).toList());
            }
            assertEquals(1, server.count("PASV"), "remembered per session: " + server.commands);
            assertEquals(3, server.count("EPSV"), server.commands.toString());
        }
    }

    @Test
    void aServerThatRefusesEpsvButKnowsPasvGetsItsListingAndFile() throws Exception {
        try (ScriptedFtpServer server = listingServer()) {
            server.on("EPSV", (c, a) -> c.send("502 EPSV not implemented\r\n"));
            Site site = server.site(SHORT).toBuilder().dataConnectionMode(DataConnectionMode.EPSV_EPRT).build();
            try (FtpSession s = FtpSession.open(site, dialogue)) {
                assertEquals(List.of("a.txt", "sub"), s.list("/").stream().map(RemoteEntry::name).toList());
                assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), read(s, "/a.txt"));
                assertEquals(List.of("a.txt", "sub"), s.list("/").stream().map(RemoteEntry::name).toList());
            }
            assertEquals(1, server.count("EPSV"), "remembered per session: " + server.commands);
            assertEquals(3, server.count("PASV"), server.commands.toString());
        }
    }

    @Test
    void aServerThatRefusesBothSaysSoInOneLine() throws Exception {
        try (ScriptedFtpServer server = listingServer()) {
            server.on("PASV", (c, a) -> c.send("500 no PASV\r\n")).on("EPSV", (c, a) -> c.send("500 no EPSV\r\n"));
            try (FtpSession s = FtpSession.open(server.site(SHORT), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(3), () -> s.list("/"));
                assertTrue(e.getMessage().contains("refused passive mode (PASV and EPSV) for LIST /"), e.getMessage());
                assertTrue(s.isConnected());
            }
        }
    }

    private static byte[] read(FtpSession s, String path) throws Exception {
        byte[] b;
        try (InputStream in = s.retrieve(path, 0)) {
            b = in.readAllBytes();
        }
        s.finishTransfer();
        return b;
    }

    // ---- stalls ---------------------------------------------------------------------------------

    @Test
    void aDownloadThatStallsHalfWayEndsWithinTheDataTimeout() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("RETR", (c, a) -> {
                c.send("150 here it comes\r\n");
                Socket d = c.acceptData();
                d.getOutputStream().write(repeat('d', 100_000)); // half of it, then nothing on either connection
                d.getOutputStream().flush();
                c.silence(Duration.ofSeconds(30));
            });
            // the reply timeout is long: the data timeout alone must end it
            try (FtpSession s = FtpSession.open(server.site(SHORT, Duration.ofSeconds(20), SHORT), dialogue)) {
                InputStream in = s.retrieve("/big.iso", 0);
                byte[] buf = new byte[8192];
                long[] got = {0};
                FtpException e = failsWithin(Duration.ofSeconds(4), () -> {
                    for (int n; (n = in.read(buf)) >= 0;) {
                        got[0] += n;
                    }
                });
                assertEquals(100_000, got[0]);
                assertTrue(e instanceof DataStallException, e.toString());
                assertTrue(e.getMessage().contains("stalled during RETR /big.iso: nothing arrived for 1 s"),
                        e.getMessage());
                in.close();
                failsWithin(Duration.ofMillis(500), s::finishTransfer); // no wait for a reply that never comes
                assertFalse(s.isConnected());
            }
        }
    }

    @Test
    void anUploadTheServerStopsReadingEndsWithinTheDataTimeout() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("STOR", (c, a) -> {
                c.send("150 send it\r\n");
                Socket d = c.acceptData();
                d.getInputStream().readNBytes(10_000); // then reads nothing more, says nothing
                c.silence(Duration.ofSeconds(30));
            });
            try (FtpSession s = FtpSession.open(server.site(SHORT, Duration.ofSeconds(20), SHORT), dialogue)) {
                OutputStream out = s.store("/up.bin", false);
                byte[] chunk = new byte[64 * 1024];
                FtpException e = failsWithin(Duration.ofSeconds(5), () -> {
                    while (true) {
                        out.write(chunk); // blocks once the socket buffers are full
                    }
                });
                assertTrue(e instanceof DataStallException, e.toString());
                assertTrue(e.getMessage().contains("stalled during STOR /up.bin: nothing could be sent for 1 s"),
                        e.getMessage());
                failsWithin(Duration.ofMillis(500), s::finishTransfer);
            }
        }
    }

    @Test
    void aListingThatStallsHalfWayEndsWithinTheDataTimeout() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("LIST", (c, a) -> {
                c.send("150 listing\r\n");
                Socket d = c.acceptData();
                d.getOutputStream().write("-rw-r--r--   1 ftp ftp   5 Jan 01 12:00 a.txt\r\n-rw-r--r--   1 f"
                        .getBytes(StandardCharsets.US_ASCII));
                c.silence(Duration.ofSeconds(30));
            });
            try (FtpSession s = FtpSession.open(server.site(SHORT, Duration.ofSeconds(20), SHORT), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(4), () -> s.list("/"));
                assertTrue(e.getMessage().contains("stalled during the listing of /"), e.getMessage());
                assertFalse(s.isConnected());
            }
        }
    }

    @Test
    void aListingLineWithoutEndIsCutOff() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("LIST", (c, a) -> {
                c.send("150 listing\r\n");
                Socket d = c.acceptData();
                try {
                    while (true) {
                        d.getOutputStream().write(repeat('n', 64 * 1024));
                    }
                } catch (java.io.IOException cut) {
                    c.silence(Duration.ofSeconds(5));
                }
            });
            try (FtpSession s = FtpSession.open(server.site(Duration.ofSeconds(5)), dialogue)) {
                FtpException e = failsWithin(Duration.ofSeconds(4), () -> s.list("/"));
                assertTrue(e.getMessage().contains("listing line longer than " + ControlGuard.MAX_LINE),
                        e.getMessage());
                assertTrue(limit(e).charsRead() <= ControlGuard.MAX_LINE + 8192, "read " + limit(e).charsRead());
            }
        }
    }

    // ---- names that are terminal escape sequences ---------------------------------------------

    @Test
    void namesWithEscapeSequencesArriveIntactAndPrintHarmlessly() throws Exception {
        String osc = "\u001b]0;owned\u0007title.txt";
        String csi = "clear\u001b[2J\u001b[H.txt";
        String bidi = "invoice\u202efdp.exe";
        String listing = "-rw-r--r--   1 ftp ftp   5 Jan 01 12:00 " + osc + "\r\n"
                + "-rw-r--r--   1 ftp ftp   5 Jan 01 12:00 " + csi + "\r\n"
                + "-rw-r--r--   1 ftp ftp   5 Jan 01 12:00 " + bidi + "\r\n";
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            server.on("LIST", (c, a) -> c.transfer(listing.getBytes(StandardCharsets.UTF_8)));
            try (FtpSession s = FtpSession.open(server.site(SHORT), dialogue)) {
                List<String> names = s.list("/").stream().map(RemoteEntry::name).toList();
                assertEquals(List.of(osc, csi, bidi), names, "names are data: kept exactly, for the next command");
                List<String> shown = names.stream().map(ServerText::printable).toList();
                assertEquals(List.of("\\e]0;owned\\atitle.txt", "clear\\e[2J\\e[H.txt", "invoice\\u{202E}fdp.exe"),
                        shown);
                shown.forEach(HostileServerTest::assertOneCleanLine);
            }
        }
    }
}
