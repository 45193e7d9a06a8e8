import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's "far-away server" (workload 5): a TCP relay for control connections that delays
 * every chunk, in each direction, by a fixed time. The kernel's netem is not available on the
 * benchmark's machines, so the delay is made here, in user space, on loopback only.
 *
 * <pre>
 *   java Relay.java relay ONE_WAY_MS LISTEN_ADDR:PORT=TARGET_ADDR:PORT ...
 *   java Relay.java probe HOST PORT COUNT
 * </pre>
 *
 * relay: listens on each LISTEN address (a server's own address, another port) and forwards each
 * connection to its TARGET (the server's control port). Every chunk read from one side is queued
 * with the time it is due (read time + ONE_WAY_MS) and a writer sends it when due, so the order is
 * kept and each direction adds exactly ONE_WAY_MS, however many chunks are in flight. A new
 * connection reaches the server only after 3 × ONE_WAY_MS: with a far-away server the TCP handshake
 * costs one round trip before the client can send, and the server's accept and greeting half a
 * round trip and another half: connect to greeting is 2 round trips there, and here too. The
 * servers' passive replies stay true (the relay listens on their own addresses), so data
 * connections go directly between the servers. Prints "ready" when listening; runs until killed.
 *
 * probe: connects to HOST:PORT, times connect to greeting (220), logs in when SITEBRIDGE_PROBE_USER
 * and SITEBRIDGE_PROBE_PASSWORD are set, then sends COUNT NOOPs one at a time and prints
 * {@code connect_greeting_ms=... noop_median_ms=... noop_min_ms=... noop_max_ms=...}.
 */
public final class Relay {

    private record Chunk(long dueNanos, byte[] data) { }

    private static final byte[] EOF = new byte[0];

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("relay")) {
            relay(Long.parseLong(args[1]), Arrays.copyOfRange(args, 2, args.length));
        } else if (args.length == 4 && args[0].equals("probe")) {
            probe(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else {
            System.err.println("usage: java Relay.java relay ONE_WAY_MS LISTEN_ADDR:PORT=TARGET_ADDR:PORT ...");
            System.err.println("       java Relay.java probe HOST PORT COUNT");
            System.exit(2);
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (!host.startsWith("127.")) {
            throw new IllegalArgumentException("loopback addresses only: " + hostPort);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static void relay(long oneWayMs, String[] routes) throws IOException {
        long oneWay = oneWayMs * 1_000_000L;
        List<Thread> acceptors = new ArrayList<>();
        for (String route : routes) {
            String[] ends = route.split("=", 2);
            InetSocketAddress listen = address(ends[0]);
            InetSocketAddress target = address(ends[1]);
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(listen, 200);
            Thread t = new Thread(() -> acceptLoop(server, target, oneWay), "accept " + ends[0]);
            acceptors.add(t);
        }
        acceptors.forEach(Thread::start);
        System.out.println("ready");
        System.out.flush();
    }

    private static void acceptLoop(ServerSocket server, InetSocketAddress target, long oneWay) {
        AtomicInteger n = new AtomicInteger();
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                System.err.println("relay: accept failed: " + e);
                return;
            }
            long accepted = System.nanoTime();
            Thread t = new Thread(() -> connection(client, target, oneWay, accepted), "conn " + n.incrementAndGet());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void connection(Socket client, InetSocketAddress target, long oneWay, long accepted) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            // what the client sends meanwhile waits in the relay's queue (read from now, written when due)
            LinkedBlockingQueue<Chunk> toServer = new LinkedBlockingQueue<>();
            Thread clientReader = reader(client, toServer, oneWay);
            sleepUntil(accepted + 3 * oneWay);
            server.setTcpNoDelay(true);
            server.connect(target, 10_000);
            LinkedBlockingQueue<Chunk> toClient = new LinkedBlockingQueue<>();
            AtomicInteger open = new AtomicInteger(2);
            Thread serverReader = reader(server, toClient, oneWay);
            Thread w1 = writer(toServer, server, client, open);
            Thread w2 = writer(toClient, client, server, open);
            clientReader.join();
            serverReader.join();
            w1.join();
            w2.join();
        } catch (IOException | InterruptedException e) {
            // the connection ends
        } finally {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** Reads one side, queueing every chunk with the time it is due at the other side; EOF last. */
    private static Thread reader(Socket from, LinkedBlockingQueue<Chunk> queue, long oneWay) {
        Thread t = new Thread(() -> {
            try {
                InputStream in = from.getInputStream();
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    queue.add(new Chunk(System.nanoTime() + oneWay, Arrays.copyOf(buf, n)));
                }
            } catch (IOException e) {
                // reset or closed: passed on as the end of this direction
            }
            queue.add(new Chunk(System.nanoTime() + oneWay, EOF));
        }, "read");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Sends each chunk when it is due; at the end, half-closes, and closes both when both ended. */
    private static Thread writer(LinkedBlockingQueue<Chunk> queue, Socket to, Socket from, AtomicInteger open) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    sleepUntil(c.dueNanos());
                    if (c.data() == EOF) {
                        to.shutdownOutput();
                        break;
                    }
                    out.write(c.data());
                }
                if (open.decrementAndGet() == 0) {
                    closeQuietly(to);
                    closeQuietly(from);
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(to);
                closeQuietly(from);
            }
        }, "write");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepUntil(long dueNanos) {
        for (long wait; (wait = dueNanos - System.nanoTime()) > 0;) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed
        }
    }

    private static void probe(String host, int port, int count) throws IOException {
        address(host + ":" + port);
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            String greeting = reply(in);
            long greeted = System.nanoTime();
            if (!greeting.startsWith("220")) {
                throw new IOException("no greeting: " + greeting);
            }
            String user = System.getenv("SITEBRIDGE_PROBE_USER");
            String pass = System.getenv("SITEBRIDGE_PROBE_PASSWORD");
            if (user != null && pass != null) {
                send(out, "USER " + user);
                reply(in);
                send(out, "PASS " + pass);
                String r = reply(in);
                if (!r.startsWith("230")) {
                    throw new IOException("login failed: " + r);
                }
            }
            long[] rtt = new long[count];
            for (int i = 0; i < count; i++) {
                long a = System.nanoTime();
                send(out, "NOOP");
                String r = reply(in);
                rtt[i] = System.nanoTime() - a;
                if (!r.startsWith("200")) {
                    throw new IOException("NOOP answered " + r);
                }
            }
            send(out, "QUIT");
            Arrays.sort(rtt);
            System.out.printf("connect_greeting_ms=%.1f noop_median_ms=%.2f noop_min_ms=%.2f noop_max_ms=%.2f%n",
                    (greeted - t0) / 1e6, rtt[count / 2] / 1e6, rtt[0] / 1e6, rtt[count - 1] / 1e6);
        }
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One reply, multi-line replies to their last line; returns that last line. */
    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("connection closed");
        }
        if (line.length() >= 4 && line.charAt(3) == '-') {
            String code = line.substring(0, 3) + " ";
            while ((line = in.readLine()) != null && !line.startsWith(code)) {
                // continuation lines
            }
            if (line == null) {
                throw new IOException("connection closed");
            }
        }
        return line;
    }
}
