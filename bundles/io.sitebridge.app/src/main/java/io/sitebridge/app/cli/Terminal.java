package io.sitebridge.app.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import io.sitebridge.core.ServerText;

/**
 * Everything the command line prints goes through here. Text that came from a server (names,
 * replies, reasons and error messages that quote them) is only ever passed as an argument,
 * never as the format, and every such argument goes through {@link #shown(String)}: a server
 * must not be able to move the cursor, rewrite earlier lines or forge a line of its own on the
 * user's terminal.
 */
final class Terminal {
    private final PrintStream out;
    private final PrintStream err;

    Terminal(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** {@code format} is ours; every String or other CharSequence argument is shown safely. */
    void out(String format, Object... args) {
        out.print(String.format(Locale.ROOT, format, safe(args)));
    }

    /** As {@link #out}, to standard error. */
    void err(String format, Object... args) {
        err.print(String.format(Locale.ROOT, format, safe(args)));
    }

    /**
     * {@code sitebridge: MESSAGE} on standard error, the message shown safely and cut to
     * {@link ServerText#MAX_LINE} characters: an error is one line.
     */
    void error(String message) {
        String shown = shown(message == null ? "unknown error" : message);
        if (shown.length() > ServerText.MAX_LINE) {
            shown = ServerText.oneLine(shown); // escapes are visible text by now: this only cuts
        }
        err.print("sitebridge: " + shown + System.lineSeparator());
    }

    /** {@link #error(String)} and the lines under it (remedies, what was cleaned up), indented. */
    void error(String message, List<String> details) {
        error(message);
        details(err, details);
    }

    /** The lines under a failure printed to standard output (the per-file lines of a folder copy). */
    void outDetails(List<String> details) {
        details(out, details);
    }

    private static void details(PrintStream to, List<String> details) {
        for (String line : details) {
            String shown = shown(line);
            to.print("  " + (shown.length() > ServerText.MAX_LINE ? ServerText.oneLine(shown) : shown)
                    + System.lineSeparator());
        }
    }

    /** Our own text, verbatim (usage, progress lines built from numbers). */
    void outOwn(String text) {
        out.print(text);
    }

    /** As {@link #outOwn}, to standard error. */
    void errOwn(String text) {
        err.print(text);
    }

    /** Appends text that came from a server to a block of output being built (listings). */
    StringBuilder append(StringBuilder sb, String fromServer) {
        return sb.append(shown(fromServer));
    }

    /** Prints a block built with {@link #append(StringBuilder, String)} and our own text. */
    void outBlock(StringBuilder block) {
        out.append(block);
    }

    void flush() {
        out.flush();
        err.flush();
    }

    private static Object[] safe(Object[] args) {
        Object[] a = args.clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof CharSequence s) {
                a[i] = shown(s.toString());
            }
        }
        return a;
    }

    /**
     * The one place where the command line prints text from a server: control characters, escape
     * sequences and bidirectional overrides become visible escapes ({@link ServerText#printable}).
     */
    private static String shown(String s) {
        return s == null ? "" : ServerText.printable(s);
    }
}
