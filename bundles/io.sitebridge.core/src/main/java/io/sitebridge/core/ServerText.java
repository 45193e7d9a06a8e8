package io.sitebridge.core;

/**
 * The one place that makes text from a server harmless before a person sees it. Everything a
 * server sends (file names, replies, greetings, error text) is hostile: it may carry terminal
 * escape sequences (ESC, OSC, BEL), line breaks that forge extra output lines, or Unicode
 * bidirectional overrides that make {@code gpj.exe} look like {@code exe.jpg}.
 *
 * <ul>
 * <li>{@link #printable(String)} keeps everything but shows each dangerous character as a
 * visible escape: for names and server text printed to a terminal, a console, a label, a table
 * or a dialog.</li>
 * <li>{@link #oneLine(String)} makes one short line with the dangerous characters removed: for
 * error messages and other one-line reasons.</li>
 * </ul>
 */
public final class ServerText {
    /** The longest line {@link #oneLine(String)} returns, ellipsis included. */
    public static final int MAX_LINE = 200;
    /** The longest server part {@link #quote(String)} keeps, ellipsis included (quotes excluded). */
    public static final int MAX_QUOTED = 120;
    private static final char ELLIPSIS = '\u2026';
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ServerText() {
    }

    /**
     * Shows every character that a terminal or a text widget would act on instead of
     * displaying, as a visible escape; everything else is kept as it is.
     *
     * <p>Guarantees: the result contains no C0 control character (U+0000–U+001F, so no ESC,
     * BEL, CR, LF or TAB either), no DEL (U+007F), no C1 control character (U+0080–U+009F,
     * which includes the 8-bit CSI and OSC) and no bidirectional embedding, override or
     * isolate (U+202A–U+202E, U+2066–U+2069). They appear as {@code \e} (ESC), {@code \a}
     * (BEL), {@code \xNN} (every other control character, two lower-case hex digits) and
     * <code>&#92;u{NNNN}</code> (the bidirectional controls). The result is for people to read, not to
     * parse back: a backslash the server sent is shown as it is. Call it once per line when
     * the text has several lines; a line break is escaped like any other control character.
     *
     * @param text server text, or null
     * @return the text safe to print, or null for null
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the common case: nothing to do, no copy
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        b.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                b.append(c);
            } else if (c == '\u001b') {
                b.append("\\e");
            } else if (c == '\u0007') {
                b.append("\\a");
            } else if (c < 0x100) {
                b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                b.append("\\u{").append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)).append('}');
            }
        }
        return b.toString();
    }

    /**
     * Makes one line of at most {@link #MAX_LINE} characters: line breaks and tabs become
     * spaces, every other control character and bidirectional control (as listed at
     * {@link #printable(String)}) is removed, each run of white space becomes one space, and
     * text that is too long is cut and ends with an ellipsis (…). A surrogate pair is never
     * cut in half.
     *
     * @param text any text, or null
     * @return the line, or null for null
     */
    public static String oneLine(String text) {
        return shorten(text, MAX_LINE);
    }

    /**
     * As {@link #oneLine(String)}, cut at {@code max} characters (ellipsis included) instead of
     * {@link #MAX_LINE}.
     */
    public static String oneLine(String text, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        return shorten(text, max);
    }

    /**
     * The server's part of a message, quoted and shortened: {@code "550 No such file"}, at most
     * {@link #MAX_QUOTED} characters between the quotes, made safe as by {@link #oneLine(String)}.
     */
    public static String quote(String serverText) {
        return quote(serverText, MAX_QUOTED);
    }

    /** As {@link #quote(String)}, at most {@code max} characters between the quotes (where several replies share one line). */
    public static String quote(String serverText, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1");
        }
        String s = shorten(serverText == null ? "" : serverText, max);
        return '"' + s + '"';
    }

    private static String shorten(String text, int max) {
        if (text == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
        boolean space = true; // drops leading spaces and repeated spaces
        boolean cut = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
                if (!space) {
                    if (b.length() >= max) {
                        cut = true;
                        break;
                    }
                    b.append(' ');
                    space = true;
                }
                continue;
            }
            if (needsEscape(c)) {
                continue;
            }
            if (b.length() >= max) {
                cut = true;
                break;
            }
            b.append(c);
            space = false;
        }
        int end = b.length();
        while (end > 0 && b.charAt(end - 1) == ' ') {
            end--;
        }
        b.setLength(end);
        if (cut) {
            if (b.length() >= max) {
                b.setLength(max - 1);
            }
            if (b.length() > 0 && Character.isHighSurrogate(b.charAt(b.length() - 1))) {
                b.setLength(b.length() - 1);
            }
            b.append(ELLIPSIS);
        }
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
