package io.sitebridge.app.cli;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.Progress;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;

/**
 * Shows a queue run on the terminal: one progress line rewritten in place on a terminal
 * (files done, bytes, files/s, the running files' percentages), plain lines for each finished
 * file of a folder otherwise (logs, pipes). A copy of one file (the root item is the file) gets
 * only the progress line; the command prints how it went. Runs on the queue's event thread; the
 * line is redrawn at most five times a second.
 */
final class ProgressPrinter implements QueueListener {
    private final Terminal out;
    private final boolean terminal;
    private final long rootId;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long total = -1;
    private final Map<Long, Progress> running = new ConcurrentHashMap<>();
    /** Lines of finished files not printed yet (not on a terminal): printed once a batch. */
    private final StringBuilder lines = new StringBuilder();
    private long lastDraw;
    private int lastWidth;

    ProgressPrinter(Terminal out, boolean terminal, long rootId) {
        this.out = out;
        this.terminal = terminal;
        this.rootId = rootId;
    }

    @Override
    public void itemChanged(QueueItem i) {
        if (i.id() == rootId) {
            if (i.isFolder()) {
                if (i.expanded() && i.reason().endsWith("folders")) {
                    total = parseCount(i.reason());
                }
            } else if (i.state().isFinished()) {
                running.remove(i.id());
                count(i);
                draw(true);
            }
            return;
        }
        if (i.parentId() != rootId || !i.state().isFinished()) {
            return;
        }
        running.remove(i.id());
        count(i);
        if (!terminal) {
            // "done SRC -> DST (REASON)": built, not formatted (a line a file, thousands of them), and
            // printed with the other lines of its batch of events (one write for them, not one a file)
            synchronized (lines) {
                lines.append(word(i.state())).append(' ');
                out.append(lines, i.sourcePath()).append(" -> ");
                out.append(lines, i.destinationPath());
                if (!i.reason().isEmpty()) {
                    out.append(lines.append(" ("), i.reason()).append(')');
                }
                Terminal.appendDetails(lines.append(System.lineSeparator()), i.details());
            }
        } else if (i.state() == ItemState.FAILED) {
            clear();
            out.out("failed %s: %s%n", i.sourcePath(), i.reason());
            out.outDetails(i.details());
        }
        draw(false);
    }

    private void count(QueueItem i) {
        switch (i.state()) {
            case DONE -> {
                done.incrementAndGet();
                bytes.addAndGet(Math.max(0, i.size()));
            }
            case SKIPPED -> skipped.incrementAndGet();
            default -> failed.incrementAndGet();
        }
    }

    /** "12 files in 3 folders": the number in front; -1 when the queue words it otherwise. */
    private static long parseCount(String reason) {
        try {
            return Long.parseLong(reason.substring(0, reason.indexOf(' ')));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Prints the lines of the events delivered together. */
    @Override
    public void delivered() {
        synchronized (lines) {
            if (!lines.isEmpty()) {
                out.outBlock(lines);
                lines.setLength(0);
            }
        }
    }

    @Override
    public void progress(Progress p) {
        if (p.total() >= 0 && p.bytes() >= p.total()) {
            running.remove(p.itemId()); // complete: nothing to show, and nothing to keep for 100,000 files
        } else {
            running.put(p.itemId(), p);
        }
        draw(false);
    }

    private static String word(ItemState s) {
        return switch (s) {
            case DONE -> "done";
            case SKIPPED -> "skipped";
            case CANCELLED -> "cancelled";
            default -> "failed";
        };
    }

    private void clear() {
        if (terminal && lastWidth > 0) {
            out.outOwn("\r" + " ".repeat(lastWidth) + "\r");
            lastWidth = 0;
        }
    }

    void draw(boolean force) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        double s = Math.max(1e-3, (now - started) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(done.get() + skipped.get() + failed.get()).append(total >= 0 ? "/" + total : "").append(" files, ")
                .append(human(bytes.get())).append(Terminal.format(", %.0f files/s", done.get() / s));
        for (Progress p : running.values()) {
            if (p.total() > 0 && p.bytes() < p.total()) {
                sb.append(Terminal.format(" | %d%% %s/s", 100 * p.bytes() / p.total(),
                        human((long) p.bytesPerSecond())));
                if (p.etaSeconds() >= 0) {
                    sb.append(" eta ").append(p.etaSeconds()).append('s');
                }
                if (p.stalledMillis() > 0) {
                    sb.append(" stalled ").append(p.stalledMillis() / 1000).append('s');
                }
            }
        }
        String line = sb.length() > 150 ? sb.substring(0, 150) : sb.toString();
        out.outOwn("\r" + line + (line.length() < lastWidth ? " ".repeat(lastWidth - line.length()) : ""));
        out.flush();
        lastWidth = line.length();
    }

    /** Clears the progress line; for a folder, prints the summary line. */
    void finish(QueueItem root) {
        delivered(); // the last lines, should the event thread not have printed them yet
        clear();
        if (!root.isFolder()) {
            return;
        }
        double s = seconds();
        out.out("%s: %d files done (%s), %d skipped, %d failed in %.2f s (%.0f files/s)%n",
                root.state() == ItemState.DONE ? "copied" : root.state().name().toLowerCase(Locale.ROOT), done.get(),
                human(bytes.get()), skipped.get(), failed.get(), s, done.get() / Math.max(s, 1e-3));
    }

    /** Files copied so far. */
    long filesDone() {
        return done.get();
    }

    /** Seconds since this printer was made (the run's start). */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    static String human(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return Terminal.format("%.1f %s", v, units[u]);
    }
}
