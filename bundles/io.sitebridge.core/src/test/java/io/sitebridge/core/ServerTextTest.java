package io.sitebridge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerTextTest {
    @Test
    void printableShowsEveryControlCharacterVisibly() {
        assertEquals("\\e]0;title\\a", ServerText.printable("\u001b]0;title\u0007"));
        assertEquals("a\\x00b\\x0d\\x0a\\x09\\x7f\\x9b\\x85", ServerText.printable("a\u0000b\r\n\t\u007f\u009b\u0085"));
        assertEquals("x\\u{202E}y\\u{2066}\\u{2069}", ServerText.printable("x\u202ey\u2066\u2069"));
        assertEquals("back\\slash", ServerText.printable("back\\slash"));
        assertNull(ServerText.printable(null));
        String plain = "Grüße, 日本語 and 😀";
        assertSame(plain, ServerText.printable(plain), "nothing to escape: the same string");
    }

    @Test
    void printableLeavesNothingATerminalActsOn() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        String p = ServerText.printable(all.toString());
        p.chars().forEach(c -> assertTrue(!(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069)), "left " + c));
    }

    @Test
    void oneLineRemovesControlsAndShortensTo200() {
        assertEquals("a b c", ServerText.oneLine("a\r\nb\t\tc\u001b\u0007"));
        assertEquals("fdp.exe", ServerText.oneLine("\u202efdp.exe"));
        String s = ServerText.oneLine("x".repeat(1000));
        assertEquals(200, s.length());
        assertTrue(s.endsWith("\u2026"));
        assertEquals("y".repeat(200), ServerText.oneLine("y".repeat(200)));
        // a surrogate pair is never cut in half
        String emoji = ServerText.oneLine("a" + "😀".repeat(300));
        assertTrue(emoji.length() <= 200);
        assertTrue(!Character.isHighSurrogate(emoji.charAt(emoji.length() - 2)), emoji);
        assertNull(ServerText.oneLine(null));
        assertEquals("abcd\u2026", ServerText.oneLine("abcdefgh", 5));
        assertEquals(200, new io.sitebridge.core.session.FtpException("s", "w".repeat(900),
                (io.sitebridge.core.session.FtpReply) null).getMessage().length());
    }

    @Test
    void quoteKeepsTheServersPartShortAndQuoted() {
        assertEquals("\"550 No such file\"", ServerText.quote("550 No such file\r\n"));
        String q = ServerText.quote("z".repeat(500));
        assertEquals(ServerText.MAX_QUOTED + 2, q.length());
        assertTrue(q.endsWith("\u2026\""));
    }
}
