package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Text from servers reaches the terminal with its control characters made visible; ours as it is. */
class TerminalTest {
    @Test
    void serverTextIsShownWithVisibleEscapes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        t.out("name: %s, size %d%n", "a\r\nb\tc\u001b[2J\u009b31m\u007fé", 12);
        t.error("550 nope\r\n226 forged line");
        StringBuilder sb = new StringBuilder("listed ");
        t.append(sb, "x\u0007y").append('\n');
        t.outBlock(sb);
        t.outOwn("\rprogress\n");
        assertEquals("name: a\\x0d\\x0ab\\x09c\\e[2J\\x9b31m\\x7fé, size 12\nlisted x\\ay\n\rprogress\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals("sitebridge: 550 nope\\x0d\\x0a226 forged line\n", err.toString(StandardCharsets.UTF_8));
    }

    /** The command line's own formatting gives what String.format(Locale.ROOT, ...) gives, for every format. */
    @Test
    void formatsAsTheJdkDoes() {
        java.util.Random r = new java.util.Random(42);
        java.util.List<Object> values = new java.util.ArrayList<>(java.util.List.of(0.0, 0.5, 1.5, 2.5, 0.125, 1.005,
                0.045, 2.675, 1e-7, 0.999999, 9.995, 99.95, 1e20, 123456789.987654, Double.MAX_VALUE, -0.0, -1.25,
                Double.NaN, Double.POSITIVE_INFINITY, 0.5f, 1.005f, 0.005, 5e-3, 0.0005, 0.95, 0.4999, 9.999,
                999.9999, 99999.5, Double.MIN_VALUE, 4.9e-3, 1e7, 1.2345e16));
        for (int i = 0; i < 20_000; i++) {
            values.add(r.nextDouble() * Math.pow(10, r.nextInt(32) - 11));
            values.add(Math.round(r.nextDouble() * 100_000) / 1000.0 + 0.0005); // near ties
        }
        int written = 0;
        for (Object v : values) {
            for (String f : new String[] {"%.0f", "%.1f", "%.2f", "%.3f", "in %.2f s (%.0f files/s)%n"}) {
                assertEquals(String.format(java.util.Locale.ROOT, f, v, v), Terminal.format(f, v, v), f + " " + v);
            }
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d) && Math.copySign(1.0, d) > 0) { // what Terminal writes itself
                for (int places = 0; places <= 3; places++) {
                    StringBuilder sb = new StringBuilder();
                    Terminal.fixed(sb, d, places);
                    assertEquals(String.format(java.util.Locale.ROOT, "%." + places + "f", v), sb.toString(), v + "");
                    written++;
                }
            }
        }
        assertTrue(written > 100_000, "written: " + written);
        for (Object v : new Object[] {0, -5, 17L, Long.MIN_VALUE, Integer.MAX_VALUE, (short) 3, (byte) -2}) {
            assertEquals(String.format(java.util.Locale.ROOT, "%d files, 100%% %s%n", v, "x"),
                    Terminal.format("%d files, 100%% %s%n", v, "x"));
        }
        assertEquals("a null b", Terminal.format("a %s b", (Object) null));
        // what it does not write itself goes to the JDK's formatter
        for (String f : new String[] {"%5d|", "%-4s|", "%x", "%,d", "%f", "%08.3f"}) {
            Object v = f.endsWith("f") ? (Object) 3.14159 : f.contains("s") ? (Object) "ab" : (Object) 1234567;
            assertEquals(String.format(java.util.Locale.ROOT, f, v), Terminal.format(f, v), f);
        }
        org.junit.jupiter.api.Assertions.assertThrows(java.util.MissingFormatArgumentException.class,
                () -> Terminal.format("%s and %s", "one"));
    }
}
