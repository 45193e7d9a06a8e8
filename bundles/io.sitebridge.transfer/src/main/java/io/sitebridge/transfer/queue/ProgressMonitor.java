package io.sitebridge.transfer.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sitebridge.core.Site;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;

/**
 * Progress of transfers whose data the client never sees: one extra control connection per
 * destination site polls SIZE of each running file at an interval, which gives bytes, rate and
 * ETA; a file that does not grow for the stall timeout is reported once as stalled (the copier
 * then aborts both sides and the queue retries). Files that finish within one interval are never
 * polled, so many small files cost nothing here. The monitor's connection comes from the
 * {@link SessionPool} (a slot kept for it) and is given back when nothing is watched on that site.
 */
final class ProgressMonitor implements AutoCloseable {
    private final SessionPool pool;
    private final Duration interval;
    private final Duration stallTimeout;
    private final ScheduledExecutorService timer;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    /** Used on the timer thread only. */
    private final Map<String, FtpSession> sessions = new HashMap<>();

    ProgressMonitor(SessionPool pool, Duration interval, Duration stallTimeout) {
        this.pool = pool;
        this.interval = interval;
        this.stallTimeout = stallTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sitebridge-queue-monitor");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(20, interval.toMillis());
        timer.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** One running file being watched; close it when the transfer ends. */
    final class Watch implements AutoCloseable {
        final long itemId;
        final Site site;
        final String path;
        final long total;
        final Consumer<Progress> sink;
        final Runnable onStall;
        final long started = System.nanoTime();
        long lastBytes;
        long lastPollNanos;
        long lastGrowthNanos = started;
        double rate;
        volatile boolean stallReported;

        Watch(long itemId, Site site, String path, long offset, long total, Consumer<Progress> sink, Runnable onStall) {
            this.itemId = itemId;
            this.site = site;
            this.path = path;
            this.total = total;
            this.sink = sink;
            this.onStall = onStall;
            this.lastBytes = offset;
            this.lastPollNanos = started;
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }

    Watch watch(long itemId, Site destination, String path, long offset, long total, Consumer<Progress> sink,
            Runnable onStall) {
        Watch w = new Watch(itemId, destination, path, offset, total, sink, onStall);
        watches.add(w);
        return w;
    }

    private void tick() {
        long now = System.nanoTime();
        Map<String, Boolean> busy = new HashMap<>();
        for (Watch w : watches) {
            if (now - w.started < interval.toNanos() || w.stallReported) {
                continue;
            }
            busy.put(w.site.key(), true);
            FtpSession s = session(w.site);
            if (s == null) {
                continue;
            }
            long size;
            try {
                size = s.size(w.path);
            } catch (FtpException e) {
                sessions.remove(w.site.key());
                pool.releaseMonitor(s); // broken: the pool closes it
                continue;
            }
            if (!watches.contains(w)) {
                continue; // finished while we asked
            }
            long t = System.nanoTime();
            if (size > w.lastBytes) {
                double seconds = (t - w.lastPollNanos) / 1e9;
                double r = (size - w.lastBytes) / Math.max(seconds, 1e-3);
                w.rate = w.rate == 0 ? r : 0.6 * r + 0.4 * w.rate;
                w.lastBytes = size;
                w.lastGrowthNanos = t;
            }
            w.lastPollNanos = t;
            long stalledMs = (t - w.lastGrowthNanos) / 1_000_000;
            long eta = w.rate > 0 && w.total >= 0 ? (long) Math.ceil((w.total - w.lastBytes) / w.rate) : -1;
            try {
                w.sink.accept(new Progress(w.itemId, Math.max(0, w.lastBytes), w.total, w.rate, eta,
                        stalledMs < interval.toMillis() ? 0 : stalledMs));
            } catch (RuntimeException e) {
                // a progress sink must not stop the monitor
            }
            if (stalledMs >= stallTimeout.toMillis() && !w.stallReported) {
                w.stallReported = true;
                w.onStall.run();
            }
        }
        // Give connections back where nothing is watched any more.
        sessions.entrySet().removeIf(e -> {
            if (busy.containsKey(e.getKey())) {
                return false;
            }
            pool.releaseMonitor(e.getValue());
            return true;
        });
    }

    private FtpSession session(Site site) {
        FtpSession s = sessions.get(site.key());
        if (s != null && s.isConnected()) {
            return s;
        }
        if (s != null) {
            sessions.remove(site.key());
            pool.releaseMonitor(s);
        }
        try {
            s = pool.tryAcquireMonitor(site);
        } catch (FtpException e) {
            return null;
        }
        if (s != null) {
            s.note("progress monitor: polls SIZE of running transfers every " + interval.toMillis() + " ms");
            sessions.put(site.key(), s);
        }
        return s;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sessions.values().forEach(pool::releaseMonitor);
        sessions.clear();
    }
}
