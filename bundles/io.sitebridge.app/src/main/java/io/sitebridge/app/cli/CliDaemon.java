package io.sitebridge.app.cli;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command-line daemon: a JVM that stays warm between commands, for scripts that run many
 * ({@code SITEBRIDGE_DAEMON=1}; {@code sitebridge daemon status|stop}). A command through it pays
 * no JVM start, no class loading and no compiling of the code every file goes through: what a
 * folder of small files costs on the client is then mostly the servers' round trips.
 *
 * <p>One command at a time: while one runs, another client runs its command itself, as without
 * the daemon (the commands share process-wide state, the certificate asker among them, and the
 * queue's state folder allows one user anyway). A command runs exactly as in its own process,
 * through {@link Cli}, with the client's arguments, environment, working folder and terminal
 * ({@link Caller}: prompts are asked on the client's terminal, its Ctrl-C stops the command as a
 * shutdown hook would, and so does a client that goes away). It serves only its own user (the
 * socket's folder is mode 700 and every peer's user is checked), only clients of the same build
 * ({@link DaemonWire#identity}: another build is told so, and the daemon ends when it is idle),
 * and ends after {@link #IDLE} without a command (or {@code SITEBRIDGE_DAEMON_IDLE_MINUTES}).
 */
public final class CliDaemon {
    /** How long a daemon waits for a command before it ends. */
    static final Duration IDLE = Duration.ofMinutes(30);

    private final ServerSocketChannel server;
    private final Path socket;
    private final String identity;
    private final Duration idle;
    private final Instant started = Instant.now();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean ending = new AtomicBoolean();
    private final AtomicLong commands = new AtomicLong();
    private volatile long lastUse = System.nanoTime();

    private CliDaemon(ServerSocketChannel server, Path socket, String identity, Duration idle) {
        this.server = server;
        this.socket = socket;
        this.identity = identity;
        this.idle = idle;
    }

    /** Started by {@link CliDaemonClient}: serves the user folder of its environment until idle or told to stop. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> env = System.getenv();
        Duration idle = IDLE;
        try {
            idle = Duration.ofMinutes(Long.parseLong(env.getOrDefault("SITEBRIDGE_DAEMON_IDLE_MINUTES", "").trim()));
        } catch (NumberFormatException e) {
            // the default
        }
        CliDaemon d = bind(DaemonWire.socket(env), DaemonWire.identity(env), idle);
        System.out.println(Instant.now() + " sitebridge daemon " + ProcessHandle.current().pid() + " serving "
                + d.socket);
        d.serve();
        System.out.println(Instant.now() + " sitebridge daemon ended after " + d.commands.get() + " commands");
        System.exit(0);
    }

    /**
     * Listens on {@code socket}, made in a folder of mode 700 (a socket left by a daemon that died
     * is replaced: the caller holds the start lock, and nothing answered on it).
     */
    static CliDaemon bind(Path socket, String identity, Duration idle) throws IOException {
        Path folder = socket.getParent();
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new CliDaemon(server, socket, identity, idle);
    }

    /** Serves until idle for its time, told to quit, or {@link #end()}; removes its socket. */
    void serve() throws InterruptedException {
        Thread watch = new Thread(this::watchIdle, "sitebridge-daemon-idle");
        watch.setDaemon(true);
        watch.start();
        try {
            while (!ending.get()) {
                SocketChannel c;
                try {
                    c = server.accept();
                } catch (IOException e) {
                    break; // closed by end()
                }
                Thread t = new Thread(() -> handle(c), "sitebridge-daemon-client");
                t.start();
            }
        } finally {
            end();
        }
        // A command still running finishes first (its client waits for it).
        while (busy.get()) {
            Thread.sleep(50);
        }
    }

    /**
     * Stops listening and removes the socket; a running command goes on to its end. The socket's
     * file goes first: once nothing listens a client starts a new daemon, whose socket must not be
     * the one this removes. (A client that connected meanwhile sees the connection closed before
     * an answer, and runs its command itself.)
     */
    void end() {
        if (ending.compareAndSet(false, true)) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // a socket left behind is replaced by the next daemon
            }
            try {
                server.close();
            } catch (IOException e) {
                // ending
            }
        }
    }

    private void watchIdle() {
        while (!ending.get()) {
            try {
                Thread.sleep(Math.min(idle.toMillis() / 4 + 1, 10_000));
            } catch (InterruptedException e) {
                return;
            }
            if (!busy.get() && System.nanoTime() - lastUse > idle.toNanos()) {
                end();
            }
        }
    }

    private void handle(SocketChannel c) {
        DaemonWire wire = new DaemonWire(c);
        try {
            String peer = DaemonWire.peerUser(c);
            if (peer != null && !peer.equals(System.getProperty("user.name"))) {
                return; // another user's process (root can reach the socket): never serve it
            }
            DaemonWire.Frame first = wire.read();
            switch (first.type()) {
                case DaemonWire.STATUS -> wire.send(DaemonWire.INFO, status());
                case DaemonWire.QUIT -> {
                    wire.send(DaemonWire.INFO, "stopping the daemon (pid " + ProcessHandle.current().pid() + ")"
                            + (busy.get() ? " after the command it runs" : ""));
                    end();
                }
                case DaemonWire.RUN -> run(wire, DaemonWire.Command.decode(first));
                default -> {
                    // not a client of ours
                }
            }
        } catch (IOException e) {
            // the client went away before it said what it wanted
        } finally {
            wire.close();
        }
    }

    private String status() {
        Runtime r = Runtime.getRuntime();
        long used = (r.totalMemory() - r.freeMemory()) >> 20;
        return "running: pid " + ProcessHandle.current().pid() + ", up " + Duration.between(started, Instant.now())
                .toSeconds() + " s, " + commands.get() + " commands, " + (busy.get() ? "running one now" : "idle")
                + ", heap " + used + " of " + (r.totalMemory() >> 20) + " MB, ends after " + idle.toMinutes()
                + " min idle; socket " + socket;
    }

    private void run(DaemonWire wire, DaemonWire.Command command) throws IOException {
        if (!command.identity().equals(identity)) {
            wire.send(DaemonWire.OTHER_BUILD, "");
            end(); // a newer installation (or another Java, or time zone) starts its own
            return;
        }
        if (ending.get() || !busy.compareAndSet(false, true)) {
            wire.send(DaemonWire.BUSY, "");
            return;
        }
        try {
            commands.incrementAndGet();
            wire.send(DaemonWire.ACCEPTED, "");
            wire.writeFromOwnThread();
            ClientCaller caller = new ClientCaller(wire, command, Thread.currentThread());
            Thread reader = new Thread(caller::readClient, "sitebridge-daemon-reader");
            reader.setDaemon(true);
            reader.start();
            Charset charset;
            try {
                charset = Charset.forName(command.charset());
            } catch (RuntimeException e) {
                charset = StandardCharsets.UTF_8;
            }
            // As System.out: buffered, flushed at each line and at the end.
            PrintStream out = new PrintStream(new BufferedOutputStream(wire.stream(DaemonWire.OUT), 8192), true,
                    charset);
            PrintStream err = new PrintStream(new BufferedOutputStream(wire.stream(DaemonWire.ERR), 8192), true,
                    charset);
            int code;
            try {
                code = new Cli(out, err, command.env(), caller).execute(command.args().toArray(String[]::new));
            } catch (RuntimeException | Error e) {
                err.println("sitebridge: the daemon failed: " + e);
                code = ExitCode.FAILED.code;
            }
            caller.ended();
            Thread.interrupted(); // a stop's interrupt that came as the command ended; none comes after ended()
            out.flush();
            err.flush();
            try {
                wire.sendInt(DaemonWire.EXIT, code);
            } catch (IOException e) {
                // the client is gone: nothing to tell
            }
            wire.drain(10_000);
        } finally {
            lastUse = System.nanoTime();
            busy.set(false);
            // What a large command left is given back while the daemon waits.
            Runtime r = Runtime.getRuntime();
            if (r.totalMemory() - r.freeMemory() > 64L << 20) {
                System.gc();
            }
        }
    }

    /** The client of the command that runs: its terminal, its working folder, its Ctrl-C. */
    private static final class ClientCaller implements Caller {
        private final DaemonWire wire;
        private final DaemonWire.Command command;
        private final Thread commandThread;
        private final List<Runnable> onStop = new ArrayList<>();
        private final BlockingQueue<DaemonWire.Frame> answers = new LinkedBlockingQueue<>();
        private boolean stopped;
        private boolean ended;

        ClientCaller(DaemonWire wire, DaemonWire.Command command, Thread commandThread) {
            this.wire = wire;
            this.command = command;
            this.commandThread = commandThread;
        }

        /** Reads the client's frames while the command runs: answers, a stop, or its end. */
        void readClient() {
            try {
                while (true) {
                    DaemonWire.Frame f = wire.read();
                    if (f.type() == DaemonWire.ANSWER) {
                        answers.add(f);
                    } else if (f.type() == DaemonWire.STOP) {
                        stop();
                    }
                }
            } catch (EOFException | ClosedChannelException e) {
                stop(); // the client went away (killed, or its terminal closed): as its Ctrl-C
            } catch (IOException e) {
                stop();
            }
        }

        private void stop() {
            List<Runnable> run;
            synchronized (this) {
                if (stopped) {
                    return;
                }
                stopped = true;
                run = List.copyOf(onStop);
            }
            answers.add(new DaemonWire.Frame(DaemonWire.STOP, new byte[0])); // a prompt waiting ends
            // As shutdown hooks: each on a thread of its own; then the command, which waits on what they
            // stopped, is interrupted (in its own process it would simply end with the JVM).
            List<Thread> threads = new ArrayList<>();
            for (Runnable r : run) {
                Thread t = new Thread(r, "sitebridge-stop");
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            synchronized (this) {
                if (!ended) {
                    commandThread.interrupt();
                }
            }
        }

        /** The command returned: a stop no longer interrupts its thread (which goes on to tell the client). */
        synchronized void ended() {
            ended = true;
        }

        @Override
        public Path workingFolder() {
            return Path.of(command.workingFolder());
        }

        @Override
        public boolean outputIsTerminal() {
            return command.terminal();
        }

        @Override
        public boolean canAsk() {
            return command.canAsk();
        }

        @Override
        public char[] readPassword(String prompt) {
            if (!command.canAsk()) {
                return null;
            }
            try {
                wire.send(DaemonWire.PROMPT, prompt);
                DaemonWire.Frame a = answers.take();
                if (a.type() != DaemonWire.ANSWER || a.body().length == 0) {
                    return null;
                }
                // one byte "1", then the password in UTF-8
                java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(
                        java.nio.ByteBuffer.wrap(a.body(), 1, a.body().length - 1));
                java.util.Arrays.fill(a.body(), (byte) 0);
                char[] pw = new char[decoded.remaining()];
                decoded.get(pw);
                java.util.Arrays.fill(decoded.array(), '\0');
                return pw;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public Registration onStop(Runnable stop) {
            boolean now;
            synchronized (this) {
                now = stopped;
                if (!now) {
                    onStop.add(stop);
                }
            }
            if (now) {
                Thread t = new Thread(stop, "sitebridge-stop");
                t.start();
                return () -> { };
            }
            return () -> {
                synchronized (this) {
                    onStop.remove(stop);
                }
            };
        }
    }
}
