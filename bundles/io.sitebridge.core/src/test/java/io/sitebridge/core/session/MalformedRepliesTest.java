package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;
import io.sitebridge.core.dialogue.ControlDialogue;

/**
 * Replies no real server sends, from a scripted fake (a ServerSocket): garbage, a multi-line
 * reply that never ends, a connection closed in the middle of a reply, at the greeting and
 * after login. Each ends quickly in one clear line naming the site, never in a hang.
 */
class MalformedRepliesTest {
    /** What the fake sends instead of a proper reply, at the greeting or to PWD. */
    private static String bad(String kind, String code) {
        return switch (kind) {
            case "garbage" -> "this is not an FTP reply\r\n";
            case "truncated" -> code + "-first line\r\n" + code + "-second line\r\n"; // then silence
            case "closed" -> code + "-first line\r\n"; // then the connection closes
            case "binary" -> "\u0000\u0001\u0002\u00ff\r\n";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Thread fake(ServerSocket server, String kind, boolean atGreeting) {
        Thread t = new Thread(() -> {
            try (Socket c = server.accept()) {
                OutputStream o = c.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                if (atGreeting) {
                    send(o, bad(kind, "220"));
                } else {
                    send(o, "220 fake ready\r\n");
                    for (String line; (line = in.readLine()) != null;) {
                        String verb = line.split(" ")[0].toUpperCase();
                        switch (verb) {
                            case "USER" -> send(o, "331 password please\r\n");
                            case "PASS" -> send(o, "230 logged in\r\n");
                            case "FEAT" -> send(o, "211-Features:\r\n SIZE\r\n211 End\r\n");
                            case "PWD" -> send(o, bad(kind, "257"));
                            default -> send(o, "200 ok\r\n");
                        }
                        if (verb.equals("PWD")) {
                            break;
                        }
                    }
                }
                if (!kind.equals("closed")) {
                    Thread.sleep(4000); // silent, connection open
                }
            } catch (IOException | InterruptedException ignored) {
                // the client went away
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void send(OutputStream o, String s) throws IOException {
        o.write(s.getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"garbage,greeting", "truncated,greeting", "closed,greeting", "binary,greeting",
            "garbage,PWD", "truncated,PWD", "closed,PWD", "binary,PWD"})
    void failsWithOneClearLineAndNeverHangs(String kind, String when) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = fake(server, kind, when.equals("greeting"));
            Site site = Site.builder("127.0.0.1").name("fake").port(server.getLocalPort()).user("u").password("p")
                    .timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))).build();
            long start = System.nanoTime();
            FtpException e = assertThrows(FtpException.class, () -> {
                try (FtpSession s = FtpSession.open(site, new ControlDialogue())) {
                    try {
                        s.pwd();
                    } finally {
                        assertFalse(s.isConnected(), "a session out of step must not be reused");
                    }
                }
            });
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String m = e.getMessage();
            System.out.println("MALFORMED " + kind + " at " + when + " (" + millis + " ms): " + m);
            assertTrue(m.startsWith("fake"), m);
            assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
            assertTrue(millis < 3500, "took " + millis + " ms");
            switch (kind) {
                case "truncated" -> assertTrue(m.contains("in time"), m);
                case "closed" -> assertTrue(m.contains("closed the connection"), m);
                default -> assertTrue(m.contains("malformed"), m);
            }
            t.interrupt();
        }
    }
}
