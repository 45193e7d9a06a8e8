package io.sitebridge.testing.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test fronts share: a listener on a loopback address of its own (a free port) that
 * connects every accepted connection to a target server port and hands both sockets to the
 * subclass, which carries the bytes as it likes (delayed, filtered, one command at a time). Put a
 * front on the server's own address (another port) and the server's 227 replies stay true: data
 * connections go to the server directly.
 */
public abstract class ControlFront implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    protected ControlFront(String address, InetSocketAddress target) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName(address));
        this.target = target;
    }

    /** Starts accepting; called by a subclass at the end of its constructor (its fields are set by then). */
    protected final void startAccepting(String name) {
        Thread t = new Thread(this::acceptLoop, name + "-" + port());
        t.setDaemon(true);
        t.start();
    }

    /** Carries one connection: {@code client} came in, {@code server} is connected to the target. Must not block. */
    protected abstract void serve(Socket client, Socket server);

    public String address() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections came through so far. */
    public int connections() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                accepted.incrementAndGet();
                Socket server = new Socket();
                server.connect(target, 5000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                serve(client, server);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** A line with its CRLF (or LF), or null at the end; lines longer than 64 KiB are cut into pieces. */
    protected static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0;) {
            b.write(c);
            if (c == '\n' || b.size() >= 64 * 1024) {
                return b.toByteArray();
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    protected static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closed
        }
        sockets.forEach(ControlFront::closeQuietly);
    }
}
