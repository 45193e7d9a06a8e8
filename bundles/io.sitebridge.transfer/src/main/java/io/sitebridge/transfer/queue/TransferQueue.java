package io.sitebridge.transfer.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;

/**
 * The transfer queue: files and folders to copy from one site to another, worked through by up
 * to {@link QueueOptions#parallel()} workers, each on its own pair of pooled, logged-in control
 * connections. Plain Java (no UI); the CLI runs it and the UI observes it.
 *
 * <p>Every change is saved in the state folder before it takes effect on a server (see
 * {@link QueueStore}), and {@link #open} reloads the queue: after a crash nothing is lost, files
 * that were done are not sent again, and a file that was running is checked at the destination
 * and then found complete, resumed (REST) or restarted.
 *
 * <p>Folders are listed recursively (MLSD or LIST) when their turn comes; folders are created on
 * the destination (MKD, empty ones too), files queued as children of the folder item, symbolic
 * links listed and skipped unless {@link QueueOptions#followLinks()}. Transient failures (4xx,
 * timeouts, dropped connections, a stall, an incomplete destination) are retried with backoff,
 * resuming from the destination's size; permanent ones fail the item and the queue goes on.
 *
 * <p>Thread-safe. Listeners run on the queue's event thread ({@link QueueListener}).
 */
public final class TransferQueue implements AutoCloseable {
    private final QueueOptions options;
    private final SiteDirectory directory;
    private final Map<String, Site> knownSites = new ConcurrentHashMap<>();
    private final ControlDialogue dialogue;
    private final StrategyMemory memory;
    private final QueueStore store;
    private final SessionPool pool;
    private final ProgressMonitor monitor;
    private final EventHub events = new EventHub();
    private final LocalCopier local = new LocalCopier(this);

    private final Object lock = new Object();
    private final LinkedHashMap<Long, QueueItem> items;
    private final Map<Long, List<Long>> children = new HashMap<>();
    private final Set<Long> awaitingDecision = new HashSet<>();
    /** Ids of WAITING items in queue order (ids grow as items are added): next() needs no scan of finished ones. */
    private final java.util.TreeSet<Long> waiting = new java.util.TreeSet<>();
    /** Per folder: how many of its children are not finished yet, so a folder's end costs O(1) per file. */
    private final Map<Long, Integer> unfinishedChildren = new HashMap<>();
    private final Map<Long, FileCopier> runningCopiers = new ConcurrentHashMap<>();
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();
    /**
     * Who waits in {@link #awaitFinished}: woken when that item ends, not by every change of the
     * queue (a waiter on {@link #lock} would be woken and fight the workers for it a few times
     * per file). Guarded by the lock.
     */
    private final Map<Long, java.util.concurrent.CountDownLatch> finishWaiters = new HashMap<>();
    private long nextId;
    private volatile ConflictResolver resolver;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;
    private int busyWorkers;

    private TransferQueue(Path stateFolder, SiteDirectory directory, QueueOptions options, ControlDialogue dialogue,
            StrategyMemory memory) throws IOException {
        this.options = options;
        this.directory = directory;
        this.dialogue = dialogue;
        this.memory = memory;
        this.store = new QueueStore(stateFolder);
        this.items = new LinkedHashMap<>(store.load());
        for (QueueItem i : items.values()) {
            nextId = Math.max(nextId, i.id());
            if (i.parentId() != 0) {
                children.computeIfAbsent(i.parentId(), k -> new ArrayList<>()).add(i.id());
            }
        }
        recoverAfterRestart();
        store.compact(items.values()); // a fresh journal: a line cut short by a crash never meets a new one
        this.pool = new SessionPool(dialogue, options.verifyCertificates());
        this.monitor = new ProgressMonitor(pool, options.pollInterval(), options.stallTimeout());
    }

    /**
     * Opens (or creates) the queue kept in {@code stateFolder}. Call {@link #start()} to begin
     * transferring.
     */
    public static TransferQueue open(Path stateFolder, SiteDirectory sites, QueueOptions options,
            ControlDialogue dialogue, StrategyMemory memory) throws IOException {
        return new TransferQueue(stateFolder, sites, options, dialogue, memory);
    }

    public static TransferQueue open(Path stateFolder, SiteDirectory sites, QueueOptions options) throws IOException {
        return open(stateFolder, sites, options, ControlDialogue.global(), StrategyMemory.global());
    }

