package io.sitebridge.transfer.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.Openings;

/**
 * Logged-in control connections, kept and reused per site so that each file does not pay for
 * connect, login, FEAT and TYPE again. Never more connections to a site than its
 * {@link Site#maxConnections()}: every open session holds one permit of its site.
 *
 * <p>Sessions are handed out one at a time or as a source/destination pair; a pair's permits
 * are taken in a fixed order (by site key) so that workers never deadlock on each other. When a
 * site allows two or more connections, one is kept for the progress monitor
 * ({@link #tryAcquireMonitor}): transfers use at most {@code maxConnections - 1}. Thread-safe.
 *
 * <p>The limit adapts to what the server allows: a login refused with "too many connections"
 * ({@link ConnectionLimitReply}) lowers the site's limit to the sessions open at that moment (at
 * least one) and fails the acquire with {@link TooManyConnections}, which the queue answers by
 * putting the item back without counting an attempt. After {@link #quietNanos} without such a
 * refusal, the next acquire raises the limit by one again (never above {@link Site#maxConnections()}).
 *
 * <p>Servers drop connections that sit idle (vsftpd after {@code idle_session_timeout}, with
 * {@code 421 Timeout.}). Idle sessions of a site whose {@link Site#keepAlive()} is not zero get a
 * NOOP at that interval, from one timer of the pool; a session in use never does (the NOOP takes the
 * session out of the idle deque, and a connection slot, while it runs). A session idle for
 * {@link #CHECK_AFTER_NANOS} or longer is checked with NOOP before it is handed out, so that a session
 * the server dropped anyway never reaches its user: it is closed and replaced by a fresh one, and the
 * dialogue says so in one note.
 */
public final class SessionPool implements AutoCloseable {
    private final ControlDialogue dialogue;
    private final boolean verifyCertificates;
    private final Map<String, SiteSlots> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Logins under way, cut off when the pool closes. */
    private final Openings openings = new Openings();
    /** Sends the keep-alive NOOPs; started with the first idle session of a site that wants them. */
    private ScheduledExecutorService keepAliveTimer;

