package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Line ends as in the readers it replaces, and the bounds, also when a line spans many reads. */
class BoundedLineReaderTest {
    /** Hands out one character per read: every line end falls across a buffer boundary once. */
    private static Reader trickle(String s) {
        return new Reader() {
            int i;

            @Override
            public int read(char[] b, int off, int len) {
                if (i == s.length()) {
                    return -1;
                }
                b[off] = s.charAt(i++);
                return 1;
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<String> lines(BoundedLineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l; (l = r.readLine()) != null;) {
            out.add(l);
        }
        return out;
    }

    @Test
    void crLfOnlyLikeCommonsNetsControlReader() throws IOException {
        String text = "a\nb\r\nc\rd\r\n\r\nend";
        List<String> expected = List.of("a\nb", "c\rd", "", "end");
        assertEquals(expected, lines(new BoundedLineReader(new StringReader(text), 100, 1000, "reply", true)));
        assertEquals(expected, lines(new BoundedLineReader(trickle(text), 100, 1000, "reply", true)));
    }

    @Test
    void crLfOrEitherAloneLikeBufferedReader() throws IOException {
        String text = "a\nb\r\nc\rd\r\n\r\nend";
        List<String> expected = List.of("a", "b", "c", "d", "", "end");
        assertEquals(expected, lines(new BoundedLineReader(new StringReader(text), 100, 1000, "listing", false)));
        assertEquals(expected, lines(new BoundedLineReader(trickle(text), 100, 1000, "listing", false)));
    }

    @Test
    void aLineOfExactlyTheBoundPassesOneMoreFails() throws IOException {
        String ok = "x".repeat(100);
        assertEquals(List.of(ok), lines(new BoundedLineReader(trickle(ok + "\r\n"), 100, 1000, "reply", true)));
        ReplyLimitException e = assertThrows(ReplyLimitException.class,
                () -> lines(new BoundedLineReader(trickle(ok + "yz\r\n"), 100, 1000, "reply", true)));
        assertTrue(e.charsRead() <= 103, "read " + e.charsRead());
    }

    @Test
    void aReplyIsBoundedAsAWholeAndCountsFromItsStart() throws IOException {
        String line = "x".repeat(8) + "\r\n"; // 10 characters
        BoundedLineReader r = new BoundedLineReader(new StringReader(line.repeat(30)), 100, 100, "reply", true);
        r.startReply(0);
        for (int i = 0; i < 10; i++) {
            r.readLine();
        }
        assertThrows(ReplyLimitException.class, r::readLine);
        BoundedLineReader again = new BoundedLineReader(new StringReader(line.repeat(30)), 100, 100, "reply", true);
        for (int reply = 0; reply < 3; reply++) {
            again.startReply(0);
            for (int i = 0; i < 10; i++) {
                assertEquals("xxxxxxxx", again.readLine());
            }
        }
    }

    /** Hands out the bytes {@code step} at a time: multi-byte characters fall across reads. */
    private static java.io.InputStream trickleBytes(byte[] b, int step) {
        return new java.io.InputStream() {
            int i;

            @Override
            public int read() {
                return i == b.length ? -1 : b[i++] & 0xff;
            }

            @Override
            public int read(byte[] to, int off, int len) {
                if (i == b.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, step), b.length - i);
                System.arraycopy(b, i, to, off, n);
                i += n;
                return n;
            }
        };
    }

    /** On bytes it reads what an InputStreamReader in the same encoding would give, however they arrive. */
    @Test
    void decodesBytesAsAnInputStreamReaderWould() throws IOException {
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        raw.writeBytes("226 \u00e4\u00f6\u00fc \u65e5\u672c\ud83d\ude00 done\r\n".getBytes(utf8));
        raw.writeBytes(new byte[] {'2', '0', '0', ' ', (byte) 0xc3, (byte) 0x28, (byte) 0xff, 'x', '\r', '\n'}); // malformed
        raw.writeBytes("213 4096\r\nlast without end \u00e9".getBytes(utf8));
        raw.write(0xe6); // a character cut short by the end
        byte[] b = raw.toByteArray();
        for (boolean crlfOnly : new boolean[] {true, false}) {
            List<String> expected = lines(new BoundedLineReader(
                    new java.io.InputStreamReader(new java.io.ByteArrayInputStream(b), utf8), 100, 1000, "reply", crlfOnly));
            assertEquals(4, expected.size(), expected.toString());
            assertTrue(expected.get(1).contains("\ufffd"), expected.get(1));
            for (int step : new int[] {1, 2, 3, 5, 7, 8192}) {
                assertEquals(expected, lines(new BoundedLineReader(trickleBytes(b, step), utf8, 100, 1000, "reply",
                        crlfOnly)), "step " + step);
            }
            java.nio.charset.Charset latin1 = java.nio.charset.StandardCharsets.ISO_8859_1;
            assertEquals(lines(new BoundedLineReader(new java.io.InputStreamReader(new java.io.ByteArrayInputStream(b),
                    latin1), 100, 1000, "reply", crlfOnly)),
                    lines(new BoundedLineReader(trickleBytes(b, 3), latin1, 100, 1000, "reply", crlfOnly)));
        }
        // the bounds hold on bytes too
        String ok = "\u00e9".repeat(100);
        assertEquals(List.of(ok), lines(new BoundedLineReader(trickleBytes((ok + "\r\n").getBytes(utf8), 1), utf8, 100,
                1000, "reply", true)));
        assertThrows(ReplyLimitException.class, () -> lines(new BoundedLineReader(
                trickleBytes((ok + "yz\r\n").getBytes(utf8), 1), utf8, 100, 1000, "reply", true)));
        BoundedLineReader r = new BoundedLineReader(trickleBytes("x\r\n".getBytes(utf8), 1), utf8, 10, 100, "reply", true);
        assertEquals("x", r.readLine());
        assertEquals(null, r.readLine());
        assertEquals(null, r.readLine()); // and again, after the end
        assertEquals(-1, r.read());
    }
}
