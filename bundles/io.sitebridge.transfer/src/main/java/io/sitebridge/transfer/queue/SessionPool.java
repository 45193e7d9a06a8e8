package io.sitebridge.transfer.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;

/**
 * Logged-in control connections, kept and reused per site so that each file does not pay for
 * connect, login, FEAT and TYPE again. Never more connections to a site than its
 * {@link Site#maxConnections()}: every open session holds one permit of its site.
 *
 * <p>Sessions are handed out one at a time or as a source/destination pair; a pair's permits
 * are taken in a fixed order (by site key) so that workers never deadlock on each other. When a
 * site allows two or more connections, one is kept for the progress monitor
 * ({@link #tryAcquireMonitor}): transfers use at most {@code maxConnections - 1}. Thread-safe.
 */
public final class SessionPool implements AutoCloseable {
    private final ControlDialogue dialogue;
    private final boolean verifyCertificates;
    private final Map<String, SiteSlots> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SessionPool(ControlDialogue dialogue, boolean verifyCertificates) {
        this.dialogue = dialogue;
        this.verifyCertificates = verifyCertificates;
    }

    private static final class SiteSlots {
        /** One per open session of any use. */
        final Semaphore permits;
        /**
         * One per session used for work (transfers, listings): one fewer than the limit, so the
         * progress monitor always fits, except where that would leave fewer than the two sessions
         * a copy within the site needs (the monitor then waits for a free slot).
         */
        final Semaphore work;
        final int max;
        final Deque<FtpSession> idle = new ArrayDeque<>();
        int open;

        SiteSlots(int max) {
            this.max = max;
            permits = new Semaphore(max, true);
            work = new Semaphore(max > 2 ? max - 1 : max, true);
        }
    }

    private SiteSlots slots(Site site) {
        return slots.computeIfAbsent(site.key(), k -> new SiteSlots(site.maxConnections()));
    }

    /** Sessions open to a site now (in use or idle): never above its limit. */
    public int openSessions(Site site) {
        SiteSlots s = slots(site);
        synchronized (s) {
            return s.open;
        }
    }

    /** A logged-in session to {@code site}, waiting for a free connection slot if needed. */
    public FtpSession acquire(Site site) throws FtpException, InterruptedException {
        SiteSlots s = slots(site);
        s.work.acquire();
        try {
            s.permits.acquire();
        } catch (InterruptedException e) {
            s.work.release();
            throw e;
        }
        try {
            return take(site, s);
        } catch (FtpException | RuntimeException e) {
            s.work.release();
            throw e;
        }
    }

    /**
     * A session for the progress monitor if a slot is free right now, else null (never blocks).
     * Give it back with {@link #releaseMonitor}.
     */
    public FtpSession tryAcquireMonitor(Site site) throws FtpException {
        SiteSlots s = slots(site);
        if (!s.permits.tryAcquire()) {
            return null;
        }
        return take(site, s);
    }

    /** Gives back a monitor session (kept for reuse when in step). */
    public void releaseMonitor(FtpSession session) {
        give(session);
    }

    /** Sessions to both sites of a transfer (two sessions to one site when they are the same). */
    public FtpSession[] acquirePair(Site source, Site destination) throws FtpException, InterruptedException {
        if (source.key().equals(destination.key())) {
            SiteSlots s = slots(source);
            if (s.max < 2) {
                throw new FtpException(source.name(), source.name() + " allows one connection at a time; a copy"
                        + " within the site needs two (raise its connection limit)", (io.sitebridge.core.session.FtpReply) null);
            }
            s.work.acquire(2);
            try {
                s.permits.acquire(2);
            } catch (InterruptedException e) {
                s.work.release(2);
                throw e;
            }
            FtpSession a;
            try {
                a = take(source, s);
            } catch (FtpException | RuntimeException e) {
                s.permits.release();
                s.work.release(2);
                throw e;
            }
            try {
                return new FtpSession[] {a, take(destination, s)};
            } catch (FtpException | RuntimeException e) {
                release(a);
                s.work.release();
                throw e;
            }
        }
        boolean sourceFirst = source.key().compareTo(destination.key()) < 0;
        Site first = sourceFirst ? source : destination;
        Site second = sourceFirst ? destination : source;
        SiteSlots fs = slots(first);
        SiteSlots ss = slots(second);
        fs.work.acquire();
        try {
            ss.work.acquire();
        } catch (InterruptedException e) {
            fs.work.release();
            throw e;
        }
        try {
            fs.permits.acquire();
            try {
                ss.permits.acquire();
            } catch (InterruptedException e) {
                fs.permits.release();
                throw e;
            }
        } catch (InterruptedException e) {
            fs.work.release();
            ss.work.release();
            throw e;
        }
        // Both logins at once when neither site has an idle session (the first pair of a queue):
        // the slower login hides the other. take() gives its permit back when it fails.
        java.util.concurrent.FutureTask<FtpSession> later = null;
        if (!hasIdle(ss)) {
            later = new java.util.concurrent.FutureTask<>(() -> take(second, ss));
            Thread.ofPlatform().daemon().name("sitebridge-pool-login").start(later);
        }
        FtpSession a;
        try {
            a = take(first, fs);
        } catch (FtpException | RuntimeException e) {
            if (later == null) {
                ss.permits.release();
            } else {
                FtpSession b = joinQuietly(later);
                if (b != null) {
                    give(b);
                }
            }
            fs.work.release();
            ss.work.release();
            throw e;
        }
        FtpSession b;
        try {
            b = later == null ? take(second, ss) : join(later);
        } catch (FtpException | RuntimeException e) {
            release(a);
            ss.work.release();
            throw e;
        }
        return sourceFirst ? new FtpSession[] {a, b} : new FtpSession[] {b, a};
    }

