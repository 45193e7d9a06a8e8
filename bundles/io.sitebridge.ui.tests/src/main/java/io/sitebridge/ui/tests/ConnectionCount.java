package io.sitebridge.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Counts, while a test runs, the established TCP connections of this machine to a server's
 * control port (as the kernel lists them in /proc/net/tcp and tcp6: whoever opened them) and
 * another count given by the test, every few milliseconds on a thread of its own, keeping the
 * highest of each.
 */
final class ConnectionCount implements AutoCloseable {
    private final int port;
    private final IntSupplier other;
    private final AtomicInteger maxKernel = new AtomicInteger();
    private final AtomicInteger maxOther = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private volatile boolean running = true;
    private volatile String atMax = "none";
    private final Thread thread;

    ConnectionCount(int port, IntSupplier other) {
        this.port = port;
        this.other = other;
        thread = new Thread(this::sample, "connection-count");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            List<String> now = established(port);
            int others = other.getAsInt();
            if (now.size() > maxKernel.get()) {
                atMax = now + " (the other count then: " + others + ")";
            }
            maxKernel.accumulateAndGet(now.size(), Math::max);
            maxOther.accumulateAndGet(others, Math::max);
            samples.incrementAndGet();
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Client ends of established connections to 127.0.0.1:{@code port} (state 01, that remote
     * address and port; in tcp6 as the IPv4-mapped address a dual-stack socket has): their
     * lines' local address, remote address and inode. The address counts, not only the port: a
     * connection to another loopback address's server on the same port number is not this one's.
     */
    static List<String> established(int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        Set<String> remotes = Set.of("0100007F:" + hexPort, "0000000000000000FFFF00000100007F:" + hexPort);
        Map<String, String> found = new LinkedHashMap<>(); // by inode: a socket counts once, however /proc lists it
        for (String file : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                continue; // no IPv6
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && remotes.contains(f[2].toUpperCase(Locale.ROOT)) && f[3].equals("01")) {
                    found.putIfAbsent(f[9], f[1] + " -> " + f[2] + " inode " + f[9]);
                }
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The connections seen when the most were seen, and the other count then (for a failure's message). */
    String atMax() {
        return atMax;
    }

    int maxKernel() {
        return maxKernel.get();
    }

    int maxOther() {
        return maxOther.get();
    }

    int samples() {
        return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(1000);
    }
}
