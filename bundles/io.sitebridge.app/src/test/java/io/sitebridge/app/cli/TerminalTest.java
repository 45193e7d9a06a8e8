package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
