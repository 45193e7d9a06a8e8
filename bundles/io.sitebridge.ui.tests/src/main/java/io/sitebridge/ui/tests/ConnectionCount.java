package io.sitebridge.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
            maxKernel.accumulateAndGet(established(port), Math::max);
            maxOther.accumulateAndGet(other.getAsInt(), Math::max);
            samples.incrementAndGet();
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Client ends of established connections to {@code port} (state 01, remote port = port). */
    static int established(int port) {
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        int n = 0;
        for (String file : new String[] { "/proc/net/tcp", "/proc/net/tcp6" }) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                continue; // no IPv6
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(hexPort) && f[3].equals("01")) {
                    n++;
                }
            }
        }
        return n;
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
