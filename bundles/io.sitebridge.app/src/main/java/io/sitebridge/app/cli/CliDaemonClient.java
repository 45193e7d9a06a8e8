package io.sitebridge.app.cli;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start script's way into the command-line daemon ({@link CliDaemon}): with
 * {@code SITEBRIDGE_DAEMON=1} it runs a command there (starting the daemon when none answers), and
 * runs it itself when the daemon is busy with another command, of another build, or cannot be
 * started; {@code sitebridge daemon start|status|stop} manages it. What a command prints, asks and
 * returns is the same either way; Ctrl-C (SIGINT, SIGTERM) stops the command in the daemon and
 * waits for its end, as it would in-process.
 */
public final class CliDaemonClient {
    /** How long a new daemon may take to listen. */
    private static final long START_MILLIS = 20_000;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final OutputStream rawOut;
    private final OutputStream rawErr;
    private final Caller here;

    private volatile DaemonWire running;
    private volatile boolean stopping;
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * @param here this process: its working folder and terminal, sent with a command, its prompts
     *             answered there; and for a command that runs here, all of it
     */
    CliDaemonClient(Map<String, String> env, OutputStream rawOut, OutputStream rawErr, Caller here) {
        this.env = env;
        this.rawOut = rawOut;
        this.rawErr = rawErr;
        this.out = new PrintStream(rawOut, true, StandardCharsets.UTF_8);
        this.err = new PrintStream(rawErr, true, StandardCharsets.UTF_8);
        this.here = here;
    }

