package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;

/**
 * Replies no real server sends, from the {@link ScriptedFtpServer}: garbage, a multi-line
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

    private static void misbehave(ScriptedFtpServer.Conn c, String kind, String code)
            throws IOException {
        c.send(bad(kind, code).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        if (kind.equals("closed")) {
            c.hangUp();
        } else {
            c.silence(Duration.ofSeconds(4)); // silent, connection open
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"garbage,greeting", "truncated,greeting", "closed,greeting", "binary,greeting",
            "garbage,PWD", "truncated,PWD", "closed,PWD", "binary,PWD"})
    void failsWithOneClearLineAndNeverHangs(String kind, String when) throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer()) {
            if (when.equals("greeting")) {
                server.greeting((c, a) -> misbehave(c, kind, "220"));
            } else {
                server.on("PWD", (c, a) -> misbehave(c, kind, "257"));
            }
            Site site = server.site(Duration.ofSeconds(1)).toBuilder().name("fake").build();
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
            HostileServerTest.assertOneCleanLine(m);
            assertTrue(millis < 3500, "took " + millis + " ms");
            switch (kind) {
                case "truncated" -> assertTrue(m.contains("in time"), m);
                case "closed" -> assertTrue(m.contains("closed the connection"), m);
                default -> assertTrue(m.contains("malformed"), m);
            }
        }
    }
}