    private static boolean hasIdle(SiteSlots s) {
        synchronized (s) {
            return !s.idle.isEmpty();
        }
    }

    /** The session a background take() gave, or its failure; waits even when interrupted (then re-flags). */
    private static FtpSession join(java.util.concurrent.FutureTask<FtpSession> t) throws FtpException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return t.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof FtpException fe) {
                        throw fe;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FtpSession joinQuietly(java.util.concurrent.FutureTask<FtpSession> t) {
        try {
            return join(t);
        } catch (FtpException | RuntimeException e) {
            return null; // its permit is back already
        }
    }

    // Platform daemon threads, not virtual ones, for logins and QUITs: a virtual thread's socket I/O
    // starts the JDK's poller thread, which sits in native code, and the JVM's exit then waits up to
    // 0.3 s for it (measured: a CLI run ended 0.30 s after its last line; 0.01 s with these threads).

    /** Takes an idle session or opens one; the caller already holds the permit (released on failure). */
    private FtpSession take(Site site, SiteSlots s) throws FtpException {
        synchronized (s) {
            while (!s.idle.isEmpty()) {
                FtpSession idle = s.idle.pollFirst();
                if (idle.isConnected()) {
                    return idle;
                }
                s.open--;
                idle.close();
            }
            s.open++;
        }
        try {
            if (closed) {
                throw new FtpException(site.name(), "the transfer queue is closed", (Throwable) null);
            }
            return FtpSession.open(site, dialogue, verifyCertificates);
        } catch (FtpException | RuntimeException e) {
            synchronized (s) {
                s.open--;
            }
            s.permits.release();
            throw e;
        }
    }

    /**
     * Gives a work session back: kept for reuse when it is still in step, closed otherwise. When
     * the engine reopened a session, give back the new one in place of the old (closed) one.
     */
    public void release(FtpSession session) {
        if (session == null) {
            return;
        }
        give(session);
        slots(session.site()).work.release();
    }

    private void give(FtpSession session) {
        SiteSlots s = slots(session.site());
        boolean keep = session.isConnected() && !closed;
        synchronized (s) {
            if (keep) {
                s.idle.addFirst(session);
            } else {
                s.open--;
            }
        }
        if (!keep) {
            session.close();
        }
        s.permits.release();
    }

    /** Closes a session and frees its slot (a session that is out of step, or was replaced). */
    public void discard(FtpSession session) {
        if (session == null) {
            return;
        }
        session.markBroken();
        release(session);
    }

    /**
     * Opens up to {@code count} more sessions to {@code site} in the background, as far as free
     * slots allow right now, and keeps them idle: logins (slow on some servers) overlap with
     * other work instead of delaying the first file of each worker.
     */
    public void warm(Site site, int count) {
        SiteSlots s = slots(site);
        for (int i = 0; i < count; i++) {
            if (closed || !s.work.tryAcquire()) {
                return;
            }
            if (!s.permits.tryAcquire()) {
                s.work.release();
                return;
            }
            Thread.ofPlatform().daemon().name("sitebridge-pool-warm").start(() -> {
                try {
                    release(take(site, s));
                } catch (FtpException | RuntimeException e) {
                    s.work.release(); // take() gave back the permit; the worker that needs one will report
                }
            });
        }
    }

    /**
     * Closes the idle sessions of one site (QUIT, waiting for each reply); sessions in use stay.
     * For a user who disconnects from a site: nothing stays logged in for nothing.
     */
    public void closeIdle(Site site) {
        SiteSlots s = slots.get(site.key());
        if (s == null) {
            return;
        }
        List<FtpSession> idle;
        synchronized (s) {
            idle = new ArrayList<>(s.idle);
            s.open -= idle.size();
            s.idle.clear();
        }
        for (FtpSession session : idle) {
            session.close();
        }
    }

    /** Closes idle sessions (QUIT). Sessions in use are closed when given back. */
    @Override
    public void close() {
        closed = true;
        List<FtpSession> all = new ArrayList<>();
        for (SiteSlots s : slots.values()) {
            synchronized (s) {
                all.addAll(s.idle);
                s.open -= s.idle.size();
                s.idle.clear();
            }
        }
        // QUIT on every connection at once: each waits for its 221, and a queue may hold many.
        List<Thread> quits = new ArrayList<>(all.size());
        for (FtpSession s : all) {
            quits.add(Thread.ofPlatform().daemon().name("sitebridge-pool-quit").start(s::close));
        }
        for (Thread t : quits) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    /** Waits at most {@code millis} for a permit of {@code site}; for tests of the limit. */
    boolean tryPermit(Site site, long millis) throws InterruptedException {
        SiteSlots s = slots(site);
        if (s.permits.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
            s.permits.release();
            return true;
        }
        return false;
    }
}
