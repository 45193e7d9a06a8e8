package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;

/**
 * The command-line daemon against real servers: commands run in it with the client's working
 * folder, output, prompts and exit code; the client's Ctrl-C (SIGTERM) and its death stop the
 * command there, and the same command goes on later; a busy daemon or one of another build leaves
 * the command to the client. The first test starts the daemon as a user does, from a client JVM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliDaemonTest {
    static Path dir;
    static RealPeer vs;
    static RealPeer pro;
    static int treeFiles;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-daemon");
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.26", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.27", dir.resolve("pro"), PeerConfig.FXP);
        treeFiles = Trees.smallTree(vs.root().resolve("tree"), 4, 2, 15, 7);
        Trees.smallTree(vs.root().resolve("many"), 10, 2, 40, 8);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vs, pro);
        Trees.deleteAll(dir);
    }

    record Run(int exit, String out, String err) { }

    /** A client JVM as the start script runs it (SITEBRIDGE_DAEMON=1), working in {@code cwd}. */
    private static ProcessBuilder client(Path home, Path cwd, Path out, Path err, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CliDaemonClient.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("SITEBRIDGE_HOME", home.toString());
        pb.environment().put("SITEBRIDGE_PASSWORD", vs.password());
        pb.environment().remove("TZ");
        return pb;
    }

    private static Run runClient(Path home, Path cwd, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = client(home, cwd, out, err, args).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the client did not end: " + List.of(args));
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static long daemonPid(String status) {
        Matcher m = Pattern.compile("^running: pid (\\d+), .* (\\d+) commands, ").matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }

    private static long commands(String status) {
        Matcher m = Pattern.compile(", (\\d+) commands, ").matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }

    private static long countFiles(Path root) throws Exception {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void commandsRunInTheDaemonWithTheClientsFolderOutputAndExitCode() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home1"));
        Path cwd = Files.createDirectories(dir.resolve("work1"));
        assertEquals("not running (" + home.resolve("daemon/socket") + ")",
                runClient(home, cwd, "daemon", "status").out.strip());

        // The first command starts the daemon. --state is relative: the client's folder, not the daemon's.
        Run copy = runClient(home, cwd, "copy", "-r", "-v", "--state", "q", vs.url("/tree"), pro.url("/tree"));
        assertEquals(0, copy.exit, copy.out + copy.err);
        Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("tree"));
        assertTrue(copy.out.contains("copied: " + treeFiles + " files done"), copy.out);
        assertTrue(copy.err.contains("] > STOR /tree/"), "the dialogue (-v) on standard error: " + copy.err);
        assertTrue(Files.isDirectory(cwd.resolve("q/queue")), "--state q is the client's folder's q");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("daemon"))));

        String status = runClient(home, cwd, "daemon", "status").out;
        long pid = daemonPid(status);
        assertEquals(1, commands(status), status);
        assertTrue(ProcessHandle.of(pid).isPresent(), "the daemon lives on after its client: " + status);

        // A listing, and a failure: the same output and exit code as without the daemon.
        Run ls = runClient(home, cwd, "ls", vs.url("/"));
        assertEquals(0, ls.exit, ls.err);
        assertTrue(ls.out.lines().anyMatch(l -> l.endsWith(" tree")), ls.out);
        Run refused = runClient(home, cwd, "ls", "ftp://nobody@127.0.0.1:1/");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int inProcess = new Cli(new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), Map.of("SITEBRIDGE_HOME", home.toString(),
                        "SITEBRIDGE_PASSWORD", "x"), () -> null).execute("ls", "ftp://nobody@127.0.0.1:1/");
        assertEquals(ExitCode.CONNECT.code, refused.exit, refused.err);
        assertEquals(inProcess, refused.exit);
        assertEquals(e.toString(StandardCharsets.UTF_8), refused.err);
        assertEquals("", refused.out);

        status = runClient(home, cwd, "daemon", "status").out;
        assertEquals(pid, daemonPid(status), "the same daemon: " + status);
        assertEquals(3, commands(status), status);

        assertTrue(runClient(home, cwd, "daemon", "stop").out.startsWith("stopping the daemon (pid " + pid + ")"));
        ProcessHandle daemon = ProcessHandle.of(pid).orElse(null);
        if (daemon != null) {
            daemon.onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(home.resolve("daemon/socket")), "its socket is removed");
        assertTrue(runClient(home, cwd, "daemon", "status").out.startsWith("not running"));
    }

    @Test
    void theClientsCtrlCOrDeathStopsTheCommandInTheDaemonWhichGoesOnNextTime() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home2"));
        Path cwd = Files.createDirectories(dir.resolve("work2"));
        Path dst = pro.root().resolve("many");
        int total = (int) countFiles(vs.root().resolve("many"));
        String[] copy = { "copy", "-r", "--parallel", "1", vs.url("/many"), pro.url("/many") };
        long pid = 0;
        try {
            long before = 0;
            for (String how : List.of("SIGTERM", "SIGKILL")) {
                Path out = dir.resolve(how + ".out");
                Process p = client(home, cwd, out, dir.resolve(how + ".err"), copy).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (countFiles(dst) < before + 20 && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertTrue(p.isAlive(), how + ": the copy ended before it was stopped: " + Files.readString(out));
                long stopped = System.nanoTime();
                if (how.equals("SIGTERM")) {
                    p.destroy();
                } else {
                    p.destroyForcibly();
                }
                assertTrue(p.waitFor(15, TimeUnit.SECONDS), how + ": the client did not end");
                long tookMs = (System.nanoTime() - stopped) / 1_000_000;
                assertEquals(how.equals("SIGTERM") ? 143 : 137, p.exitValue(), how);
                // The daemon is free again: the command saw its client stop and ended.
                String status = "";
                for (int i = 0; i < 200 && !(status = runClient(home, cwd, "daemon", "status").out).contains("idle"); i++) {
                    Thread.sleep(50);
                }
                assertTrue(status.contains(", idle, "), how + ": " + status);
                if (pid == 0) {
                    pid = daemonPid(status);
                }
                assertEquals(pid, daemonPid(status), "the same daemon");
                before = countFiles(dst);
                assertTrue(before < total, how + ": stopped before the end (" + before + " of " + total + ")");
                System.out.printf("DAEMON: %s to the client after %d files: client gone in %d ms%n", how, before,
                        tookMs);
            }
            Run rest = runClient(home, cwd, copy);
            assertEquals(0, rest.exit, rest.out + rest.err);
            assertTrue(rest.out.startsWith("continuing an interrupted run: "), rest.out);
            Trees.assertSameTree(vs.root().resolve("many"), dst);
            assertEquals(3, commands(runClient(home, cwd, "daemon", "status").out));
        } finally {
            runClient(home, cwd, "daemon", "stop");
        }
    }

    /** A daemon in this JVM, on a socket of {@code home}, of this JVM's build. */
    private static final class InProcessDaemon implements AutoCloseable {
        final CliDaemon daemon;
        final Thread serving;

        InProcessDaemon(Path home) throws Exception {
            Map<String, String> env = Map.of("SITEBRIDGE_HOME", home.toString());
            daemon = CliDaemon.bind(DaemonWire.socket(env), DaemonWire.identity(env), Duration.ofMinutes(5));
            serving = new Thread(() -> {
                try {
                    daemon.serve();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-daemon");
            serving.start();
        }

        @Override
        public void close() throws Exception {
            daemon.end();
            serving.join(20_000);
        }
    }

    /** This test's terminal: it answers prompts with {@code password} and records them. */
    private static Caller terminal(Path cwd, String password, List<String> prompts) {
        return new Caller() {
            @Override
            public Path workingFolder() {
                return cwd;
            }

            @Override
            public boolean outputIsTerminal() {
                return false;
            }

            @Override
            public boolean canAsk() {
                return true;
            }

            @Override
            public char[] readPassword(String prompt) {
                prompts.add(prompt);
                return password == null ? null : password.toCharArray();
            }

            @Override
            public Registration onStop(Runnable stop) {
                return () -> { };
            }
        };
    }

    private static Run runHere(Map<String, String> env, Caller terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CliDaemonClient(env, out, err, terminal).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPasswordIsAskedOnTheClientsTerminal() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home3"));
        Map<String, String> env = Map.of("SITEBRIDGE_HOME", home.toString());
        try (InProcessDaemon d = new InProcessDaemon(home)) {
            List<String> prompts = new CopyOnWriteArrayList<>();
            Run ls = runHere(env, terminal(dir, vs.password(), prompts), "ls", vs.url("/"));
            assertEquals(0, ls.exit, ls.err);
            assertTrue(ls.out.lines().anyMatch(l -> l.endsWith(" tree")), ls.out);
            assertEquals(List.of("Password for " + vs.user() + "@127.0.0.26:" + vs.port() + ": "), prompts);

            Run wrong = runHere(env, terminal(dir, "not-" + vs.password(), prompts), "ls", vs.url("/"));
            assertEquals(ExitCode.CONNECT.code, wrong.exit, wrong.out + wrong.err);
            Run none = runHere(env, terminal(dir, null, prompts), "ls", vs.url("/"));
            assertEquals(ExitCode.USAGE.code, none.exit, none.out + none.err);
            assertTrue(none.err.contains("no password for "), none.err);
            assertEquals(3, prompts.size());
            assertEquals(3, commands(runHere(env, terminal(dir, null, prompts), "daemon", "status").out),
                    "all three ran in the daemon");
        }
    }

    /** Sends the client's Ctrl-C and reads until the command's exit code, which must come within 5 s. */
    private static int stopAndWait(DaemonWire wire) throws Exception {
        long stopped = System.nanoTime();
        wire.send(DaemonWire.STOP, new byte[0]);
        DaemonWire.Frame f = wire.read();
        while (f.type() != DaemonWire.EXIT) {
            f = wire.read();
        }
        long tookMs = (System.nanoTime() - stopped) / 1_000_000;
        assertTrue(tookMs < 5_000, "the stop took " + tookMs + " ms");
        return java.nio.ByteBuffer.wrap(f.body()).getInt();
    }

    @Test
    void aBusyDaemonOrOneOfAnotherBuildLeavesTheCommandToItsClient() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home4"));
        Map<String, String> env = new HashMap<>(Map.of("SITEBRIDGE_HOME", home.toString(), "SITEBRIDGE_PASSWORD",
                vs.password()));
        List<String> prompts = new CopyOnWriteArrayList<>();
        // A destination that accepts and never greets: the copy waits on its login until it is stopped.
        try (InProcessDaemon d = new InProcessDaemon(home);
                ServerSocket mute = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.28"));
                SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            acceptor.start();
            raw.connect(UnixDomainSocketAddress.of(DaemonWire.socket(env)));
            DaemonWire wire = new DaemonWire(raw);
            wire.send(DaemonWire.RUN, new DaemonWire.Command(DaemonWire.identity(env), dir.toString(), false, false,
                    "UTF-8", List.of("copy", vs.url("/tree/dir0/sub0/file-0.bin"), "ftp://x@127.0.0.28:" + mute.getLocalPort()
                            + "/file-0"), env).encode());
            assertEquals(DaemonWire.ACCEPTED, wire.read().type());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepted.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(accepted.isEmpty(), "the copy connects to the mute server");

            // Busy: this listing runs in the client, and works.
            Run ls = runHere(env, terminal(dir, null, prompts), "ls", vs.url("/"));
            assertEquals(0, ls.exit, ls.err);
            assertTrue(ls.out.lines().anyMatch(l -> l.endsWith(" tree")), ls.out);
            String status = runHere(env, terminal(dir, null, prompts), "daemon", "status").out;
            assertTrue(status.contains(", 1 commands, running one now, "), status);

            // The client's Ctrl-C: the command ends, cancelled, and the daemon is free again.
            assertEquals(ExitCode.CANCELLED.code, stopAndWait(wire));
            assertTrue(runHere(env, terminal(dir, null, prompts), "daemon", "status").out.contains(", idle, "));

            // A listing stopped while it waits for a greeting ends too, not when its connect timeout (15 s) runs out.
            try (SocketChannel raw2 = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                raw2.connect(UnixDomainSocketAddress.of(DaemonWire.socket(env)));
                DaemonWire wire2 = new DaemonWire(raw2);
                int before = accepted.size();
                wire2.send(DaemonWire.RUN, new DaemonWire.Command(DaemonWire.identity(env), dir.toString(), false,
                        false, "UTF-8", List.of("ls", "ftp://x@127.0.0.28:" + mute.getLocalPort() + "/"), env).encode());
                assertEquals(DaemonWire.ACCEPTED, wire2.read().type());
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (accepted.size() == before && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertTrue(accepted.size() > before, "the listing connects to the mute server");
                assertNotEquals(0, stopAndWait(wire2));
            }
            mute.close();
            acceptor.join(5000);
            for (Socket s : accepted) {
                s.close();
            }

            // Another build (here: another time zone, in which listings' dates would be read): the client
            // runs the command itself, and that daemon ends.
            env.put("TZ", "Pacific/Chatham");
            Run other = runHere(env, terminal(dir, null, prompts), "ls", vs.url("/"));
            assertEquals(0, other.exit, other.err);
            assertTrue(other.out.lines().anyMatch(l -> l.endsWith(" tree")), other.out);
            d.serving.join(10_000);
            assertFalse(d.serving.isAlive(), "the daemon of the other build ended");
            assertFalse(Files.exists(DaemonWire.socket(env)));
            assertNotEquals(DaemonWire.identity(env), DaemonWire.identity(Map.of()));
        }
    }
}
