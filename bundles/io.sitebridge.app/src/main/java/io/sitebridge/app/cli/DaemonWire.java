package io.sitebridge.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sitebridge.core.UserFolder;

/**
 * The command-line daemon's wire ({@link CliDaemon}, {@link CliDaemonClient}): frames of a type
 * byte, a length and that many bytes, over a Unix-domain socket in the user folder's
 * {@code daemon} folder (mode 700; the daemon also checks that the peer is its own user).
 *
 * <p>Client to daemon: {@link #RUN} (the command: identity, working folder, terminal flags, output
 * charset, arguments, environment), {@link #STATUS}, {@link #QUIT}; while a command runs
 * {@link #ANSWER} (to a prompt) and {@link #STOP} (Ctrl-C). Daemon to client: {@link #ACCEPTED},
 * {@link #BUSY} or {@link #OTHER_BUILD} in answer to a command; then {@link #OUT}, {@link #ERR},
 * {@link #PROMPT}, and last {@link #EXIT}; {@link #INFO} in answer to status and quit.
 *
 * <p>Reads and writes go straight to the channel: a channel's streams from {@code Channels} would
 * make a write wait for a read blocked on the same channel.
 */
final class DaemonWire {
    static final byte RUN = 'R';
    static final byte STATUS = 'T';
    static final byte QUIT = 'Q';
    static final byte ANSWER = 'A';
    static final byte STOP = 'S';
    static final byte ACCEPTED = 'K';
    static final byte BUSY = 'B';
    static final byte OTHER_BUILD = 'M';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte PROMPT = 'P';
    static final byte EXIT = 'X';
    static final byte INFO = 'I';

    /** A frame larger than this is a broken peer, not a command. */
    static final int MAX_FRAME = 4 << 20;

    /** The longest socket path Linux takes (sun_path is 108 bytes with its terminating zero). */
    static final int MAX_SOCKET_PATH = 107;

    record Frame(byte type, byte[] body) {
        DataInputStream data() {
            return new DataInputStream(new java.io.ByteArrayInputStream(body));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final SocketChannel channel;
    private final DataInputStream in;
    private final Object writing = new Object();

    DaemonWire(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new java.io.BufferedInputStream(new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        }, 65536));
    }

    /** The next frame; EOFException when the peer closed the connection. */
    Frame read() throws IOException {
        byte type = in.readByte();
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("daemon wire: a frame of " + length + " bytes");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return new Frame(type, body);
    }

