package io.sitebridge.app.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start script's side of the {@link Agent}: {@code AgentClient AGENT_FOLDER --run COMMAND...}
 * runs a command in the agent whose address that folder holds and relays its output and exit code;
 * {@code --status} and {@code --stop} are {@code sitebridge agent status|stop}. Exit code
 * {@link AgentProtocol#NOT_TAKEN} when no agent took the command (none runs, it is busy, it is of
 * another build): the script then runs it in a JVM of its own; {@code --status} ends with 1 when
 * none runs. Ctrl-C (or a TERM) asks the agent to
 * stop the command, and waits a while for how it ended.
 *
 * <p>It starts for every command a script runs, so it is kept to the few classes it needs (no
 * lambda, no string concatenation: each would cost the start a bootstrap).
 */
public final class AgentClient {
    /** How long Ctrl-C waits for the stopped command's end (its queue's journal is written then). */
    private static final long STOP_WAIT_SECONDS = 20;

    private AgentClient() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err));
        // (Unbuffered streams: nothing to flush. halt, not exit: exit sets up logging to log itself.)
        Runtime.getRuntime().halt(code);
    }

    static int run(String[] args, Map<String, String> env, OutputStream out, OutputStream err) {
        if (args.length < 2 || !(args[1].equals("--run") || args[1].equals("--status") || args[1].equals("--stop"))) {
            say(err, "usage: AgentClient AGENT_FOLDER --run COMMAND... | --status | --stop");
            return ExitCode.USAGE.code;
        }
        boolean running = args[1].equals("--run");
        Socket c = new Socket();
        String token;
        try {
            // "PORT TOKEN"
            String address = new String(Files.readAllBytes(AgentProtocol.address(Path.of(args[0]))),
                    StandardCharsets.UTF_8).trim();
            int space = address.indexOf(' ');
            token = address.substring(space + 1);
            c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(address.substring(0, space))));
        } catch (IOException | RuntimeException e) {
            try {
                c.close();
            } catch (IOException ignored) {
                // not open
            }
            if (!running) {
                say(out, "sitebridge agent: none runs");
            }
            return running ? AgentProtocol.NOT_TAKEN : ExitCode.FAILED.code;
        }
        try (c) {
            DataOutputStream to = new DataOutputStream(new BufferedOutputStream(c.getOutputStream()));
            DataInputStream from = new DataInputStream(new BufferedInputStream(c.getInputStream()));
            to.writeInt(AgentProtocol.MAGIC);
            to.writeInt(AgentProtocol.VERSION);
            AgentProtocol.writeString(to, token);
            AgentProtocol.writeString(to, AgentProtocol.build());
            if (!running) {
                to.writeByte(args[1].equals("--status") ? AgentProtocol.STATUS : AgentProtocol.STOP);
                to.flush();
                return relay(from, out, err, false);
            }
            to.writeByte(AgentProtocol.RUN);
            AgentProtocol.writeString(to, Path.of("").toAbsolutePath().toString());
            to.writeInt(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                AgentProtocol.writeString(to, e.getKey());
                AgentProtocol.writeString(to, e.getValue());
            }
            to.writeInt(args.length - 2);
            for (int i = 2; i < args.length; i++) {
                AgentProtocol.writeString(to, args[i]);
            }
            to.flush();
            return relayRun(to, from, out, err);
        } catch (IOException e) {
            say(err, new StringBuilder("sitebridge: the agent went away: ").append(e.getMessage()).toString());
            return ExitCode.FAILED.code;
        }
    }

    /** Ctrl-C during a run: CANCEL, then (a while) the command's end, then this JVM ends with its code. */
    private static final class Cancel extends Thread {
        private final DataOutputStream to;
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean cancelled;
        private volatile int code = ExitCode.CANCELLED.code;

        Cancel(DataOutputStream to) {
            super("sitebridge-agent-cancel");
            this.to = to;
        }

        @Override
        public void run() {
            cancelled = true;
            try {
                synchronized (to) {
                    to.writeByte(AgentProtocol.CANCEL);
                    to.flush();
                }
                ended.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the agent is gone: nothing to wait for
            }
            Runtime.getRuntime().halt(code);
        }
    }

    private static int relayRun(DataOutputStream to, DataInputStream from, OutputStream out, OutputStream err)
            throws IOException {
        Cancel hook = new Cancel(to);
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int r = relay(from, out, err, true);
            // -1: the agent closed the connection before the command's end; after a Ctrl-C, that is its end
            hook.code = r >= 0 ? r : hook.cancelled ? ExitCode.CANCELLED.code : ExitCode.FAILED.code;
            return hook.code;
        } finally {
            hook.ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook ends the JVM with the code
            }
        }
    }

    /**
     * Copies frames to {@code out} and {@code err} until EXIT; returns its code, NOT_TAKEN for a
     * refusal of a run, -1 when the agent closed the connection first.
     */
    private static int relay(DataInputStream from, OutputStream out, OutputStream err, boolean run) throws IOException {
        boolean said = false;
        while (true) {
            int type = AgentProtocol.readType(from);
            switch (type) {
                case -1 -> {
                    if (run && !said) {
                        return AgentProtocol.NOT_TAKEN; // ended before it began: nothing of it ran here
                    }
                    say(err, "sitebridge: the agent ended during the command");
                    return -1;
                }
                case AgentProtocol.OUT, AgentProtocol.TEXT -> {
                    out.write(AgentProtocol.readBytes(from));
                    said = true;
                }
                case AgentProtocol.ERR -> {
                    err.write(AgentProtocol.readBytes(from));
                    said = true;
                }
                case AgentProtocol.REFUSED -> {
                    byte[] why = AgentProtocol.readBytes(from);
                    if (run) {
                        return AgentProtocol.NOT_TAKEN;
                    }
                    out.write("sitebridge agent: ".getBytes(StandardCharsets.UTF_8));
                    out.write(why);
                    out.write('\n');
                    return ExitCode.FAILED.code;
                }
                case AgentProtocol.EXIT -> {
                    return from.readInt();
                }
                default -> throw new IOException("an unknown frame from the agent");
            }
        }
    }

    private static void say(OutputStream to, String line) {
        try {
            to.write(line.getBytes(StandardCharsets.UTF_8));
            to.write('\n');
        } catch (IOException e) {
            // nowhere to say it
        }
    }
}
