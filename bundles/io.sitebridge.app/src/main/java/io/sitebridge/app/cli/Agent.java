package io.sitebridge.app.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.sitebridge.core.UserFolder;

/**
 * {@code sitebridge agent start}: a JVM that stays and runs the command line's commands for the
 * start script, so that a script calling {@code sitebridge copy ...} again and again pays for a
 * JVM's start and its compiling once, not per call (a folder copy's code is interpreted and
 * compiled again in every new JVM: for 1000 small files about half of the client's CPU). Like the
 * Gradle daemon: one per user and state folder, found through its address file
 * ({@link AgentProtocol}); it ends after {@code --idle-minutes} (60) without a command, on
 * {@code sitebridge agent stop}, or when a client of another build (an update) comes.
 *
 * <p>It runs what a separate JVM would run, with the client's environment and working directory
 * and without a terminal: the start script sends it only commands whose standard input is not a
 * terminal (no password prompt, no certificate question, no progress bar), and runs any other
 * itself. It takes only clients of its own build and of its time zone and locale (else their dates,
 * numbers or characters could differ from a JVM of their own). One command at a time: a client that
 * finds it busy runs its command itself. A client that goes (Ctrl-C, killed) interrupts its
 * command, which closes its queue as it would at a Ctrl-C in its own JVM.
 */
public final class Agent {
    private static final Duration DEFAULT_IDLE = Duration.ofMinutes(60);
    /**
     * What sets a JVM's time zone, locale and encodings: a client whose values differ would see
     * other dates, numbers or characters than in a JVM of its own, so its command runs there.
     */
    private static final String[] JVM_DEFAULTS = {"TZ", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_NUMERIC",
        "LC_TIME", "LC_MESSAGES"};

    private final ServerSocket server;
    private final byte[] token;
    private final Duration idle;
    private final String build = AgentProtocol.build();
    private final Instant started = Instant.now();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong lastUse = new AtomicLong(System.nanoTime());
    private final AtomicLong served = new AtomicLong();
    private volatile boolean stopping;

    private Agent(ServerSocket server, byte[] token, Duration idle) {
        this.server = server;
        this.token = token;
        this.idle = idle;
    }