    /** Items that were running when the process ended: they run again, checking the destination first. */
    private void recoverAfterRestart() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Long, QueueItem> e : items.entrySet()) {
            QueueItem i = e.getValue();
            if (i.state() != ItemState.RUNNING) {
                continue;
            }
            if (i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
                continue; // its files carry on; it finishes with them
            }
            e.setValue(i.with(ItemState.WAITING, "interrupted: " + (i.claimed()
                    ? "the destination is checked, then resumed or restarted" : "starts again")).withAttempts(
                            i.attempts(), now));
        }
        for (QueueItem i : items.values()) {
            index(null, i);
        }
        // A folder whose files all finished while we were down finishes now.
        for (QueueItem i : List.copyOf(items.values())) {
            if (i.kind() == QueueItem.Kind.FOLDER && i.state() == ItemState.RUNNING) {
                finishFolderIfComplete(i.id(), false);
            }
        }
    }

    public QueueOptions options() { return options; }

    /** The pool of control connections (shared by all workers). */
    public SessionPool sessions() { return pool; }

    // ---- observing ------------------------------------------------------------------------------------

    public void addListener(QueueListener l) { events.add(l); }

    public void removeListener(QueueListener l) { events.remove(l); }

    /** Who answers ASK conflicts (the UI's dialog); null applies the default rule. */
    public void setConflictResolver(ConflictResolver r) { this.resolver = r; }

    /** All items, oldest first: a consistent snapshot, safe to keep. */
    public List<QueueItem> items() {
        synchronized (lock) {
            return List.copyOf(items.values());
        }
    }

    public Optional<QueueItem> item(long id) {
        synchronized (lock) {
            return Optional.ofNullable(items.get(id));
        }
    }

    /** The files and links a folder item was expanded into. */
    public List<QueueItem> children(long folderId) {
        synchronized (lock) {
            List<QueueItem> out = new ArrayList<>();
            for (long c : children.getOrDefault(folderId, List.of())) {
                QueueItem i = items.get(c);
                if (i != null) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    /** Waits until no item is waiting or running; false if the timeout passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!isIdle()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.min(left, 200));
            }
        }
        events.flush(2000);
        return true;
    }

    /** Waits until the item (a folder: with all its files) is finished; false if the timeout passed first. */
    public boolean awaitFinished(long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            java.util.concurrent.CountDownLatch ends;
            synchronized (lock) {
                QueueItem i = items.get(id);
                if (i == null || i.state().isFinished()) {
                    break;
                }
                ends = finishWaiters.computeIfAbsent(id, k -> new java.util.concurrent.CountDownLatch(1));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Counted down when the item ends; the bound only guards against an end this misses.
            ends.await(Math.min(left, 1_000_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        events.flush(2000);
        return true;
    }

    /** Wakes whoever awaits this item's end. Holding the lock. */
    private void ended(long id) {
        if (!finishWaiters.isEmpty()) {
            java.util.concurrent.CountDownLatch l = finishWaiters.remove(id);
            if (l != null) {
                l.countDown();
            }
        }
    }

    private boolean isIdle() {
        if (busyWorkers > 0) {
            return false;
        }
        for (QueueItem i : items.values()) {
            if (!i.state().isFinished() && known(i.sourceSite()) && known(i.destinationSite())) {
                return false;
            }
        }
        return true;
    }

    // ---- changing ----------------------------------------------------------------------------------

    /**
     * Queues a file or a folder (copied recursively). The sites are remembered for this run; after
     * a restart they are found through the {@link SiteDirectory}.
     *
     * @param rule what to do when a destination file exists; null: the queue's default
     */
    public QueueItem add(Site source, String sourcePath, Site destination, String destinationPath, boolean folder,
            ConflictRule rule) {
        return add(Endpoint.of(source), sourcePath, Endpoint.of(destination), destinationPath, folder, rule);
    }

    /**
     * Queues a transfer between any two endpoints: FXP between two sites, an upload from or a
     * download to the local file system ({@link Endpoint#local()}, absolute local paths).
     */
    public QueueItem add(Endpoint source, String sourcePath, Endpoint destination, String destinationPath,
            boolean folder, ConflictRule rule) {
        if (source instanceof Endpoint.Local && destination instanceof Endpoint.Local) {
            throw new IllegalArgumentException("both sides are local: nothing for the queue to transfer");
        }
        for (Endpoint e : new Endpoint[] {source, destination}) {
            if (e instanceof Endpoint.Remote r) {
                knownSites.put(r.key(), r.site());
            }
        }
        long now = System.currentTimeMillis();
        synchronized (lock) {
            QueueItem i = QueueItem.transfer(++nextId, folder, source.key(), trimSlash(sourcePath), destination.key(),
                    trimSlash(destinationPath), rule == null ? options.defaultRule() : rule, now);
            put(i, true);
            lock.notifyAll();
            return i;
        }
    }

    /** Cancels waiting and running items (a folder: all its unfinished files). */
    public void cancel(Collection<Long> ids) {
        List<FileCopier> toStop = new ArrayList<>();
        synchronized (lock) {
            Deque<Long> todo = new ArrayDeque<>(ids);
            while (!todo.isEmpty()) {
                long id = todo.pop();
                todo.addAll(children.getOrDefault(id, List.of()));
                QueueItem i = items.get(id);
                if (i == null || i.state().isFinished()) {
                    continue;
                }
                cancelRequested.add(id);
                FileCopier c = runningCopiers.get(id);
                if (c != null) {
                    toStop.add(c);
                } else if (local.cancel(id)) {
                    continue; // it ends as cancelled
                } else if (i.state() == ItemState.WAITING || i.kind() == QueueItem.Kind.FOLDER) {
                    awaitingDecision.remove(id);
                    put(i.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled"), false);
                }
            }
            lock.notifyAll();
        }
        toStop.forEach(FileCopier::cancel);
    }

    /** Puts failed and cancelled items (a folder: its failed files) back in the queue. */
    public void retry(Collection<Long> ids) {
        synchronized (lock) {
            for (long id : ids) {
                QueueItem i = items.get(id);
                if (i == null || !(i.state() == ItemState.FAILED || i.state() == ItemState.CANCELLED)) {
                    continue;
                }
                cancelRequested.remove(id);
                if (i.kind() == QueueItem.Kind.FOLDER && i.expanded()) {
                    for (long c : children.getOrDefault(id, List.of())) {
                        QueueItem ci = items.get(c);
                        if (ci != null && (ci.state() == ItemState.FAILED || ci.state() == ItemState.CANCELLED)) {
                            cancelRequested.remove(c);
                            put(ci.with(ItemState.WAITING, "retry").withAttempts(0, 0), false);
                        }
                    }
                    put(i.with(ItemState.RUNNING, "retrying failed files"), false);
                    finishFolderIfComplete(id, true);
                } else {
                    put(i.with(ItemState.WAITING, "retry").withAttempts(0, 0), false);
                }
            }
            lock.notifyAll();
        }
    }

    /** Removes items (with their files); running ones are cancelled first. */
    public void remove(Collection<Long> ids) {
        cancel(ids);
        synchronized (lock) {
            Deque<Long> todo = new ArrayDeque<>(ids);
            while (!todo.isEmpty()) {
                long id = todo.pop();
                todo.addAll(children.getOrDefault(id, List.of()));
                if (runningCopiers.containsKey(id)) {
                    continue; // it ends as cancelled; remove it then
                }
                QueueItem i = items.remove(id);
                ended(id);
                if (i != null) {
                    index(i, null);
                    children.remove(id);
                    store.remove(id);
                    events.removed(i);
                }
            }
            lock.notifyAll();
        }
    }

    /**
     * Fails the waiting items whose source or destination is a site the {@link SiteDirectory} no
     * longer knows (an earlier run's demo server, a removed site), so they do not wait silently
     * forever; {@link #retry} puts them back once the site is there again.
     *
     * @param reason the failure reason for an unknown site's key
     * @return the items failed
     */
    public List<QueueItem> failUnknownSites(java.util.function.Function<String, String> reason) {
        List<QueueItem> failed = new ArrayList<>();
        synchronized (lock) {
            for (long id : List.copyOf(waiting)) {
                QueueItem i = items.get(id);
                if (i == null || i.state() != ItemState.WAITING) {
                    continue;
                }
                String unknown = !known(i.sourceSite()) ? i.sourceSite()
                        : !known(i.destinationSite()) ? i.destinationSite() : null;
                if (unknown != null) {
                    finish(id, ItemState.FAILED, reason.apply(unknown));
                    failed.add(items.get(id));
                }
            }
        }
        return failed;
    }

    /** Removes top-level items that are finished, with their files: the history is cleared. */
    public void clearFinished() {
        List<Long> done = new ArrayList<>();
        synchronized (lock) {
            for (QueueItem i : items.values()) {
                if (i.parentId() == 0 && i.state().isFinished()) {
                    done.add(i.id());
                }
            }
        }
        remove(done);
    }

    // ---- running --------------------------------------------------------------------------------------

    /** Starts the workers (once); items are transferred as they come. */
    public void start() {
        synchronized (lock) {
            if (!workers.isEmpty()) {
                return;
            }
            stopping = false;
            for (int n = 0; n < options.parallel(); n++) {
                Thread t = new Thread(this::work, "sitebridge-queue-" + (n + 1));
                t.setDaemon(true);
                workers.add(t);
                t.start();
            }
        }
    }

    /** Stops the workers after cancelling running transfers (they stay in the queue, to run next time). */
    @Override
    public void close() {
        List<Thread> ws;
        synchronized (lock) {
            stopping = true;
            ws = List.copyOf(workers);
            workers.clear();
            lock.notifyAll();
        }
        runningCopiers.values().forEach(FileCopier::cancel);
        local.stopAll();
        for (Thread t : ws) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        monitor.close();
        pool.close();
        synchronized (lock) {
            store.compact(items.values());
            store.close();
        }
        try {
            events.flush(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        while (true) {
            QueueItem item;
            try {
                item = next();
            } catch (InterruptedException e) {
                return;
            }
            if (item == null) {
                return;
            }
            try {
                if (LocalCopier.handles(item)) {
                    local.run(item); // an upload or a download
                } else if (item.kind() == QueueItem.Kind.FOLDER) {
                    expand(item);
                } else {
                    runFile(item);
                }
            } catch (RuntimeException | Error e) {
                finish(item.id(), ItemState.FAILED, "internal error: " + e);
            } finally {
                synchronized (lock) {
                    busyWorkers--;
                    lock.notifyAll();
                }
            }
        }
    }

    /** The next item to work on, marked RUNNING; null when the queue stops. */
    private QueueItem next() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (stopping) {
                    return null;
                }
                long now = System.currentTimeMillis();
                long wake = Long.MAX_VALUE;
                for (java.util.Iterator<Long> it = waiting.iterator(); it.hasNext();) {
                    QueueItem i = items.get(it.next());
                    if (i == null || i.state() != ItemState.WAITING) {
                        it.remove();
                        continue;
                    }
                    if (awaitingDecision.contains(i.id())) {
                        continue;
                    }
                    if (!known(i.sourceSite()) || !known(i.destinationSite())) {
                        continue; // a site this process does not know (another run's): it waits for one that does
                    }
                    if (i.notBefore() > now) {
                        wake = Math.min(wake, i.notBefore());
                        continue;
                    }
                    QueueItem r = i.with(ItemState.RUNNING, i.kind() == QueueItem.Kind.FOLDER ? "listing" : "");
                    // A file's RUNNING is not journalled: after a crash an unclaimed running file starts again
                    // and a claimed one is checked at the destination, exactly as for a WAITING one. Its
                    // claim (before anything reaches the destination) and its end are journalled.
                    put(r, false, r.kind() != QueueItem.Kind.FILE);
                    busyWorkers++;
                    return r;
                }
                lock.wait(wake == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, wake - now)));
            }
        }
    }

    /** A site this process can reach, or the local file system. */
    private boolean known(String key) {
        return Endpoint.isLocal(key) || site(key) != null;
    }

    Site site(String key) {
        Site s = knownSites.get(key);
        if (s != null) {
            return s;
        }
        s = directory.find(key).orElse(null);
        if (s != null) {
            knownSites.put(key, s);
        }
        return s;
    }

    /**
     * A pooled session pair for the item's two sites; or null when there is none, the item then
     * failed (a site missing from the directory, which {@code unknownNote} explains further, or no
     * connection) or waiting again (interrupted).
     */
    private FtpSession[] acquirePair(QueueItem item, Site src, Site dst, String unknownNote) {
        if (src == null || dst == null) {
            finish(item.id(), ItemState.FAILED, "unknown site " + (src == null ? item.sourceSite()
                    : item.destinationSite()) + unknownNote);
            return null;
        }
        try {
            return pool.acquirePair(src, dst);
        } catch (FtpException e) {
            failed(item.id(), FileCopier.connection(e));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(item.id(), "interrupted");
            return null;
        }
    }

    // ---- files --------------------------------------------------------------------------------------

    private void runFile(QueueItem item) {
        Site src = site(item.sourceSite());
        Site dst = site(item.destinationSite());
        FtpSession[] pair = acquirePair(item, src, dst, " (not in the site list)");
        if (pair == null) {
            return;
        }
        FileCopier copier = new FileCopier(pair[0], pair[1], options.transfer(), memory);
        runningCopiers.put(item.id(), copier);
        try {
            if (cancelRequested.contains(item.id())) {
                copier.cancel();
            }
            attempt(item, copier, src, dst);
        } catch (AttemptFailure f) {
            failed(item.id(), f);
        } catch (RuntimeException e) {
            // e.g. commons-net tripping over a connection closed by a stall or a cancel: worth another try
            copier.source().markBroken();
            copier.destination().markBroken();
            failed(item.id(), AttemptFailure.transientFailure("unexpected: " + e));
        } finally {
            runningCopiers.remove(item.id());
            pool.release(copier.source());
            pool.release(copier.destination());
        }
    }

    private void attempt(QueueItem item, FileCopier c, Site src, Site dst) throws AttemptFailure {
        FtpSession s = c.source();
        FtpSession d = c.destination();
        String from = item.sourcePath();
        long size = item.size();
        try {
            if (size < 0 || item.attempts() > 0 || item.claimed()) {
                size = s.size(from);
                if (size < 0) {
                    FtpReply r = s.lastReply();
                    throw AttemptFailure.byCode(r.code() >= 400 ? r.code() : 550, src.name() + " has no file "
                            + from + " (SIZE: " + r.text() + ")");
                }
                if (size != item.size()) {
                    long fresh = size;
                    item = update(item.id(), i -> i.withSize(fresh));
                }
            }
            long offset = 0;
            if (item.claimed()) {
                // Ours from an earlier attempt or an earlier run: complete, resumable, or to restart.
                long have = d.size(item.destinationPath());
                boolean ambiguous = item.existingSize() == size; // an old file of the same length was there
                if (have == size && !ambiguous) {
                    String check = c.checkComplete(from, item.destinationPath(), size);
                    finish(item.id(), ItemState.DONE, "found complete at the destination, checked by " + check);
                    return;
                }
                if (have > 0 && have < size && canResume(s, d)) {
                    offset = have;
                }
            } else {
                long existing = item.existingSize();
                if (existing == -2) {
                    existing = d.size(item.destinationPath());
                }
                if (existing >= 0) {
                    ConflictRule rule = item.rule();
                    if (rule == ConflictRule.ASK) {
                        if (!ask(item, existing, d)) {
                            return; // it waits for the answer; this worker goes on with others
                        }
                        rule = options.defaultRule() == ConflictRule.ASK ? ConflictRule.SKIP : options.defaultRule();
                    }
                    switch (rule) {
                        case SKIP -> {
                            finish(item.id(), ItemState.SKIPPED, "exists at the destination (" + existing + " bytes)");
                            return;
                        }
                        case RESUME -> {
                            if (existing == size) {
                                String check = c.checkComplete(from, item.destinationPath(), size);
                                finish(item.id(), ItemState.DONE, "already complete at the destination, checked by "
                                        + check);
                                return;
                            }
                            if (existing < size && canResume(s, d)) {
                                offset = existing;
                            } else {
                                d.note(item.destinationPath() + ": cannot resume (" + (existing > size
                                        ? "the destination is larger" : "no REST") + "): overwriting");
                            }
                        }
                        case RENAME -> {
                            String fresh = uniqueName(d, item.destinationPath());
                            item = update(item.id(), i -> i.withDestination(fresh, -1));
                            existing = -1;
                        }
                        case NEWER -> {
                            if (existing == size && !sourceNewer(s, d, item)) {
                                finish(item.id(), ItemState.SKIPPED, "exists with the same size and is not older");
                                return;
                            }
                        }
                        default -> {
                            // OVERWRITE
                        }
                    }
                }
                long pre = existing;
                item = update(item.id(), i -> i.withClaim(i.destinationPath(), pre));
            }
            try (ProgressMonitor.Watch w = monitor.watch(item.id(), dst, item.destinationPath(), offset, size,
                    this::progress, () -> stalled(c))) {
                long itemId = item.id();
                long total = size;
                FileCopier.Outcome o = c.copy(from, item.destinationPath(), size, offset,
                        bytes -> progress(new Progress(itemId, bytes, total, 0, -1, 0)));
                finish(item.id(), ItemState.DONE, o.how() + ", checked by " + o.check());
            }
        } catch (FtpException e) {
            throw FileCopier.connection(e);
        }
    }

    private void stalled(FileCopier c) {
        c.stall("stalled: the destination did not grow for " + options.stallTimeout().toMillis() / 1000.0
                + " s; both sides aborted");
    }

    static boolean canResume(FtpSession s, FtpSession d) {
        return s.hasFeature("REST") && d.hasFeature("REST");
    }

    private static boolean sourceNewer(FtpSession s, FtpSession d, QueueItem item) throws FtpException {
        Instant a = s.modified(item.sourcePath());
        Instant b = d.modified(item.destinationPath());
        return a == null || b == null || a.isAfter(b);
    }

    /** {@code name (1).ext}, {@code name (2).ext}, ... : the first that does not exist. */
    static String uniqueName(FtpSession d, String path) throws FtpException {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; n < 10_000; n++) {
            String candidate = dir + base + " (" + n + ")" + ext;
            if (d.size(candidate) < 0) {
                return candidate;
            }
        }
        throw new FtpException(d.site().name(), "no free name for " + path, (FtpReply) null);
    }

    /** Asks the resolver; true when there is none (apply the default now). */
    private boolean ask(QueueItem item, long existing, FtpSession d) throws FtpException {
        ConflictResolver r = resolver;
        if (r == null) {
            return true;
        }
        Instant mod = d.modified(item.destinationPath());
        return askAbout(item, existing, mod == null ? -1 : mod.toEpochMilli());
    }

    /** As {@link #ask}, with the destination's modification time known (epoch ms, -1 unknown). */
    boolean askAbout(QueueItem item, long existing, long modifiedMillis) {
        ConflictResolver r = resolver;
        if (r == null) {
            return true;
        }
        long id = item.id();
        synchronized (lock) {
            awaitingDecision.add(id);
            put(items.get(id).with(ItemState.WAITING, "waiting for a decision: the destination exists ("
                    + existing + " bytes)"), false);
        }
        CompletionStage<ConflictRule> answer;
        try {
            answer = r.decide(item, new ConflictResolver.ExistingFile(item.destinationPath(), existing,
                    modifiedMillis));
        } catch (RuntimeException e) {
            answer = java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        answer.whenComplete((rule, error) -> {
            ConflictRule chosen = rule == null || rule == ConflictRule.ASK || error != null
                    ? (options.defaultRule() == ConflictRule.ASK ? ConflictRule.SKIP : options.defaultRule()) : rule;
            synchronized (lock) {
                awaitingDecision.remove(id);
                QueueItem now = items.get(id);
                if (now != null && now.state() == ItemState.WAITING) {
                    put(now.withRule(chosen).with(ItemState.WAITING, "decided: " + chosen.name().toLowerCase()),
                            false);
                }
                lock.notifyAll();
            }
        });
        return false;
    }

    void progress(Progress p) {
        synchronized (lock) {
            QueueItem i = items.get(p.itemId());
            if (i != null && i.state() == ItemState.RUNNING) {
                items.put(i.id(), i.withBytes(p.bytes())); // in memory only: progress is not worth a disk write
            }
        }
        events.progress(p);
    }

    void failed(long id, AttemptFailure f) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            if (f.kind == AttemptFailure.Kind.CANCELLED || cancelRequested.contains(id)) {
                put(i.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled"), false);
                afterFinish(i);
            } else if (f.kind == AttemptFailure.Kind.PERMANENT || i.attempts() + 1 >= options.maxAttempts()) {
                put(i.withAttempts(i.attempts() + 1, 0).failed(ItemState.FAILED, f.problem, f.getMessage()), false);
                afterFinish(i);
            } else {
                int n = i.attempts() + 1;
                Duration wait = options.backoff(n);
                put(i.withAttempts(n, System.currentTimeMillis() + wait.toMillis()).with(ItemState.WAITING,
                        "attempt " + n + " failed, retrying in " + wait.toMillis() / 1000.0 + " s: " + f.getMessage()),
                        false);
            }
            lock.notifyAll();
        }
    }

    void requeue(long id, String why) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i != null) {
                put(i.with(ItemState.WAITING, why), false);
            }
            lock.notifyAll();
        }
    }

    void finish(long id, ItemState state, String reason) {
        synchronized (lock) {
            QueueItem i = items.get(id);
            if (i == null) {
                return;
            }
            QueueItem f = i.with(state, reason);
            if (state == ItemState.DONE && f.size() >= 0) {
                f = f.withBytes(f.size());
            }
            put(f, false);
            afterFinish(f);
            lock.notifyAll();
        }
    }

    private void afterFinish(QueueItem i) {
        if (i.parentId() != 0) {
            finishFolderIfComplete(i.parentId(), true);
        }
    }

    /** A folder is done when all its files are; failed when any failed. Call holding the lock. */
    private void finishFolderIfComplete(long folderId, boolean save) {
        QueueItem f = items.get(folderId);
        if (f == null || f.state() != ItemState.RUNNING || !f.expanded()
                || unfinishedChildren.getOrDefault(folderId, 0) > 0) {
            return;
        }
        int failed = 0;
        int cancelled = 0;
        int done = 0;
        int skipped = 0;
        long bytes = 0;
        for (long c : children.getOrDefault(folderId, List.of())) {
            QueueItem i = items.get(c);
            if (i == null) {
                continue;
            }
            switch (i.state()) {
                case DONE -> {
                    done++;
                    bytes += Math.max(0, i.size());
                }
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                case SKIPPED -> skipped++;
                default -> {
                    return; // still going
                }
            }
        }
        String summary = done + " done, " + skipped + " skipped" + (failed > 0 ? ", " + failed + " failed" : "")
                + (cancelled > 0 ? ", " + cancelled + " cancelled" : "");
        ItemState s = failed > 0 ? ItemState.FAILED : cancelled > 0 && done == 0 ? ItemState.CANCELLED : ItemState.DONE;
        QueueItem n = f.with(s, summary).withBytes(bytes);
        if (save) {
            put(n, false);
        } else {
            index(items.put(n.id(), n), n);
        }
    }

    // ---- folders -------------------------------------------------------------------------------------

    private void expand(QueueItem folder) {
        Site src = site(folder.sourceSite());
        Site dst = site(folder.destinationSite());
        FtpSession[] pair = acquirePair(folder, src, dst, "");
        if (pair == null) {
            return;
        }
        FtpSession s = pair[0];
        FtpSession d = pair[1];
        // The other workers will want their own pairs as soon as files appear: log them in meanwhile.
        int others = options.parallel() - 1;
        if (!src.key().equals(dst.key())) {
            pool.warm(src, others);
            pool.warm(dst, others);
        }
        try {
            Set<String> known = new HashSet<>();
            for (QueueItem c : children(folder.id())) {
                known.add(c.destinationPath()); // queued before a crash: not twice
                known.add(c.sourcePath());
            }
            Deque<String[]> todo = new ArrayDeque<>();
            todo.add(new String[] {folder.sourcePath(), folder.destinationPath()});
            int folders = 0;
            int files = 0;
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                if (cancelRequested.contains(folder.id()) || stopping) {
                    break;
                }
                String[] next = todo.pollFirst();
                if (!seen.add(next[0])) {
                    continue; // a link loop
                }
                Map<String, RemoteEntry> there;
                List<RemoteEntry> entries;
                try {
                    there = ensureFolder(d, next[1]);
                    entries = s.list(next[0]);
                } catch (FtpException e) {
                    if (e.reply() == null || todo.isEmpty() && folders == 0) {
                        throw e; // a dropped connection (retried), or the folder itself
                    }
                    // One subfolder refused (permissions, ...): it fails, the rest goes on.
                    if (!known.contains(next[0])) {
                        long now = System.currentTimeMillis();
                        addChildren(folder.id(), List.of(QueueItem.failedFolder(folder, next[0], next[1],
                                e.getMessage(), now)));
                    }
                    continue;
                }
                folders++;
                List<QueueItem> add = new ArrayList<>();
                long now = System.currentTimeMillis();
                for (RemoteEntry e : entries) {
                    String sp = join(next[0], e.name());
                    String dp = join(next[1], e.name());
                    EntryType type = e.type();
                    if (type == EntryType.LINK && options.followLinks()) {
                        type = linkTarget(s, sp);
                    }
                    switch (type) {
                        case DIRECTORY -> todo.add(new String[] {sp, dp});
                        case FILE, LINK -> {
                            files++;
                            if (known.contains(sp)) {
                                continue;
                            }
                            boolean link = type == EntryType.LINK;
                            RemoteEntry ex = there.get(e.name());
                            long existing = ex == null ? -1 : ex.size() >= 0 && ex.isFile() ? ex.size() : -2;
                            add.add(link ? QueueItem.skippedLink(folder, sp, dp, "symbolic link"
                                    + (e.linkTarget() == null ? "" : " to " + e.linkTarget()) + ": not followed", now)
                                    : QueueItem.child(folder, sp, dp, e.size() < 0 ? -1 : e.size(),
                                            e.modified() == null ? -1 : e.modified().toEpochMilli(), existing, now));
                        }
                        default -> {
                            // devices, pipes: nothing to copy
                        }
                    }
                }
                addChildren(folder.id(), add);
            }
            synchronized (lock) {
                QueueItem f = items.get(folder.id());
                if (f == null) {
                    return;
                }
                if (cancelRequested.contains(folder.id())) {
                    put(f.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled"), false);
                    return;
                }
                if (stopping) {
                    return; // listed again next time
                }
                put(f.withExpanded(true).with(ItemState.RUNNING, files + " files in " + folders + " folders"), false);
                finishFolderIfComplete(folder.id(), true);
                lock.notifyAll();
            }
        } catch (FtpException e) {
            failed(folder.id(), FileCopier.connection(e));
        } finally {
            pool.release(s);
            pool.release(d);
        }
    }

    void addChildren(long folderId, List<QueueItem> add) {
        if (add.isEmpty()) {
            return;
        }
        synchronized (lock) {
            List<QueueItem> made = new ArrayList<>(add.size());
            List<Long> kids = children.computeIfAbsent(folderId, k -> new ArrayList<>());
            for (QueueItem c : add) {
                QueueItem i = c.withId(++nextId);
                kids.add(i.id());
                made.add(i);
            }
            store.putAll(made); // one write for the folder's files: journalled before any of them runs
            for (QueueItem i : made) {
                put(i, true, false);
            }
            lock.notifyAll();
        }
    }

    /** Creates the folder (MKD); if it is there already, returns what it holds, by name. */
    static Map<String, RemoteEntry> ensureFolder(FtpSession d, String path) throws FtpException {
        if (path.equals("/") || path.isEmpty()) {
            return byName(d.list("/"));
        }
        FtpReply r = d.execute("MKD " + path);
        if (r.isPositive()) {
            return Map.of();
        }
        try {
            return byName(d.list(path));
        } catch (FtpException e) {
            throw new FtpException(d.site().name(), d.site().name() + " cannot create folder " + path + ": " + r.text(),
                    r);
        }
    }

    private static Map<String, RemoteEntry> byName(List<RemoteEntry> entries) {
        Map<String, RemoteEntry> m = new HashMap<>();
        for (RemoteEntry e : entries) {
            m.put(e.name(), e);
        }
        return m;
    }

    /** What a symbolic link points to, when links are followed: a folder if it lists as one, else a file. */
    private static EntryType linkTarget(FtpSession s, String path) throws FtpException {
        return s.size(path) >= 0 ? EntryType.FILE : EntryType.DIRECTORY;
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    // ---- for LocalCopier ------------------------------------------------------------------------------

    /** The item should stop: the user cancelled it or the queue is closing. */
    boolean stopRequested(long id) {
        return stopping || cancelRequested.contains(id);
    }

    boolean stopping() { return stopping; }

    /** The files of a folder item were queued: it runs until they finish (as at the end of {@link #expand}). */
    void expanded(long folderId, String summary) {
        synchronized (lock) {
            QueueItem f = items.get(folderId);
            if (f == null) {
                return;
            }
            if (cancelRequested.contains(folderId)) {
                put(f.failed(ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled"), false);
                return;
            }
            put(f.withExpanded(true).with(ItemState.RUNNING, summary), false);
            finishFolderIfComplete(folderId, true);
            lock.notifyAll();
        }
    }

    // ---- bookkeeping -------------------------------------------------------------------------------

    /** Stores and announces an item's new state. Call holding the lock. */
    private void put(QueueItem i, boolean added) {
        put(i, added, true);
    }

    /** As {@link #put(QueueItem, boolean)}; {@code persist} false: already journalled, or not worth it (see next()). */
    private void put(QueueItem i, boolean added, boolean persist) {
        if (persist) {
            store.put(i);
        }
        index(items.put(i.id(), i), i);
        if (i.state().isFinished()) {
            ended(i.id());
        }
        if (added) {
            events.added(i);
        } else {
            events.changed(i);
        }
        if (store.wantsCompaction(items.size())) {
            store.compact(items.values());
        }
    }

    /** Keeps {@link #waiting} and {@link #unfinishedChildren} in step with a change of the item map. Holding the lock. */
    private void index(QueueItem before, QueueItem after) {
        if (after != null && after.state() == ItemState.WAITING) {
            waiting.add(after.id());
        } else if (before != null && before.state() == ItemState.WAITING) {
            waiting.remove(before.id());
        }
        QueueItem any = after != null ? after : before;
        if (any.parentId() != 0) {
            int d = (after != null && !after.state().isFinished() ? 1 : 0)
                    - (before != null && !before.state().isFinished() ? 1 : 0);
            if (d != 0) {
                unfinishedChildren.merge(any.parentId(), d, Integer::sum);
            }
        }
    }

    QueueItem update(long id, java.util.function.UnaryOperator<QueueItem> change) {
        synchronized (lock) {
            QueueItem n = change.apply(items.get(id));
            put(n, false);
            return n;
        }
    }
}
