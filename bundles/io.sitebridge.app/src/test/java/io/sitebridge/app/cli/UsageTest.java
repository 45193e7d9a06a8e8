package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/** {@code --help}, {@code --version}, the usage errors, and the README's table of exit codes. */
class UsageTest {
    record Run(int exit, String out, String err) { }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), () -> null).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandOptionAndExitCode() {
        for (String spelling : new String[] {"--help", "help", "-h"}) {
            Run r = run(spelling);
            assertEquals(0, r.exit, r.err);
            assertEquals("", r.err);
            String help = r.out;
            assertTrue(help.startsWith("usage: sitebridge copy"), help);
            for (String command : new String[] {"sitebridge copy [OPTIONS] SRC DST",
                    "sitebridge copy -r [OPTIONS] SRC DST", "sitebridge ls [OPTIONS] WHERE",
                    "sitebridge diff [OPTIONS] SRC DST", "sitebridge mirror [OPTIONS] SRC DST", "sitebridge sites list",
                    "sitebridge sites add URL NAME", "sitebridge sites remove NAME", "sitebridge sites import FILE",
                    "sitebridge skip list [--site NAME]", "sitebridge skip add [--site NAME] GLOB",
                    "sitebridge skip remove [--site NAME] GLOB",
                    "NAME:/path", "sitebridge --help", "sitebridge --version"}) {
                assertTrue(help.contains(command), command + " missing from\n" + help);
            }
            for (Option o : Option.values()) {
                for (String name : o.names) {
                    assertTrue(help.lines().anyMatch(l -> l.startsWith("  ") && (l.contains(" " + name + " ")
                            || l.contains(" " + name + ","))), name + " missing from\n" + help);
                }
            }
            for (ExitCode c : ExitCode.values()) {
                assertTrue(help.lines().anyMatch(l -> l.strip().equals(c.code + "  " + c.meaning)),
                        c + " missing from\n" + help);
            }
            for (String env : new String[] {"SITEBRIDGE_SRC_PASSWORD", "SITEBRIDGE_DST_PASSWORD", "SITEBRIDGE_PASSWORD",
                    "ftps://", "ftpsi://", "--trust SHA256:FP", "trusted-certificates.txt"}) {
                assertTrue(help.contains(env), env);
            }
        }
    }

    /** Every option the parser takes is one of {@link Option} (so in the help), and no other is taken. */
    @Test
    void theParserTakesExactlyTheOptionsOfTheHelp() throws Exception {
        Set<String> seen = new HashSet<>();
        for (Option o : Option.values()) {
            for (String name : o.names) {
                assertTrue(seen.add(name), "two options named " + name);
                for (Command c : o.commands) {
                    String[] args = c == Command.LS ? (o.value == null ? new String[] {"ls", name, "ftp://a/"}
                            : new String[] {"ls", name, value(o), "ftp://a/"})
                            : o.value == null ? new String[] {c.names[0], name, "ftp://a/x", "ftp://b/"}
                            : new String[] {c.names[0], name, value(o), "ftp://a/x", "ftp://b/"};
                    if (c == Command.SKIP) {
                        args = new String[] {"skip", name, value(o), "list"};
                    }
                    if (o == Option.ALLOW_EMPTY_SOURCE) {
                        args = new String[] {c.names[0], name, "--delete", "ftp://a/x", "ftp://b/"};
                    }
                    Arguments a = Arguments.parse(args);
                    assertEquals(c, a.command());
                }
            }
        }
        for (String bad : new String[] {"--frobnicate", "-x", "--parallel=3"}) {
            Run r = run("copy", bad, "ftp://a/x", "ftp://b/");
            assertEquals(ExitCode.USAGE.code, r.exit);
            assertTrue(r.err.startsWith("sitebridge: unknown option: " + bad), r.err);
            assertTrue(r.err.contains("usage: sitebridge copy"), r.err);
        }
        assertEquals(ExitCode.USAGE.code, run("copy", "--no-relay", "--relay-only", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("copy", "--parallel").exit);
        assertEquals(ExitCode.USAGE.code, run("--version", "extra").exit);
        assertEquals(ExitCode.USAGE.code, run().exit);
        for (String[] bad : new String[][] {{"sites"}, {"sites", "frob"}, {"sites", "add", "ftp://h/"},
                {"sites", "remove"}, {"sites", "list", "x"}, {"sites", "import"}}) {
            Run r = run(bad);
            assertEquals(ExitCode.USAGE.code, r.exit, String.join(" ", bad));
            assertTrue(r.err.startsWith("sitebridge: sites") || r.err.startsWith("sitebridge: unknown sites"), r.err);
        }
        for (String[] bad : new String[][] {{"skip"}, {"skip", "frob"}, {"skip", "add"}, {"skip", "add", "[abc"},
                {"skip", "remove"}, {"skip", "list", "x"}, {"skip", "--site"}}) {
            Run r = run(bad);
            assertEquals(ExitCode.USAGE.code, r.exit, String.join(" ", bad));
        }
        assertEquals(ExitCode.USAGE.code, run("copy", "--site", "work", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("diff", "--compare", "bytes", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("diff", "--delete", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("mirror", "--allow-empty-source", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("mirror", "--manifest", "a/b", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("mirror", "--exclude", "[abc", "ftp://a/x", "ftp://b/").exit);
        assertEquals(ExitCode.USAGE.code, run("mirror", "ftp://a/x").exit);
        Arguments m = Arguments.parse("mirror", "--include", "*.html", "--exclude", "tmp/", "--exclude", "*.log",
                "ftp://a/x", "ftp://b/y", "--compare", "size");
        assertEquals(List.of("*.html"), m.includes());
        assertEquals(List.of("tmp/", "*.log"), m.excludes());
        assertEquals(io.sitebridge.transfer.compare.CompareMode.SIZE, m.compare());
    }

    private static String value(Option o) {
        return switch (o) {
            case PARALLEL -> "4";
            case ON_CONFLICT -> "skip";
            case STATE -> "/tmp/x";
            case ACCEPT_TIMEOUT -> "2.5";
            case TRUST -> "SHA256:" + "AB:".repeat(31) + "CD";
            case COMPARE -> "hash";
            case INCLUDE, EXCLUDE -> "*.html";
            case MANIFEST -> "SHA256SUMS";
            case SITE -> "work";
            default -> throw new AssertionError(o);
        };
    }

    /** The version is this bundle's Bundle-Version, its qualifier filled in by the build. */
    @Test
    void versionIsTheBundleVersion() throws Exception {
        for (String spelling : new String[] {"--version", "version"}) {
            Run r = run(spelling);
            assertEquals(0, r.exit, r.err);
            Manifest m;
            try (var in = Files.newInputStream(Path.of("META-INF/MANIFEST.MF"))) {
                m = new Manifest(in);
            }
            String declared = m.getMainAttributes().getValue("Bundle-Version"); // 0.1.0.qualifier
            String base = declared.substring(0, declared.lastIndexOf('.') + 1);
            assertTrue(r.out.matches("sitebridge " + base.replace(".", "\\.") + "[0-9A-Za-z_-]+ \\(Java "
                    + java.util.regex.Pattern.quote(Runtime.version() + ", " + System.getProperty("java.home"))
                    + "\\)\\R"), r.out);
            assertFalse(r.out.contains("qualifier"), r.out);
        }
    }

    /** The README's table of exit codes is this list, row for row. */
    @Test
    void theReadmeDocumentsEveryExitCode() throws Exception {
        String readme = Files.readString(Path.of("../../README.md"));
        for (ExitCode c : ExitCode.values()) {
            String row = "| " + c.code + " | " + c.meaning.replace("|", "\\|") + " |";
            assertTrue(readme.contains(row), "README.md lacks the row\n" + row);
        }
    }
}