    /** {@code Agent [--idle-minutes N]}: serves the state folder of this environment until it stops. */
    public static void main(String[] args) {
        Duration idle = DEFAULT_IDLE;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--idle-minutes") && i + 1 < args.length) {
                try {
                    idle = Duration.ofMinutes(Math.max(1, Long.parseLong(args[++i])));
                } catch (NumberFormatException e) {
                    System.err.println("sitebridge agent: --idle-minutes takes a whole number of minutes");
                    System.exit(ExitCode.USAGE.code);
                }
            } else {
                System.err.println("sitebridge agent: unknown argument " + args[i]);
                System.exit(ExitCode.USAGE.code);
            }
        }
        System.exit(serve(UserFolder.of(System.getenv()), idle));
    }

    /** Serves {@code state} until the agent stops; returns the process's exit code. */
    static int serve(Path state, Duration idle) {
        Path dir = AgentProtocol.folder(state);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("sitebridge agent: cannot make " + dir + ": " + e.getMessage());
            return ExitCode.FAILED.code;
        }
        try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                System.out.println("sitebridge agent: another agent serves " + state);
                return ExitCode.OK.code;
            }
            Path address = AgentProtocol.address(dir);
            Files.deleteIfExists(address); // an agent that was killed left it
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                String token = HexFormat.of().formatHex(secret);
                // Written whole under another name, then renamed: a client never reads half of it.
                Path part = dir.resolve("address.part");
                Files.deleteIfExists(part);
                Files.createFile(part, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(part, server.getLocalPort() + " " + token + "\n");
                Files.move(part, address, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Path pid = dir.resolve("pid");
                Files.writeString(pid, ProcessHandle.current().pid() + "\n");
                Agent agent = new Agent(server, token.getBytes(StandardCharsets.UTF_8), idle);
                System.out.println("ready " + ProcessHandle.current().pid());
                System.out.flush();
                try {
                    agent.acceptAll();
                } finally {
                    Files.deleteIfExists(address); // no new client finds it
                    agent.awaitIdle();
                    Files.deleteIfExists(pid);
                }
            }
            return ExitCode.OK.code;
        } catch (IOException e) {
            System.err.println("sitebridge agent: " + e.getMessage());
            return ExitCode.FAILED.code;
        }
    }

    private void acceptAll() throws IOException {
        Thread watch = Thread.ofPlatform().daemon().name("sitebridge-agent-idle").start(this::endWhenIdle);
        try {
            while (!stopping) {
                Socket c;
                try {
                    c = server.accept();
                } catch (SocketException e) {
                    if (stopping) {
                        return; // stop()
                    }
                    throw e;
                }
                Thread.ofPlatform().name("sitebridge-agent-client").start(() -> answer(c));
            }
        } finally {
            watch.interrupt();
        }
    }

    /**
     * Waits for a running command's end: an agent told to end (stop, a client of another build)
     * takes no new command, and lets the running one finish as it would in its own JVM.
     */
    private void awaitIdle() {
        try {
            while (busy.get()) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the agent once no command ran for {@link #idle}. */
    private void endWhenIdle() {
        try {
            while (!stopping) {
                Thread.sleep(Math.min(idle.toMillis(), 10_000));
                if (!busy.get() && System.nanoTime() - lastUse.get() > idle.toNanos()) {
                    System.out.println("idle for " + idle.toMinutes() + " minutes: ending");
                    stop();
                }
            }
        } catch (InterruptedException e) {
            // the agent ends
        }
    }

    private void stop() {
        stopping = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
    }

    private void answer(Socket c) {
        try (c; DataInputStream in = new DataInputStream(new BufferedInputStream(c.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(c.getOutputStream()))) {
            c.setSoTimeout(AgentProtocol.HELLO_MILLIS); // a connection that says nothing is closed
            if (in.readInt() != AgentProtocol.MAGIC || in.readInt() != AgentProtocol.VERSION) {
                return; // not one of ours
            }
            byte[] theirToken = AgentProtocol.readBytes(in);
            if (!MessageDigest.isEqual(theirToken, token)) {
                return; // somebody who cannot read the address file
            }
            String theirs = AgentProtocol.readString(in);
            byte kind = in.readByte();
            if (!theirs.equals(build)) {
                frame(out, AgentProtocol.REFUSED, "the agent runs another build of Sitebridge; it ends now");
                System.out.println("a client of another build came (" + theirs + "): ending");
                stop();
                return;
            }
            switch (kind) {
                case AgentProtocol.STATUS -> {
                    frame(out, AgentProtocol.TEXT, status());
                    exit(out, ExitCode.OK.code);
                }
                case AgentProtocol.STOP -> {
                    frame(out, AgentProtocol.TEXT, "sitebridge agent: stopped (pid " + ProcessHandle.current().pid()
                            + ", " + served.get() + " commands run" + (busy.get()
                                    ? "; it ends when the command it runs ends" : "") + ")" + System.lineSeparator());
                    exit(out, ExitCode.OK.code);
                    stop();
                }
                case AgentProtocol.RUN -> run(c, in, out);
                default -> { }
            }
        } catch (IOException e) {
            // the client went; a command of its was interrupted by its watcher
        }
    }

    private String status() {
        Runtime rt = Runtime.getRuntime();
        return "sitebridge agent: pid " + ProcessHandle.current().pid() + ", up since " + started + ", "
                + served.get() + " commands run" + (busy.get() ? ", one running now" : "") + "; ends after "
                + idle.toMinutes() + " idle minutes; " + Thread.activeCount() + " threads, heap "
                + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024) + " of " + rt.totalMemory() / (1024 * 1024)
                + " MB; " + build + System.lineSeparator();
    }

    private void run(Socket c, DataInputStream in, DataOutputStream out) throws IOException {
        Path cwd = Path.of(AgentProtocol.readString(in));
        Map<String, String> env = new HashMap<>();
        for (int i = AgentProtocol.readCount(in); i > 0; i--) {
            env.put(AgentProtocol.readString(in), AgentProtocol.readString(in));
        }
        String[] args = new String[AgentProtocol.readCount(in)];
        for (int i = 0; i < args.length; i++) {
            args[i] = AgentProtocol.readString(in);
        }
        if (!cwd.isAbsolute()) {
            frame(out, AgentProtocol.REFUSED, "a relative working directory");
            return;
        }
        for (String v : JVM_DEFAULTS) {
            if (!java.util.Objects.equals(env.get(v), System.getenv(v))) {
                frame(out, AgentProtocol.REFUSED, "another " + v + " than the agent's");
                return;
            }
        }
        if (!busy.compareAndSet(false, true)) {
            frame(out, AgentProtocol.REFUSED, "the agent runs another command");
            return;
        }
        if (stopping) {
            busy.set(false);
            frame(out, AgentProtocol.REFUSED, "the agent is ending");
            return;
        }
        AtomicBoolean ended = new AtomicBoolean();
        Thread command = Thread.currentThread();
        c.setSoTimeout(0); // a command may run for days
        // The client's next byte is a CANCEL, or the end of its connection: either stops the command.
        Thread.ofPlatform().daemon().name("sitebridge-agent-watch").start(() -> {
            try {
                in.read();
            } catch (IOException e) {
                // gone
            }
            synchronized (ended) {
                if (!ended.get()) {
                    command.interrupt();
                }
            }
        });
        int code;
        // The encodings a JVM of the client's own would write with (the same locale: checked above).
        try (PrintStream o = new PrintStream(new Frames(out, AgentProtocol.OUT), true, System.out.charset());
                PrintStream e = new PrintStream(new Frames(out, AgentProtocol.ERR), true, System.err.charset())) {
            try {
                code = new Cli(o, e, env, cwd).execute(args);
            } catch (RuntimeException ex) {
                e.println("sitebridge: internal error: " + ex);
                code = ExitCode.FAILED.code;
            }
            o.flush();
            e.flush();
        } finally {
            synchronized (ended) {
                ended.set(true);
                Thread.interrupted(); // an interrupt that came after the command's end is not the next one's
            }
            served.incrementAndGet();
            lastUse.set(System.nanoTime());
            busy.set(false);
        }
        exit(out, code); // the watcher ends with the connection
        if (!busy.get()) {
            // The client has its answer. A long folder's queue was garbage now: give its memory back
            // (a full collection shrinks the heap to what is live, plus 30 %), the agent may idle for an hour.
            System.gc();
        }
    }

    private static void frame(DataOutputStream out, byte type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(out, type, b, 0, b.length);
    }

    private static void exit(DataOutputStream out, int code) throws IOException {
        synchronized (out) {
            out.writeByte(AgentProtocol.EXIT);
            out.writeInt(code);
            out.flush();
        }
    }

    /** Writes one frame (a socket's stream: an interrupt of the writing thread does not close it). */
    private static void send(DataOutputStream out, byte type, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(b, off, len);
            out.flush();
        }
    }

    /** A command's standard output or error: each write one frame to the client. */
    private static final class Frames extends OutputStream {
        private final DataOutputStream out;
        private final byte type;

        Frames(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                send(out, type, b, off, len);
            }
        }

        @Override
        public void close() {
            // the connection is the agent's: it sends the EXIT after both streams
        }
    }
}
