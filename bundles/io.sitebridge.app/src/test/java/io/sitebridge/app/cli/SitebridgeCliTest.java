package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * The command line against real servers: copies (a file is a queue of one), listings, passwords
 * and exit codes.
 */
class SitebridgeCliTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpd;
    static RealPeer proftpd;
    static RealPeer pureStock;
    static RealPeer proftpdStock;
    static RealPeer vsftpdPassiveOnly;
    static RealPeer vsftpdTls;
    static RealPeer pureTls;

    @BeforeAll
    static void start() throws Exception {
        vsftpd = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs"), PeerConfig.FXP);
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP);
        pureStock = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.STOCK);
        proftpdStock = RealPeers.start(PeerKind.PROFTPD, "127.0.0.6", tmp.resolve("pro-stock"), PeerConfig.STOCK);
        vsftpdPassiveOnly = RealPeers.start(PeerKind.VSFTPD, "127.0.0.5", tmp.resolve("vs-po"),
                new PeerConfig(PeerConfig.Fxp.PASSIVE_ONLY, false));
        vsftpdTls = RealPeers.start(PeerKind.VSFTPD, "127.0.0.7", tmp.resolve("vs-tls"), PeerConfig.FXP_TLS);
        pureTls = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.8", tmp.resolve("pure-tls"), PeerConfig.FXP_TLS);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpd, proftpd, pureStock, proftpdStock, vsftpdPassiveOnly, vsftpdTls,
                pureTls);
    }

    record Run(int exit, String out, String err) { }

    /** Runs in-process; the state folder is this test's unless the environment names one. */
    static Run run(Map<String, String> environment, String... args) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent("SITEBRIDGE_HOME", tmp.resolve("state").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, () -> null).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Map<String, String> pw() {
        Map<String, String> env = new HashMap<>();
        env.put("SITEBRIDGE_PASSWORD", vsftpd.password());
        return env;
    }

    @Test
    void copiesBetweenTwoRealServersAndShowsBothDialogues() throws Exception {
        byte[] data = TestFiles.create(vsftpd.root().resolve("cli.bin"), 800_000, 11);
        Run r = run(pw(), "copy", "--verify", "-v", vsftpd.url("/cli.bin"), proftpd.url("/"));
        assertEquals(0, r.exit, r.err);
        assertArrayEquals(data, Files.readAllBytes(proftpd.root().resolve("cli.bin")));
        assertTrue(r.out.contains("800000 bytes (FXP, ") && r.out.contains("checked by SIZE"), r.out);
        assertEquals(1, r.out.strip().lines().count(), r.out);
        assertTrue(r.err.contains("[" + vsftpd.user() + "@127.0.0.2:" + vsftpd.port() + "] > RETR /cli.bin"), r.err);
        assertTrue(r.err.contains("[" + proftpd.user() + "@127.0.0.3:" + proftpd.port() + "] > STOR /cli.bin"), r.err);
        assertTrue(r.err.contains("> PASS ******"), r.err);
        assertFalse(r.err.contains(vsftpd.password()), "password printed");
    }

    /**
     * The command logs in while it reads its queue from disk, and the copy uses those logins: a
     * file is one pair of sessions, a folder at --parallel 3 at most three pairs, never one more
     * (the third may still be logging in when twelve small files are done: the end cuts it off).
     */
    @Test
    void logsInOncePerPairItUses() throws Exception {
        byte[] one = TestFiles.create(vsftpd.root().resolve("login-count.bin"), 1000, 21);
        Run file = run(pw(), "copy", "-v", vsftpd.url("/login-count.bin"), proftpd.url("/login-count.bin"));
        assertEquals(0, file.exit, file.err);
        assertArrayEquals(one, Files.readAllBytes(proftpd.root().resolve("login-count.bin")));
        assertEquals(1, count(file.err, vsftpd, "> PASS "), file.err);
        assertEquals(1, count(file.err, proftpd, "> PASS "), file.err);
        assertEquals(1, count(file.err, vsftpd, "* connecting to "), file.err);
        assertEquals(1, count(file.err, proftpd, "* connecting to "), file.err);

        Path folder = Files.createDirectories(vsftpd.root().resolve("login-count"));
        for (int i = 0; i < 12; i++) {
            TestFiles.create(folder.resolve("f" + i + ".bin"), 2000 + i, 30 + i);
        }
        Run tree = run(pw(), "copy", "-r", "-v", "--parallel", "3", vsftpd.url("/login-count"),
                proftpd.url("/login-count"));
        assertEquals(0, tree.exit, tree.err);
        for (int i = 0; i < 12; i++) {
            assertArrayEquals(Files.readAllBytes(folder.resolve("f" + i + ".bin")),
                    Files.readAllBytes(proftpd.root().resolve("login-count/f" + i + ".bin")));
        }
        for (RealPeer peer : new RealPeer[] {vsftpd, proftpd}) {
            long logins = count(tree.err, peer, "> PASS ");
            assertTrue(logins >= 1 && logins <= 3, logins + " logins: " + tree.err);
            assertTrue(count(tree.err, peer, "* connecting to ") <= 3, tree.err);
        }
    }

    /** Dialogue lines of {@code peer} that begin with {@code what}. */
    private static long count(String dialogue, RealPeer peer, String what) {
        String tag = "[" + peer.user() + "@" + peer.address() + ":" + peer.port() + "] " + what;
        return dialogue.lines().filter(l -> l.startsWith(tag)).count();
    }

    @Test
    void listsAFolder() throws Exception {
        TestFiles.create(proftpd.root().resolve("listed.bin"), 1234, 12);
        Files.createDirectories(proftpd.root().resolve("sub"));
        Run r = run(pw(), "ls", proftpd.url("/"));
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("-") && l.contains(" 1234 ") && l.endsWith("listed.bin")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("d") && l.endsWith("sub")), r.out);

        TestFiles.create(vsftpd.root().resolve("vs-listed.bin"), 4321, 13); // vsftpd: LIST parsing, no MLSD
        Run v = run(pw(), "ls", vsftpd.url("/"));
        assertEquals(0, v.exit, v.err);
        assertTrue(v.out.lines().anyMatch(l -> l.startsWith("-rw-r--r--") && l.contains(" 4321 ")
                && l.endsWith("vs-listed.bin")), v.out);
    }

    @Test
    void exitCodesSayWhatWentWrong() throws Exception {
        // usage
        Run usage = run(pw(), "copy", vsftpd.url("/x"));
        assertEquals(ExitCode.USAGE.code, usage.exit);
        assertTrue(usage.err.startsWith("sitebridge: copy needs SRC and DST (each a URL or NAME:/path)"), usage.err);
        assertEquals(ExitCode.USAGE.code, run(pw(), "frobnicate").exit);
        assertEquals(ExitCode.USAGE.code, run(pw(), "copy", "--frobnicate", vsftpd.url("/x"), proftpd.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, run(pw(), "ls", "--parallel", "2", vsftpd.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, run(pw(), "copy", "--parallel", "0", vsftpd.url("/x"), proftpd.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, run(pw(), "copy", "--on-conflict", "ask", vsftpd.url("/x"),
                proftpd.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, run(pw(), "copy", "http://x/y", proftpd.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, run(pw()).exit);
        // no password anywhere and no terminal
        Run nopw = run(Map.of(), "ls", vsftpd.url("/"));
        assertEquals(ExitCode.USAGE.code, nopw.exit);
        assertTrue(nopw.err.contains("SITEBRIDGE_PASSWORD"), nopw.err);
        // wrong password: ls, and copy through the queue (either side)
        Run bad = run(Map.of("SITEBRIDGE_PASSWORD", "wrong"), "ls", vsftpd.url("/"));
        assertEquals(ExitCode.CONNECT.code, bad.exit, bad.err);
        assertEquals(1, bad.err.strip().lines().count(), bad.err);
        TestFiles.create(vsftpd.root().resolve("badpw.bin"), 1000, 18);
        Run badCopy = run(Map.of("SITEBRIDGE_SRC_PASSWORD", vsftpd.password(), "SITEBRIDGE_DST_PASSWORD", "wrong"),
                "copy", vsftpd.url("/badpw.bin"), proftpd.url("/badpw.bin"));
        assertEquals(ExitCode.CONNECT.code, badCopy.exit, badCopy.out + badCopy.err);
        assertTrue(badCopy.err.contains("login failed"), badCopy.err);
        assertEquals(1, badCopy.err.strip().lines().count(), badCopy.err);
        // missing source file
        Run missing = run(pw(), "copy", vsftpd.url("/does-not-exist.bin"), proftpd.url("/x.bin"));
        assertEquals(ExitCode.FAILED.code, missing.exit, missing.err);
        assertEquals(1, missing.err.strip().lines().count(), missing.err);
        // FXP refused and relaying forbidden: the diagnosis names the servers
        TestFiles.create(proftpdStock.root().resolve("stock.bin"), 100_000, 14);
        Run refused = run(pw(), "copy", "--no-relay", "--accept-timeout", "2", proftpdStock.url("/stock.bin"),
                pureStock.url("/stock.bin"));
        assertEquals(ExitCode.FXP_REFUSED.code, refused.exit, refused.err);
        // the error is one line of at most 200 characters after the program's name; the remedies
        // (both servers' FXP settings) follow on lines of their own, indented
        List<String> lines = refused.err.strip().lines().toList();
        assertTrue(lines.get(0).startsWith("sitebridge: copy failed: FXP refused: ")
                && lines.get(0).length() <= "sitebridge: ".length() + 200, refused.err);
        assertTrue(lines.subList(1, lines.size()).stream().allMatch(l -> l.startsWith("  ") && l.length() <= 202),
                refused.err);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  ") && l.contains("AllowForeignAddress"))
                && lines.stream().anyMatch(l -> l.startsWith("  ") && l.contains("-W")), refused.err);
        // the same with relaying allowed succeeds
        Run relayed = run(pw(), "copy", "--accept-timeout", "2", proftpdStock.url("/stock.bin"),
                pureStock.url("/stock2.bin"));
        assertEquals(0, relayed.exit, relayed.err);
        assertTrue(relayed.out.contains("(relay through this client"), relayed.out);
        // the same folder copied twice at once: the second finds the state folder in use
        Path home = tmp.resolve("busy-home");
        Files.createDirectories(home.resolve("queue"));
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(home.resolve("queue/lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                java.nio.channels.FileLock held = f.lock()) {
            Run busy = run(pw(), "copy", "--state", home.toString(), proftpdStock.url("/stock.bin"),
                    pureStock.url("/stock3.bin"));
            assertEquals(ExitCode.BUSY.code, busy.exit, busy.err);
            assertTrue(busy.err.contains("--state"), busy.err);
        }
        assertFalse(Files.exists(pureStock.root().resolve("stock3.bin")));
    }

    /**
     * Protected FXP needs a server that can be the TLS client (SSCN/CPSV): vsftpd and pure-ftpd
     * cannot, so without relaying the copy ends with its own exit code; allowing clear data
     * (--fxp-clear-data) lets it go by FXP.
     */
    @Test
    void protectedFxpImpossibleHasItsOwnExitCode() throws Exception {
        byte[] data = TestFiles.create(vsftpdTls.root().resolve("tls.bin"), 200_000, 19);
        Run impossible = run(pw(), "copy", "--insecure", "--no-relay", "--accept-timeout", "3",
                vsftpdTls.url("/tls.bin"), pureTls.url("/tls.bin"));
        assertEquals(ExitCode.TLS.code, impossible.exit, impossible.out + impossible.err);
        // the failure in one line, after --insecure's warning
        assertTrue(impossible.err.startsWith("sitebridge: WARNING: --insecure"), impossible.err);
        assertEquals(2, impossible.err.strip().lines().count(), impossible.err);
        assertFalse(Files.exists(pureTls.root().resolve("tls.bin")));
        Run clear = run(pw(), "copy", "--insecure", "--no-relay", "--fxp-clear-data", "--accept-timeout", "3",
                vsftpdTls.url("/tls.bin"), pureTls.url("/tls.bin"));
        assertEquals(0, clear.exit, clear.out + clear.err);
        assertTrue(clear.out.contains("(FXP, "), clear.out);
        assertArrayEquals(data, Files.readAllBytes(pureTls.root().resolve("tls.bin")));
    }

    /**
     * Names from a server are printed with their control characters made visible: a file named
     * with an escape sequence cannot recolour or rewrite the user's terminal.
     */
    @Test
    void controlCharactersInNamesAreShownNotSent() throws Exception {
        TestFiles.create(proftpd.root().resolve("evil\u001b[2Jname"), 10, 20);
        Run r = run(pw(), "ls", proftpd.url("/"));
        assertEquals(0, r.exit, r.err);
        assertFalse(r.out.contains("\u001b"), "an escape character reached the terminal: " + r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.endsWith("evil\\e[2Jname")), r.out);
    }

    @Test
    void perSitePasswordVariablesWin() throws Exception {
        TestFiles.create(vsftpd.root().resolve("env.bin"), 5000, 15);
        Map<String, String> env = new HashMap<>();
        env.put("SITEBRIDGE_PASSWORD", "wrong");
        env.put("SITEBRIDGE_SRC_PASSWORD", vsftpd.password());
        env.put("SITEBRIDGE_DST_PASSWORD", proftpd.password());
        Run r = run(env, "copy", vsftpd.url("/env.bin"), proftpd.url("/env-in.bin"));
        assertEquals(0, r.exit, r.err);
    }

    /**
     * What worked for a pair is kept in the state folder: the first run is refused (the source
     * listens first, and vsftpd, the destination, will not PORT to a foreign address) and reverses
     * the roles; the second run, a new CLI with the same {@code SITEBRIDGE_HOME}, starts with what
     * worked and sees no refusal.
     */
    @Test
    void theStrategyThatWorkedIsRememberedAcrossRuns() throws Exception {
        byte[] data = TestFiles.create(proftpd.root().resolve("remember.bin"), 300_000, 16);
        Map<String, String> env = pw();
        Path home = tmp.resolve("remember-home");
        env.put("SITEBRIDGE_HOME", home.toString());
        Run first = run(env, "copy", "-v", "--no-relay", proftpd.url("/remember.bin"),
                vsftpdPassiveOnly.url("/remember-1.bin"));
        assertEquals(0, first.exit, first.err);
        assertTrue(first.err.contains("FXP refused") && first.err.contains("port_promiscuous"), first.err);
        assertFalse(first.err.contains("trying first what worked last time"), first.err);
        String saved = Files.readString(home.resolve("strategies.txt"));
        assertTrue(saved.contains(proftpd.user() + "@127.0.0.3:" + proftpd.port() + " -> "
                + vsftpdPassiveOnly.user() + "@127.0.0.5:" + vsftpdPassiveOnly.port() + "\tFXP DESTINATION PASV"), saved);

        Run second = run(env, "copy", "-v", "--no-relay", proftpd.url("/remember.bin"),
                vsftpdPassiveOnly.url("/remember-2.bin"));
        assertEquals(0, second.exit, second.err);
        // the destination listens from the start: no refusal, no second try
        assertTrue(second.out.contains("(FXP, destination passive (PASV/PORT)"), second.out);
        assertFalse(second.err.contains("FXP refused"), second.err);
        assertFalse(second.err.contains("Illegal PORT"), second.err);
        assertArrayEquals(data, Files.readAllBytes(vsftpdPassiveOnly.root().resolve("remember-2.bin")));

        // Without SITEBRIDGE_HOME: ${XDG_DATA_HOME}/sitebridge, else ~/.local/share/sitebridge.
        assertEquals(Path.of("/x/data/sitebridge"),
                new CommandLineSites(System.err, Map.of("XDG_DATA_HOME", "/x/data"), () -> null).stateFolder());
        assertEquals(Path.of("/home/u/.local/share/sitebridge"),
                new CommandLineSites(System.err, Map.of("HOME", "/home/u"), () -> null).stateFolder());
    }

    /**
     * The password prompt on a real terminal: the CLI runs in its own JVM under {@code script}
     * (a pseudo-terminal), with no password in the environment; the test types it at the prompt.
     */
    @Test
    void asksForThePasswordOnATerminal() throws Exception {
        TestFiles.create(proftpd.root().resolve("prompted.bin"), 777, 17);
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        String cmd = String.join(" ", quote(javaCmd), "-cp", quote(System.getProperty("java.class.path")),
                Cli.class.getName(), "ls", quote(proftpd.url("/")));
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SITEBRIDGE_"));
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) >= 0;) {
                    synchronized (seen) {
                        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        seen.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // process ended
            }
        });
        reader.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        synchronized (seen) {
            while (seen.indexOf("Password for ") < 0 && System.nanoTime() < deadline) {
                seen.wait(200);
            }
        }
        assertTrue(seen.indexOf("Password for " + proftpd.user() + "@127.0.0.3:" + proftpd.port()) >= 0,
                seen::toString);
        p.getOutputStream().write((proftpd.password() + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), seen::toString);
        reader.join(5000);
        String out = seen.toString();
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("prompted.bin"), out);
        assertFalse(out.contains(proftpd.password()), "the password was echoed: " + out);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
