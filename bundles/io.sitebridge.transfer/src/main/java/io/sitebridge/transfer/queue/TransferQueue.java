package io.sitebridge.transfer.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.transfer.StrategyMemory;

/**
 * The transfer queue: files and folders to copy from one side to another (site to site by FXP or
 * relay, local to site, site to local), worked through by up to {@link QueueOptions#parallel()}
 * workers on pooled, logged-in control connections. Every file goes through the one pipeline,
 * {@link io.sitebridge.transfer.engine.FileTransfer}. Plain Java (no UI); the CLI runs it and the
 * UI observes it.
 *
 * <p>Every change is saved in the state folder before it takes effect on a server (see
 * {@link QueueStore}), and {@link #open} reloads the queue: after a crash nothing is lost, files
 * that were done are not sent again, and a file that was running is checked at the destination
 * and then found complete, resumed (REST) or restarted.
 *
 * <p>Folders are expanded by a {@link FolderWalk} when their turn comes. Transient failures (4xx,
 * timeouts, dropped connections, a stall, an incomplete destination) are retried with backoff,
 * resuming what the failed attempt wrote; permanent ones fail the item and the queue goes on
 * ({@link Failures}).
 *
 * <p>Thread-safe. Listeners run on the queue's event thread ({@link QueueListener}).
 */
public final class TransferQueue implements AutoCloseable {
    private final QueueOptions options;
    private final SessionPool pool;
    private final ProgressMonitor monitor;
    private final EventHub events = new EventHub();
    private final QueueBook book;
    private final ItemPlaces places;
    private final Conflicts conflicts;
    private final Failures failures;
    private final FileRun files;
    private final FolderWalk folders;
    private final StrategyMemory memory;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopping;

    private TransferQueue(Path stateFolder, SiteDirectory directory, QueueOptions options, SessionPool pool,
            StrategyMemory memory) throws IOException {
        this.options = options;
        this.memory = memory;
        this.book = new QueueBook(stateFolder, events);
        this.pool = pool;
        this.monitor = new ProgressMonitor(pool, options.pollInterval(), options.stallTimeout());
        this.places = new ItemPlaces(directory, pool);
        this.conflicts = new Conflicts(book, options);
        this.failures = new Failures(book, options, () -> stopping);
        this.files = new FileRun(book, places, options, memory, monitor, conflicts, failures, events);
        this.folders = new FolderWalk(book, places, options, failures, memory);
    }

    /**
     * Opens (or creates) the queue kept in {@code stateFolder}. Call {@link #start()} to begin
     * transferring.
     */
    public static TransferQueue open(Path stateFolder, SiteDirectory sites, QueueOptions options,
            ControlDialogue dialogue, StrategyMemory memory) throws IOException {
        return open(stateFolder, sites, options, new SessionPool(dialogue, options.verifyCertificates()), memory);
    }