    /**
     * Sends one frame in one write (frames of several threads never interleave). After
     * {@link #writeFromOwnThread()} the frame is only queued: see there.
     */
    void send(byte type, byte[] body, int off, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5 + len).put(type).putInt(len).put(body, off, len).flip();
        java.util.concurrent.BlockingQueue<ByteBuffer> queue = outbox;
        if (queue != null) {
            if (writerFailed) {
                throw new IOException("the client is gone");
            }
            boolean interrupted = false;
            while (true) {
                try {
                    queue.put(b);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        write(b);
    }

    private void write(ByteBuffer b) throws IOException {
        synchronized (writing) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    private void write(ByteBuffer[] bs) throws IOException {
        synchronized (writing) {
            while (bs[bs.length - 1].hasRemaining()) {
                channel.write(bs);
            }
        }
    }

    /** Whether a frame (or part of one) was read already and waits here: reading it will not block. */
    boolean hasBuffered() throws IOException {
        return in.available() > 0;
    }

    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private volatile java.util.concurrent.BlockingQueue<ByteBuffer> outbox;
    private volatile boolean writerFailed;
    private Thread writer;

    /**
     * From now on frames are written by a thread of this wire's own. A command's thread may be
     * interrupted (a stop interrupts it; code that catches an InterruptedException sets the flag
     * again), and a channel written from an interrupted thread is closed at once
     * (ClosedByInterruptException): the command's output would end there. A full queue (a client
     * that reads slowly) holds the writer back, as a pipe would.
     */
    void writeFromOwnThread() {
        java.util.concurrent.BlockingQueue<ByteBuffer> queue = new java.util.concurrent.ArrayBlockingQueue<>(256);
        writer = new Thread(() -> {
            // What queued up while the last write went out goes out in one (gathering) write: a
            // folder copy prints a line per file.
            java.util.List<ByteBuffer> batch = new java.util.ArrayList<>();
            try {
                boolean end = false;
                while (!end) {
                    batch.add(queue.take());
                    queue.drainTo(batch);
                    end = batch.get(batch.size() - 1) == END;
                    if (end) {
                        batch.remove(batch.size() - 1);
                    }
                    if (!writerFailed && !batch.isEmpty()) {
                        try {
                            write(batch.toArray(ByteBuffer[]::new));
                        } catch (IOException e) {
                            writerFailed = true; // the rest is dropped: nobody reads it
                        }
                    }
                    batch.clear();
                }
            } catch (InterruptedException e) {
                writerFailed = true;
            }
        }, "sitebridge-daemon-writer");
        writer.setDaemon(true);
        writer.start();
        outbox = queue;
    }

    /** Waits (up to {@code millis}) until every queued frame was written, and ends the writer. */
    void drain(long millis) {
        java.util.concurrent.BlockingQueue<ByteBuffer> queue = outbox;
        if (queue == null) {
            return;
        }
        // Not cut short by an interrupt: the frames queued last (the exit code) must reach the client.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        boolean ended = false;
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                ended = queue.offer(END, left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (ended && writer.isAlive() && System.nanoTime() < deadline) {
            try {
                writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void send(byte type, byte[] body) throws IOException {
        send(type, body, 0, body.length);
    }

    void send(byte type, String text) throws IOException {
        send(type, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendInt(byte type, int value) throws IOException {
        send(type, ByteBuffer.allocate(4).putInt(value).array());
    }

    /** An output stream whose every write is one frame of {@code type}. */
    OutputStream stream(byte type) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    send(type, b, off, len);
                }
            }
        };
    }

    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing
        }
    }

    // ---- the command ------------------------------------------------------------------------------

    /** A command as the client sends it. */
    record Command(String identity, String workingFolder, boolean terminal, boolean canAsk, String charset,
            List<String> args, Map<String, String> env) {

        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(bytes);
            string(d, identity);
            string(d, workingFolder);
            d.writeBoolean(terminal);
            d.writeBoolean(canAsk);
            string(d, charset);
            d.writeInt(args.size());
            for (String a : args) {
                string(d, a);
            }
            d.writeInt(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                string(d, e.getKey());
                string(d, e.getValue());
            }
            return bytes.toByteArray();
        }

        static Command decode(Frame f) throws IOException {
            DataInputStream d = f.data();
            String identity = string(d);
            String cwd = string(d);
            boolean terminal = d.readBoolean();
            boolean canAsk = d.readBoolean();
            String charset = string(d);
            int n = count(d);
            List<String> args = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                args.add(string(d));
            }
            int m = count(d);
            Map<String, String> env = new java.util.HashMap<>();
            for (int i = 0; i < m; i++) {
                env.put(string(d), string(d));
            }
            return new Command(identity, cwd, terminal, canAsk, charset, args, env);
        }
    }

    static void string(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    static String string(DataInputStream d) throws IOException {
        int n = count(d);
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_FRAME) {
            throw new EOFException("daemon wire: a count of " + n);
        }
        return n;
    }

    // ---- where, and which build -----------------------------------------------------------------

    /** The daemon's folder for the user folder that {@code env} names: its socket and its log. */
    static Path folder(Map<String, String> env) {
        return UserFolder.of(env).resolve("daemon");
    }

    static Path socket(Map<String, String> env) {
        return folder(env).resolve("socket");
    }

    /**
     * What a daemon must share with a client to run its commands as the client itself would: the
     * same Java, the same jars (path, size and time of each: an update in place changes them) and
     * the same time zone (listings' dates are read in it).
     */
    static String identity(Map<String, String> env) {
        StringBuilder sb = new StringBuilder().append(Runtime.version()).append(' ')
                .append(System.getProperty("java.home"));
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            sb.append(' ').append(entry);
            try {
                BasicFileAttributes a = Files.readAttributes(Path.of(entry), BasicFileAttributes.class);
                sb.append(':').append(a.size()).append(':').append(a.lastModifiedTime().toMillis());
            } catch (IOException | RuntimeException e) {
                sb.append(":?");
            }
        }
        return sb.append(" TZ=").append(env.getOrDefault("TZ", "")).toString();
    }

    /**
     * The user at the other end of a Unix-domain connection, or null where the JDK cannot say
     * ({@code jdk.net.ExtendedSocketOptions.SO_PEERCRED}, looked up by name: it is not in java.base).
     */
    static String peerUser(SocketChannel channel) {
        try {
            Object option = Class.forName("jdk.net.ExtendedSocketOptions").getField("SO_PEERCRED").get(null);
            @SuppressWarnings("unchecked")
            Object p = channel.getOption((SocketOption<Object>) option);
            Object user = p == null ? null : p.getClass().getMethod("user").invoke(p); // jdk.net.UnixDomainPrincipal
            return user instanceof java.nio.file.attribute.UserPrincipal u ? u.getName() : null;
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            return null;
        }
    }
}
