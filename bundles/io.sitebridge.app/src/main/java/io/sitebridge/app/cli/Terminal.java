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
        out.print(format(format, safe(args)));
    }

    /** As {@link #out}, to standard error. */
    void err(String format, Object... args) {
        err.print(format(format, safe(args)));
    }

    /**
     * {@code String.format(Locale.ROOT, format, args)}, the same text, written here for what the
     * command line's formats use ({@code %s %d %.Nf %n %%}): the JDK's formatter reads locale data
     * on its first number, about 15 ms of a fresh JVM (measured), and a command prints its numbers
     * at its end, after its last transfer. (BigDecimal is no way round: its first use costs as much.)
     * Any other format goes to the JDK's.
     */
    static String format(String format, Object... args) {
        StringBuilder sb = new StringBuilder(format.length() + 64);
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            int places = -1;
            int j = i + 1;
            if (j + 2 < format.length() && format.charAt(j) == '.' && Character.isDigit(format.charAt(j + 1))
                    && format.charAt(j + 2) == 'f') {
                places = format.charAt(j + 1) - '0';
                j += 2;
            }
            char conversion = j < format.length() ? format.charAt(j) : 0;
            Object arg = next < args.length ? args[next] : null;
            if (conversion == 'n' && places < 0) {
                sb.append(System.lineSeparator());
            } else if (conversion == '%' && places < 0) {
                sb.append('%');
            } else if (conversion == 's' && places < 0 && next < args.length
                    && !(arg instanceof java.util.Formattable)) {
                sb.append(arg);
                next++;
            } else if (conversion == 'd' && places < 0 && (arg instanceof Long || arg instanceof Integer
                    || arg instanceof Short || arg instanceof Byte)) {
                sb.append(((Number) arg).longValue());
                next++;
            } else if (conversion == 'f' && places >= 0 && (arg instanceof Double || arg instanceof Float)
                    && Double.isFinite(((Number) arg).doubleValue())
                    && Math.copySign(1.0, ((Number) arg).doubleValue()) > 0) { // -0.0 prints its sign
                fixed(sb, ((Number) arg).doubleValue(), places);
                next++;
            } else {
                return String.format(Locale.ROOT, format, args);
            }
            i = j;
        }
        return sb.toString();
    }

    /**
     * A finite, non-negative double with {@code places} decimals as the JDK's {@code %.Nf} writes it:
     * its shortest decimal (what {@link Double#toString(double)} gives) rounded half up.
     */
    static void fixed(StringBuilder sb, double v, int places) {
        String s = Double.toString(v); // "123.456", "1.0E20", "1.234E-5"
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        StringBuilder digits = new StringBuilder(mantissa.length() + places + 2)
                .append(mantissa, 0, dot).append(mantissa, dot + 1, mantissa.length());
        int whole = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1))); // digits before the point
        int kept = whole + places;
        if (kept < 0) {
            digits.setLength(0); // below half of the last place: zero
        } else {
            while (digits.length() <= kept) {
                digits.append('0');
            }
            boolean up = digits.charAt(kept) >= '5';
            digits.setLength(kept);
            for (int i = kept - 1; up && i >= 0; i--) {
                char c = digits.charAt(i);
                digits.setCharAt(i, c == '9' ? '0' : (char) (c + 1));
                up = c == '9';
            }
            if (up) {
                digits.insert(0, '1');
            }
        }
        while (digits.length() < places + 1) {
            digits.insert(0, '0');
        }
        int point = digits.length() - places;
        int first = 0;
        while (first < point - 1 && digits.charAt(first) == '0') {
            first++;
        }
        sb.append(digits, first, point);
        if (places > 0) {
            sb.append('.').append(digits, point, digits.length());
        }
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
        if (!details.isEmpty()) {
            to.print(appendDetails(new StringBuilder(), details));
        }
    }

    /** Appends the lines under a failure, as {@link #outDetails} prints them, to a block of output. */
    static StringBuilder appendDetails(StringBuilder sb, List<String> details) {
        for (String line : details) {
            String shown = shown(line);
            sb.append("  ").append(shown.length() > ServerText.MAX_LINE ? ServerText.oneLine(shown) : shown)
                    .append(System.lineSeparator());
        }
        return sb;
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