    /**
     * As {@link #open(Path, SiteDirectory, QueueOptions, ControlDialogue, StrategyMemory)}, on a pool
     * the caller made (and may have {@link SessionPool#warm warmed}, so that logins run while the
     * queue is read from disk). The queue owns the pool from here on: it closes it, also when
     * opening fails.
     */
    public static TransferQueue open(Path stateFolder, SiteDirectory sites, QueueOptions options, SessionPool pool,
            StrategyMemory memory) throws IOException {
        try {
            return new TransferQueue(stateFolder, sites, options, pool, memory);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    public static TransferQueue open(Path stateFolder, SiteDirectory sites, QueueOptions options) throws IOException {
        return open(stateFolder, sites, options, ControlDialogue.global(), StrategyMemory.global());
    }

    public QueueOptions options() { return options; }

    /** The pool of control connections (shared by all workers). */
    public SessionPool sessions() { return pool; }

    /** What worked per pair of sites, and the pairs allowed clear FXP data. */
    public StrategyMemory strategies() { return memory; }

    // ---- observing ------------------------------------------------------------------------------------

    public void addListener(QueueListener l) { events.add(l); }

    public void removeListener(QueueListener l) { events.remove(l); }

    /** Who answers ASK conflicts (the UI's dialog); null applies the default rule. */
    public void setConflictResolver(ConflictResolver r) { conflicts.setResolver(r); }

    /** All items, oldest first: a consistent snapshot, safe to keep. */
    public List<QueueItem> items() { return book.items(); }

    public Optional<QueueItem> item(long id) { return book.item(id); }

    /** The files and links a folder item was expanded into. */
    public List<QueueItem> children(long folderId) { return book.children(folderId); }

    /** Waits until no item is waiting or running; false if the timeout passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return book.awaitIdle(timeout, this::runnable);
    }

    /** Waits until the item (a folder: with all its files) is finished; false if the timeout passed first. */
    public boolean awaitFinished(long id, Duration timeout) throws InterruptedException {
        return book.awaitFinished(id, timeout);
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
        return add(source, sourcePath, destination, destinationPath, folder, -1, false, rule);
    }

    /**
     * Queues one file of a mirror, whose size its comparison gave: the copy keeps its source's time
     * ({@link QueueItem#keepTimes()}, whatever the queue's options say), says so in its reason when
     * the source has another size by then, and fails when the source changes during it.
     */
    public QueueItem addFile(Endpoint source, String sourcePath, Endpoint destination, String destinationPath,
            long listedSize, ConflictRule rule) {
        return add(source, sourcePath, destination, destinationPath, false, listedSize, true, rule);
    }

    private QueueItem add(Endpoint source, String sourcePath, Endpoint destination, String destinationPath,
            boolean folder, long size, boolean keepTimes, ConflictRule rule) {
        if (source instanceof Endpoint.Local && destination instanceof Endpoint.Local) {
            throw new IllegalArgumentException("both sides are local: nothing for the queue to transfer");
        }
        for (Endpoint e : new Endpoint[] {source, destination}) {
            if (e instanceof Endpoint.Remote r) {
                places.remember(r.site());
            }
        }
        long now = System.currentTimeMillis();
        return book.add(id -> {
            QueueItem i = QueueItem.transfer(id, folder, source.key(), trimSlash(sourcePath), destination.key(),
                    trimSlash(destinationPath), rule == null ? options.defaultRule() : rule, now);
            QueueItem sized = size >= 0 ? i.withSize(size) : i;
            return keepTimes ? sized.keepingTimes() : sized;
        });
    }

    /** Cancels waiting and running items (a folder: all its unfinished files). */
    public void cancel(Collection<Long> ids) {
        for (long id : book.withDescendants(List.copyOf(ids))) {
            QueueItem i = book.item(id).orElse(null);
            if (i == null || i.state().isFinished()) {
                continue;
            }
            failures.requestCancel(id);
            if (!files.cancel(id)) {
                book.cancelUnlessRunning(id); // a running one ends as cancelled when its worker sees the request
            }
        }
    }

    /** Puts failed and cancelled items (a folder: its failed files) back in the queue. */
    public void retry(Collection<Long> ids) {
        // Forgotten first: a worker may take an item the moment it waits again.
        book.withDescendants(List.copyOf(ids)).forEach(failures::forgetCancel);
        book.retry(List.copyOf(ids));
    }

    /** Removes items (with their files); running ones are cancelled first. */
    public void remove(Collection<Long> ids) {
        cancel(ids);
        book.remove(List.copyOf(ids), files::isRunning);
    }

    /**
     * Fails the waiting items whose source or destination is a site the {@link SiteDirectory} no
     * longer knows (an earlier run's demo server, a removed site), so they do not wait silently
     * forever; {@link #retry} puts them back once the site is there again.
     *
     * @param reason the failure reason for an unknown site's key
     * @return the items failed
     */
    public List<QueueItem> failUnknownSites(Function<String, String> reason) {
        return book.failWaiting(i -> !places.reachable(i.sourceSite()) ? reason.apply(i.sourceSite())
                : !places.reachable(i.destinationSite()) ? reason.apply(i.destinationSite()) : null);
    }

    /** Removes top-level items that are finished, with their files: the history is cleared. */
    public void clearFinished() {
        remove(book.finishedTopLevel());
    }

    // ---- running --------------------------------------------------------------------------------------

    /** Starts the workers (once); items are transferred as they come. */
    public void start() {
        synchronized (workers) {
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

    /** Stops the workers after stopping running transfers (they stay in the queue, to run next time). */
    @Override
    public void close() {
        List<Thread> ws;
        synchronized (workers) {
            stopping = true;
            ws = List.copyOf(workers);
            workers.clear();
        }
        book.wake();
        files.stopAll();
        pool.stopOpening(); // a worker logging in to a mute server ends now, not at its connect timeout
        for (Thread t : ws) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        monitor.close();
        pool.close();
        book.close();
        try {
            events.flush(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }

    /** An item whose sites this process knows (another run's sites wait for a run that does). */
    private boolean runnable(QueueItem i) {
        return places.reachable(i.sourceSite()) && places.reachable(i.destinationSite());
    }

    private void work() {
        // This worker's copies whose sizes one listing of their folder checks (see SizeChecks): checked
        // before it takes anything else, before it would wait for work, and before it ends.
        SizeChecks checks = new SizeChecks(book, places, failures);
        try {
            while (true) {
                QueueItem item;
                try {
                    item = checks.isEmpty() ? book.next(() -> stopping, this::runnable)
                            : book.poll(() -> stopping, this::runnable);
                } catch (InterruptedException e) {
                    return;
                }
                if (item == null) {
                    if (checks.isEmpty() || stopping) {
                        return;
                    }
                    checks.check();
                    continue;
                }
                try {
                    if (!checks.joins(item)) {
                        checks.check();
                    }
                    if (item.kind() == QueueItem.Kind.FOLDER) {
                        folders.expand(item);
                    } else {
                        files.run(item, checks);
                    }
                } catch (RuntimeException | Error e) {
                    book.finish(item.id(), ItemState.FAILED, "internal error: " + e);
                } finally {
                    book.done();
                }
            }
        } finally {
            try {
                checks.check();
            } catch (RuntimeException e) {
                // the items stay running and claimed: the next run checks each file at the destination
            }
        }
    }

    private static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
