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
}