    /**
     * A session idle this long is checked with NOOP before reuse: servers drop idle connections
     * after a timeout of their own, which can be a few seconds. Queue workers give a session back
     * and take it again within milliseconds and so pay nothing; a pane pays one round trip after a
     * pause.
     */
    static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A work session that has sent this many commands is closed when given back and a fresh one
     * logs in for the next file (about 1000 files a session). Server session processes can get
     * slower with age: proftpd 1.3.8's spends more CPU on every STOR the more it has done (measured
     * 0.37 ms at first, 0.84 ms after 30,000, growing linearly), so 100,000 files through two
     * sessions cost it twice the CPU of fresh sessions. A login per 1000 files costs far less,
     * also far away (about five round trips, while the other sessions go on).
     */
    static final long RENEW_AFTER_COMMANDS = 3000;
    /** How often the keep-alive timer looks for idle sessions that are due. */
    private static final long KEEP_ALIVE_TICK_MILLIS = 250;

    /** An idle session and since when (System.nanoTime) it has been idle. */
    private record Idle(FtpSession session, long since) {
    }

    public SessionPool(ControlDialogue dialogue, boolean verifyCertificates) {
        this.dialogue = dialogue;
        this.verifyCertificates = verifyCertificates;
    }

    /** A semaphore whose number of permits can also shrink (the site's limit is lowered). */
    private static final class Slots extends Semaphore {
        private static final long serialVersionUID = 1L;

        Slots(int permits) {
            super(permits, true);
        }

        void shrink(int by) {
            reducePermits(by);
        }
    }

    /** How long a lowered limit stays before one more connection is tried. */
    private volatile long quietNanos = TimeUnit.SECONDS.toNanos(30);
    private volatile long renewAfter = RENEW_AFTER_COMMANDS;

    private static final class SiteSlots {
        /** One per open session of any use; holds {@link #limit} in all. */
        final Slots permits;
        /**
         * One per session used for work (transfers, listings): one fewer than the limit, so the
         * progress monitor always fits, except where that would leave fewer than the two sessions
         * a copy within the site needs (the monitor then waits for a free slot).
         */
        final Slots work;
        /** The connections allowed now: the site's limit, or fewer after a "too many connections". */
        int limit;
        /** System.nanoTime() of the last change of {@link #limit} after a refusal, or of its last raise. */
        long limitChanged;
        /** The server has refused a connection as one too many (the limit is then its own). */
        boolean refused;
        final Deque<Idle> idle = new ArrayDeque<>();
        int open;
        /** Of {@link #open}: sessions still connecting and logging in. */
        int opening;
        /** Logins started by {@link SessionPool#warm} whose sessions are not idle yet (they will be, for whoever asks). */
        int warming;
        /** Callers waiting in {@link SessionPool#take} for one of the {@link #warming} sessions. */
        int claims;
        /** The site as last asked for: its keep-alive interval may change while its sessions live. */
        volatile Site site;
        /** Counts {@link #closeIdle} calls: a session out for a keep-alive NOOP meanwhile is closed on return. */
        int generation;

        SiteSlots(Site site, int max) {
            this.site = site;
            this.limit = max;
            permits = new Slots(max);
            work = new Slots(workFor(max));
        }

        /** Work sessions under a limit: one fewer, so the monitor fits, unless that leaves fewer than two. */
        static int workFor(int limit) {
            return limit > 2 ? limit - 1 : limit;
        }

        /** Sets the limit; permits held now stay held (a lower limit is reached as sessions come back). Holding this. */
        void setLimit(int n) {
            int before = limit;
            if (n == before) {
                return;
            }
            int w = workFor(n) - workFor(before);
            if (n > before) {
                permits.release(n - before);
            } else {
                permits.shrink(before - n);
            }
            if (w > 0) {
                work.release(w);
            } else if (w < 0) {
                work.shrink(-w);
            }
            limit = n;
        }
    }

    private SiteSlots slots(Site site) {
        return slots.computeIfAbsent(site.key(), k -> new SiteSlots(site, Math.max(1, site.maxConnections())));
    }

    /**
     * The slots of a site a caller asks a session of: its settings as given now count from here on
     * (a changed connection limit too), and a limit lowered by a refusal long enough ago is raised
     * by one.
     */
    private SiteSlots asked(Site site) {
        SiteSlots s = slots(site);
        s.site = site;
        String raised = null;
        synchronized (s) {
            int ceiling = Math.max(1, site.maxConnections());
            if (s.limit > ceiling || s.limit < ceiling && !s.refused) {
                s.setLimit(ceiling); // the user changed the site's limit
            } else if (s.limit < ceiling && s.open >= s.limit && System.nanoTime() - s.limitChanged >= quietNanos) {
                // Only while every allowed connection is open (one more is wanted), so that each step up is
                // tried by a real login before the next one.
                s.setLimit(s.limit + 1);
                s.limitChanged = System.nanoTime();
                long ms = TimeUnit.NANOSECONDS.toMillis(quietNanos);
                raised = "no refusal for " + (ms < 10_000 ? ms + " ms" : ms / 1000 + " s")
                        + ": trying one more connection (" + s.limit + " of at most " + ceiling + ")";
            }
        }
        if (raised != null) {
            dialogue.note(site.name(), "pool", raised);
        }
        return s;
    }

    /** The connections to a site allowed now (its limit, or fewer after the server refused more). */
    public int currentLimit(Site site) {
        SiteSlots s = slots(site);
        synchronized (s) {
            return s.limit;
        }
    }

    /** How long a lowered limit stays before one more connection is tried (tests shorten it). */
    public void setQuietPeriod(java.time.Duration quiet) {
        quietNanos = quiet.toNanos();
    }

    /**
     * A login the server refused because it has too many connections: the site's limit comes down
     * to the sessions that are logged in now (at least one), and the dialogue says so.
     */
    private TooManyConnections lowerLimit(Site site, SiteSlots s, FtpException e) {
        int from;
        int to;
        synchronized (s) {
            from = s.limit;
            to = Math.max(1, Math.min(s.limit, s.open - s.opening));
            s.setLimit(to);
            s.limitChanged = System.nanoTime();
            s.refused = true;
        }
        String text = site.name() + " refused another connection (" + ServerText.quote(e.reply().text()) + "): "
                + (to < from ? "at most " + to + " connection" + (to == 1 ? "" : "s") + " now (was " + from + ")"
                        : "staying at " + to)
                + "; the item waits for a free one";
        dialogue.note(site.name(), "pool", text);
        return new TooManyConnections(site.name(), text, e);
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
        SiteSlots s = asked(site);
        s.work.acquire();
        try {
            s.permits.acquire();
        } catch (InterruptedException e) {
            s.work.release();
            throw e;
        }
        try {
            return take(site, s, true);
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
        SiteSlots s = asked(site);
        if (!s.permits.tryAcquire()) {
            return null;
        }
        return take(site, s, false);
    }

    /** Gives back a monitor session (kept for reuse when in step). */
    public void releaseMonitor(FtpSession session) {
        give(session);
    }

    /** Sessions to both sites of a transfer (two sessions to one site when they are the same). */
    public FtpSession[] acquirePair(Site source, Site destination) throws FtpException, InterruptedException {
        if (source.key().equals(destination.key())) {
            SiteSlots s = asked(source);
            if (Math.max(1, source.maxConnections()) < 2) {
                throw new FtpException(source.name(), source.name() + " allows one connection at a time; a copy"
                        + " within the site needs two (raise its connection limit)", (io.sitebridge.core.session.FtpReply) null);
            }
            if (currentLimit(source) < 2) {
                // The server refused a second connection: tried again after a backoff (and a quiet period).
                throw new FtpException(source.name(), source.name() + " accepts one connection now; a copy within"
                        + " the site needs two", (Throwable) null);
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
                a = take(source, s, true);
            } catch (FtpException | RuntimeException e) {
                s.permits.release();
                s.work.release(2);
                throw e;
            }
            try {
                return new FtpSession[] {a, take(destination, s, true)};
            } catch (FtpException | RuntimeException e) {
                release(a);
                s.work.release();
                throw e;
            }
        }
        boolean sourceFirst = source.key().compareTo(destination.key()) < 0;
        Site first = sourceFirst ? source : destination;
        Site second = sourceFirst ? destination : source;
        SiteSlots fs = asked(first);
        SiteSlots ss = asked(second);
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
            later = new java.util.concurrent.FutureTask<>(() -> take(second, ss, true));
            Thread.ofPlatform().daemon().name("sitebridge-pool-login").start(later);
        }
        FtpSession a;
        try {
            a = take(first, fs, true);
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
            b = later == null ? take(second, ss, true) : join(later);
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

    /**
     * Whether the session answers a NOOP (a refusal counts as an answer); false when the server
     * closed the connection (421, end of stream) or it broke: the session is then out of use.
     */
    private static boolean answersNoop(FtpSession session) {
        if (!session.isConnected()) {
            return false;
        }
        try {
            session.execute("NOOP");
        } catch (FtpException e) {
            return false;
        }
        return session.isConnected();
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

    /**
     * Takes an idle session or opens one; the caller already holds the permit (released on failure).
     * A session that has been idle for {@link #CHECK_AFTER_NANOS} is checked with NOOP first; one the
     * server dropped is closed and another taken or opened in its place.
     *
     * <p>With {@code mayWait}, a caller that finds no idle session while {@link #warm} logins are under
     * way that nobody else waits for claims one and waits for it instead of logging in once more:
     * that login started earlier, and another one would cost the server a login and leave a session
     * idle. It takes whichever session becomes idle first, and opens its own when the logins it
     * counted on failed or went to others.
     */
    private FtpSession take(Site site, SiteSlots s, boolean mayWait) throws FtpException {
        int dropped = 0;
        while (true) {
            Idle idle;
            synchronized (s) {
                boolean claimed = false;
                while (true) {
                    idle = s.idle.pollFirst();
                    if (claimed && (idle != null || s.claims > s.warming || closed)) {
                        s.claims--; // taken, or fewer warm-up logins left than callers waiting for them
                        claimed = false;
                    }
                    if (idle != null) {
                        break;
                    }
                    if (!claimed && mayWait && !closed && s.warming > s.claims) {
                        s.claims++;
                        claimed = true;
                    }
                    if (!claimed) {
                        s.open++;
                        break;
                    }
                    try {
                        s.wait();
                    } catch (InterruptedException e) {
                        s.claims--;
                        s.permits.release();
                        Thread.currentThread().interrupt();
                        throw new FtpException(site.name(), "interrupted while waiting for a login to "
                                + site.name(), e);
                    }
                }
                if (idle == null) {
                    break;
                }
            }
            FtpSession session = idle.session();
            boolean alive = session.isConnected()
                    && (System.nanoTime() - idle.since() < CHECK_AFTER_NANOS || answersNoop(session));
            if (alive) {
                if (dropped > 0) {
                    session.note(droppedNote(dropped) + "; going on with this one");
                }
                return session;
            }
            session.close();
            synchronized (s) {
                s.open--;
            }
            dropped++;
        }
        synchronized (s) {
            s.opening++;
        }
        try {
            if (closed) {
                throw new FtpException(site.name(), "the transfer queue is closed", (Throwable) null);
            }
            FtpSession fresh = FtpSession.open(site, dialogue, verifyCertificates, openings);
            int accepted = 0;
            synchronized (s) {
                s.opening--;
                int established = s.open - s.opening;
                if (s.refused && established > s.limit) {
                    // A login under way when another was refused went through: the server allows this many.
                    s.setLimit(Math.min(established, Math.max(1, site.maxConnections())));
                    accepted = s.limit;
                }
            }
            if (accepted > 0) {
                fresh.note(site.name() + " accepted " + accepted + " connections: at most " + accepted + " now");
            }
            if (dropped > 0) {
                fresh.note(droppedNote(dropped) + "; reconnected");
            }
            return fresh;
        } catch (FtpException | RuntimeException e) {
            synchronized (s) {
                s.open--;
                s.opening--;
            }
            s.permits.release();
            if (e instanceof FtpException fe && ConnectionLimitReply.matches(fe.reply())) {
                throw lowerLimit(site, s, fe);
            }
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
        boolean renewed = give(session);
        slots(session.site()).work.release();
        if (renewed) {
            warm(session.site(), 1); // its successor logs in while the other workers go on
        }
    }

    private static String droppedNote(int dropped) {
        return dropped == 1 ? "the server closed the idle connection"
                : "the server closed " + dropped + " idle connections";
    }

    /** Whether somebody waits for a session of {@code site} (a work slot or a connection). */
    public boolean awaited(Site site) {
        SiteSlots s = slots(site);
        return s.work.hasQueuedThreads() || s.permits.hasQueuedThreads();
    }

    /** Whether {@code session} has sent enough commands to be renewed when it is given back ({@link #RENEW_AFTER_COMMANDS}). */
    public boolean dueForRenewal(FtpSession session) {
        return session.commandsSent() >= renewAfter;
    }

    /** Keeps a session for reuse or closes it; true when it was closed only for its age ({@link #RENEW_AFTER_COMMANDS}). */
    private boolean give(FtpSession session) {
        SiteSlots s = slots(session.site());
        boolean old = dueForRenewal(session);
        boolean keep = session.isConnected() && !closed && !old;
        synchronized (s) {
            if (keep) {
                s.idle.addFirst(new Idle(session, System.nanoTime()));
                s.notifyAll(); // a caller waiting for a warm-up login takes this one
            } else {
                s.open--;
            }
        }
        boolean renew = !keep && old && session.isConnected() && !closed;
        if (renew) {
            session.note("renewing this session after " + session.commandsSent() + " commands");
            Thread.ofPlatform().daemon().name("sitebridge-pool-quit").start(session::close); // QUIT: one round trip
        } else if (!keep) {
            session.close();
        } else if (!s.site.keepAlive().isZero()) {
            startKeepAlive();
        }
        s.permits.release();
        return renew;
    }

    private synchronized void startKeepAlive() {
        if (keepAliveTimer != null || closed) {
            return;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("sitebridge-pool-keepalive").unstarted(r));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timer.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_TICK_MILLIS, KEEP_ALIVE_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        keepAliveTimer = timer;
    }

    /**
     * One round of the keep-alive timer: a NOOP on every idle session that has been idle for its
     * site's interval, one at a time. The session is out of the idle deque and holds a connection
     * slot meanwhile, so nobody else uses it and the site's limit holds. A session the server dropped
     * is closed; the next use opens a fresh one.
     */
    private void keepAlive() {
        for (SiteSlots s : slots.values()) {
            long every = s.site.keepAlive().toNanos();
            while (every > 0 && !closed && s.permits.tryAcquire()) {
                Idle due = null;
                int generation;
                synchronized (s) {
                    long now = System.nanoTime();
                    for (Idle i : s.idle) {
                        if (now - i.since() >= every) {
                            due = i;
                            break;
                        }
                    }
                    if (due != null) {
                        s.idle.remove(due);
                    }
                    generation = s.generation;
                }
                if (due == null) {
                    s.permits.release();
                    break;
                }
                FtpSession session = due.session();
                if (answersNoop(session)) {
                    boolean stale;
                    synchronized (s) {
                        stale = s.generation != generation; // the user logged out meanwhile
                    }
                    if (stale) {
                        session.markBroken();
                    }
                    give(session);
                } else {
                    session.close();
                    synchronized (s) {
                        s.open--;
                    }
                    s.permits.release();
                    session.note(droppedNote(1) + "; the next use reconnects");
                }
            }
        }
    }

    /** After how many commands a work session is replaced by a fresh one ({@link #RENEW_AFTER_COMMANDS}; tests use fewer). */
    public void setRenewAfter(long commands) {
        if (commands < 1) {
            throw new IllegalArgumentException("commands must be at least 1");
        }
        renewAfter = commands;
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
     * {@link #warm(Site, int)} for both sides of transfers: {@code pairs} sessions to each site
     * ({@code null}: the local file system, nothing to log in). A copy within one site takes its
     * two sessions when it needs them: nothing is warmed for it.
     */
    public void warmPairs(Site source, Site destination, int pairs) {
        if (pairs <= 0 || source != null && destination != null && source.key().equals(destination.key())) {
            return;
        }
        for (Site s : new Site[] {source, destination}) {
            if (s != null) {
                warm(s, pairs);
            }
        }
    }

    /**
     * Makes sure {@code count} sessions to {@code site} are idle or logging in for whoever asks
     * next: opens the missing ones in the background, as far as free slots allow right now. Logins
     * (slow on some servers) then overlap with other work and with each other instead of delaying
     * the first file of each worker; callers that find no idle session wait for these logins
     * ({@link #take}) rather than start more.
     */
    public void warm(Site site, int count) {
        SiteSlots s = asked(site);
        int missing;
        synchronized (s) {
            missing = count - s.idle.size() - (s.warming - s.claims);
        }
        for (int i = 0; i < missing; i++) {
            if (closed || !s.work.tryAcquire()) {
                return;
            }
            if (!s.permits.tryAcquire()) {
                s.work.release();
                return;
            }
            synchronized (s) {
                s.warming++;
            }
            Thread.ofPlatform().daemon().name("sitebridge-pool-warm").start(() -> {
                try {
                    release(take(site, s, false));
                } catch (FtpException | RuntimeException e) {
                    s.work.release(); // take() gave back the permit; the worker that needs one will report
                } finally {
                    synchronized (s) {
                        s.warming--;
                        s.notifyAll(); // callers counting on this login re-count
                    }
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
        List<FtpSession> idle = new ArrayList<>();
        synchronized (s) {
            s.idle.forEach(i -> idle.add(i.session()));
            s.open -= idle.size();
            s.idle.clear();
            s.generation++;
        }
        for (FtpSession session : idle) {
            session.close();
        }
    }

    /**
     * Cuts off the logins under way (a server that accepted the connection and says nothing is not
     * waited for) and fails any started from now on: the first step of closing, taken before the
     * owner waits for its workers, which may be in such a login.
     */
    public void stopOpening() {
        openings.cutOff();
    }

    /** Closes idle sessions (QUIT) after {@link #stopOpening()}. Sessions in use are closed when given back. */
    @Override
    public void close() {
        closed = true;
        stopOpening();
        for (SiteSlots s : slots.values()) {
            synchronized (s) {
                s.notifyAll(); // nobody waits for a warm-up login any more
            }
        }
        synchronized (this) {
            if (keepAliveTimer != null) {
                keepAliveTimer.shutdown();
            }
        }
        List<FtpSession> all = new ArrayList<>();
        for (SiteSlots s : slots.values()) {
            synchronized (s) {
                s.idle.forEach(i -> all.add(i.session()));
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
