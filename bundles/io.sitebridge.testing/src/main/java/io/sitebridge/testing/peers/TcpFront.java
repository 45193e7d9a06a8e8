package io.sitebridge.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP relay in front of one port of a server, for tests: what a load balancer or a port forward
 * does for a server's control connection. It listens on its own loopback address and forwards
 * every connection to the target; nothing else of the server (its passive data ports) is reachable
 * through it. Optionally each direction is delayed by a fixed time, to put the server "far away"
 * (the kernel here has no netem); then a front on the server's own address keeps its 227 replies true.
 */
public final class TcpFront extends ControlFront {
    private final long delayNanos;

    private TcpFront(String address, InetSocketAddress target, Duration delayEachWay) throws IOException {
        super(address, target);
        this.delayNanos = delayEachWay.toNanos();
        startAccepting("tcp-front");
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

    @Override
    protected void serve(Socket in, Socket out) {
        pump(in, out);
        pump(out, in);
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
}
