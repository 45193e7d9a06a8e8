package io.sitebridge.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of one port of a server, for tests: what a load balancer or a port forward
 * does for a server's control connection. It listens on its own loopback address and forwards
 * every connection to the target; nothing else of the server (its passive data ports) is reachable
 * through it. Optionally each direction is delayed by a fixed time, to put the server "far away"
 * (the kernel here has no netem); then a front on the server's own address keeps its 227 replies true.
 */
public final class TcpFront implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private TcpFront(String address, InetSocketAddress target, Duration delayEachWay) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getByName(address));
        this.target = target;
        this.delayNanos = delayEachWay.toNanos();
        Thread t = new Thread(this::acceptLoop, "tcp-front-" + port());
        t.setDaemon(true);
        t.start();
    }

    /** A front on {@code address} (a free port) for {@code targetHost:targetPort}, without delay. */
    public static TcpFront start(String address, String targetHost, int targetPort) throws IOException {
        return new TcpFront(address, new InetSocketAddress(targetHost, targetPort), Duration.ZERO);
    }

    /** A front that delays each direction by {@code delayEachWay} (a round trip costs twice that). */
    public static TcpFront delaying(String address, String targetHost, int targetPort, Duration delayEachWay)
            throws IOException {
        return new TcpFront(address, new InetSocketAddress(targetHost, targetPort), delayEachWay);
    }

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
                Socket in = listener.accept();
                accepted.incrementAndGet();
                Socket out = new Socket();
                out.connect(target, 5000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                sockets.add(in);
                sockets.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private record Chunk(long due, byte[] data, int length) { }

    /** Copies one direction; with a delay, a writer sends each chunk when it is due. */
    private void pump(Socket from, Socket to) {
        LinkedBlockingQueue<Chunk> due = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) >= 0;) {
                    due.put(new Chunk(System.nanoTime() + delayNanos, buf.clone(), n));
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
            due.add(new Chunk(System.nanoTime() + delayNanos, null, -1));
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = due.take();
                    long wait = c.due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    if (c.data == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(c.data, 0, c.length);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
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
        sockets.forEach(TcpFront::closeQuietly);
    }
}