    public static void main(String[] args) {
        CliDaemonClient client = new CliDaemonClient(System.getenv(), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), Caller.thisProcess(System::console));
        Runtime.getRuntime().addShutdownHook(new Thread(client::stop, "sitebridge-daemon-stop"));
        int code = client.run(args);
        if (!client.stopping) {
            System.exit(code);
        }
        // Ctrl-C: the JVM is ending already; its exit status is the signal's.
    }

    /** The exit code of {@code args}: a {@code daemon} command, or any other through the daemon. */
    int run(String[] args) {
        if (args.length > 0 && args[0].equals("daemon")) {
            return manage(Arrays.copyOfRange(args, 1, args.length));
        }
        Integer code = throughDaemon(args);
        if (code != null) {
            return code;
        }
        return new Cli(out, err, env, here).execute(args);
    }

    /**
     * Runs the command in the daemon, started if none answers; null when it must run here: the
     * daemon is busy, of another build, or could not be had (said on standard error, once).
     */
    Integer throughDaemon(String[] args) {
        Path socket = DaemonWire.socket(env);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > DaemonWire.MAX_SOCKET_PATH) {
            err.println("sitebridge: SITEBRIDGE_DAEMON: the user folder's path is too long for a local socket ("
                    + socket + "); running without the daemon");
            return null;
        }
        String identity = DaemonWire.identity(env);
        byte[] command;
        try {
            command = new DaemonWire.Command(identity, here.workingFolder().toString(), here.outputIsTerminal(),
                    here.canAsk(),
                    System.getProperty("stdout.encoding", System.getProperty("native.encoding", "UTF-8")),
                    List.of(args), new HashMap<>(env)).encode();
        } catch (IOException e) {
            return null;
        }
        DaemonWire wire = connect(socket);
        if (wire == null) {
            try {
                wire = start(socket);
            } catch (IOException e) {
                err.println("sitebridge: SITEBRIDGE_DAEMON: cannot start the daemon (" + e.getMessage()
                        + "); running without it");
                return null;
            }
        }
        try {
            wire.send(DaemonWire.RUN, command);
            DaemonWire.Frame answer = wire.read();
            switch (answer.type()) {
                case DaemonWire.ACCEPTED -> {
                    // runs there
                }
                case DaemonWire.OTHER_BUILD, DaemonWire.BUSY -> {
                    // Busy: another command runs there. Another build: that daemon ends; the next command starts
                    // one of this build. Either way this command runs here, as without a daemon.
                    wire.close();
                    return null;
                }
                default -> throw new IOException("an unknown answer " + answer.type());
            }
        } catch (IOException e) {
            wire.close();
            return null; // (an ending daemon: nothing ran there)
        }
        running = wire;
        try {
            return follow(wire);
        } finally {
            ended.countDown();
            wire.close();
        }
    }

    /**
     * Shows what the command prints and answers its prompts until it ends; its exit code. Output
     * that arrived together is written together; standard output and error keep their order, and
     * both are flushed before this waits for more.
     */
    private int follow(DaemonWire wire) {
        Sink o = new Sink(rawOut);
        Sink e = new Sink(rawErr);
        try {
            while (true) {
                if (!wire.hasBuffered()) {
                    o.flush();
                    e.flush();
                }
                DaemonWire.Frame f = wire.read();
                switch (f.type()) {
                    case DaemonWire.OUT -> {
                        e.flush();
                        o.write(f.body());
                    }
                    case DaemonWire.ERR -> {
                        o.flush();
                        e.write(f.body());
                    }
                    case DaemonWire.PROMPT -> {
                        o.flush();
                        e.flush();
                        wire.send(DaemonWire.ANSWER, answer(f.text()));
                    }
                    case DaemonWire.EXIT -> {
                        o.flush();
                        e.flush();
                        return ByteBuffer.wrap(f.body()).getInt();
                    }
                    default -> {
                        // nothing else comes while a command runs
                    }
                }
            }
        } catch (IOException ex) {
            o.flush();
            e.flush();
            err.println("sitebridge: the daemon ended in the middle of the command (its log: "
                    + DaemonWire.folder(env).resolve("log") + "); run the command again: a copy goes on where it"
                    + " stopped");
            return ExitCode.FAILED.code;
        }
    }

    /**
     * Standard output or error, buffered; as System.out in a process of its own, a failed write
     * (a pipe whose reader left, as {@code | head}) only ends the output, not the command.
     */
    private static final class Sink {
        private final java.io.BufferedOutputStream to;
        private boolean failed;

        Sink(OutputStream to) {
            this.to = new java.io.BufferedOutputStream(to, 1 << 16);
        }

        void write(byte[] b) {
            if (!failed) {
                try {
                    to.write(b);
                } catch (IOException e) {
                    failed = true;
                }
            }
        }

        void flush() {
            if (!failed) {
                try {
                    to.flush();
                } catch (IOException e) {
                    failed = true;
                }
            }
        }
    }

    /** A prompt's answer: "1" and the password in UTF-8, or nothing when there is none. */
    private byte[] answer(String prompt) {
        char[] pw = here.readPassword(prompt);
        if (pw == null) {
            return new byte[0];
        }
        ByteBuffer b = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pw));
        Arrays.fill(pw, '\0');
        byte[] a = new byte[1 + b.remaining()];
        a[0] = 1;
        b.get(a, 1, a.length - 1);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return a;
    }

    /** Ctrl-C or SIGTERM (a shutdown hook): the command in the daemon stops, and this waits for its end. */
    void stop() {
        DaemonWire wire = running;
        if (wire == null || ended.getCount() == 0) {
            return;
        }
        stopping = true;
        try {
            wire.send(DaemonWire.STOP, new byte[0]);
            ended.await(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the daemon is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- connecting, starting ----------------------------------------------------------------------

    private static DaemonWire connect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        try {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
                return new DaemonWire(c);
            } catch (IOException e) {
                c.close();
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts a daemon with this JVM's Java and class path, in a session of its own (Ctrl-C in this
     * terminal is not its), under the folder's start lock (two clients start one daemon), and waits
     * until it listens.
     */
    private DaemonWire start(Path socket) throws IOException {
        Path folder = socket.getParent();
        Files.createDirectories(folder);
        try (FileChannel lockFile = FileChannel.open(folder.resolve("start.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = lockFile.lock()) {
            DaemonWire wire = connect(socket); // another client started it meanwhile
            if (wire != null) {
                return wire;
            }
            ProcessBuilder pb = new ProcessBuilder(daemonCommand()).directory(folder.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("log").toFile()))
                    .redirectErrorStream(true);
            // Each command brings its own environment; the daemon's keeps no passwords, and no class
            // cache recording of the start script's (that is the client's).
            pb.environment().keySet().removeIf(k -> k.startsWith("SITEBRIDGE_CLASS_CACHE_") || k.endsWith("PASSWORD"));
            Process p = pb.start();
            p.getOutputStream().close();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_MILLIS);
            while (System.nanoTime() < deadline) {
                wire = connect(socket);
                if (wire != null) {
                    return wire;
                }
                if (!p.isAlive() && p.exitValue() != 0) {
                    throw new IOException("it ended with " + p.exitValue() + "; see " + folder.resolve("log"));
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            p.destroy();
            throw new IOException("it did not listen within " + START_MILLIS / 1000 + " s; see " + folder.resolve("log"));
        }
    }

    /**
     * {@code [setsid] JAVA [options] -cp CLASSPATH io.sitebridge.app.cli.CliDaemon}: the Java and the
     * class path of this JVM, the start script's memory options, but all of the JIT (a process that
     * lives for many commands gains from compiling its hot code fully).
     */
    private List<String> daemonCommand() {
        List<String> cmd = new ArrayList<>();
        for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(setsid))) {
                cmd.add(setsid);
                break;
            }
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xms32m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), CliDaemon.class.getName()));
        return cmd;
    }

    /** {@code sitebridge daemon start|status|stop}. */
    private int manage(String[] args) {
        String what = args.length == 0 ? "status" : args[0];
        if (args.length > 1 || !List.of("start", "status", "stop").contains(what)) {
            err.println("sitebridge: usage: sitebridge daemon start|status|stop");
            return ExitCode.USAGE.code;
        }
        Path socket = DaemonWire.socket(env);
        DaemonWire wire = connect(socket);
        if (wire == null) {
            if (!what.equals("start")) {
                out.println("not running (" + socket + ")");
                return ExitCode.OK.code;
            }
            try {
                wire = start(socket);
            } catch (IOException e) {
                err.println("sitebridge: cannot start the daemon: " + e.getMessage());
                return ExitCode.FAILED.code;
            }
        }
        try {
            wire.send(what.equals("stop") ? DaemonWire.QUIT : DaemonWire.STATUS, new byte[0]);
            out.println(wire.read().text());
            return ExitCode.OK.code;
        } catch (IOException e) {
            err.println("sitebridge: the daemon did not answer: " + e.getMessage());
            return ExitCode.FAILED.code;
        } finally {
            wire.close();
        }
    }
}
