package io.sitebridge.ui.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.FxpTransfer;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.TransferResult;
import io.sitebridge.ui.browse.Endpoint;
import io.sitebridge.ui.browse.LocalFiles;
import io.sitebridge.ui.browse.Paths;

/** Runs one queue item on a worker thread with the worker's sessions. */
final class ItemRunner {

    static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("Cancelled");
        }
    }

    private static final String SRC = "src";
    private static final String DST = "dst";
    private static final long PROGRESS_INTERVAL_NANOS = 200_000_000L;

    private final UiTransferQueue queue;
    private final SessionPool pool;
    private final Supplier<TransferOptions> options;
    private long lastProgressFired;

    ItemRunner(UiTransferQueue queue, SessionPool pool, Supplier<TransferOptions> options) {
        this.queue = queue;
        this.pool = pool;
        this.options = options;
    }

    void run(QueueItem item) throws Exception {
        if (item.isFolder()) {
            expandFolder(item);
        } else {
            copyFile(item);
        }
    }

    // ---- folders: create the destination folder, queue the children right after

    private void expandFolder(QueueItem item) throws Exception {
        Endpoint from = item.from();
        Endpoint to = item.to();
        List<RemoteEntry> children = from.isLocal() ? new LocalFiles().list(from.path())
                : pool.get(SRC, from.site()).list(from.path());
        makeFolder(to);
        List<TransferRequest> requests = new ArrayList<>();
        int files = 0;
        int folders = 0;
        int links = 0;
        for (RemoteEntry e : children) {
            if (e.name().equals(".") || e.name().equals("..")) {
                continue;
            }
            if (e.isLink()) {
                links++; // links are listed, not followed
                continue;
            }
            if (!e.isDirectory() && !e.isFile()) {
                continue;
            }
            requests.add(new TransferRequest(from.child(e.name()), to.child(e.name()), e.isDirectory(),
                    e.isDirectory() ? -1 : e.size()));
            if (e.isDirectory()) {
                folders++;
            } else {
                files++;
            }
        }
        queue.insertAfter(item, requests);
        item.detail = "Folder created; queued " + files + " file(s), " + folders + " folder(s)"
                + (links > 0 ? "; " + links + " link(s) not followed" : "");
    }

    private void makeFolder(Endpoint to) throws Exception {
        if (to.isLocal()) {
            Files.createDirectories(Path.of(to.path()));
            return;
        }
        FtpSession dst = pool.get(DST, to.site());
        try {
            dst.mkdir(to.path());
        } catch (FtpException e) {
            // 550 "exists" is fine: merge into it. Anything else shows when listing fails.
            dst.list(to.path());
        }
    }

    // ---- files

    private void copyFile(QueueItem item) throws Exception {
        long existing = existingSize(item.to());
        long offset = 0;
        if (existing >= 0) {
            ConflictChoice choice = queue.resolveConflict(item, existing);
            switch (choice) {
                case SKIP -> {
                    item.state = QueueState.SKIPPED;
                    item.detail = "Destination exists (" + Paths.humanSize(existing) + "); skipped";
                    return;
                }
                case RENAME -> item.retarget(item.to().withPath(Paths.child(item.to().parent(),
                        Paths.uniqueName(item.to().name(), namesIn(item.to())))));
                case RESUME -> offset = item.kind() == QueueItem.Kind.FXP ? 0 : existing;
                default -> {
                    // overwrite
                }
            }
            if (choice == ConflictChoice.RESUME && item.kind() == QueueItem.Kind.FXP) {
                item.detail = "FXP resume is not offered by the engine yet: restarted";
            }
        }
        checkCancel(item);
        if (existing >= 0) {
            item.startedNanos = System.nanoTime(); // the rate should not count the time the prompt was open
        }
        switch (item.kind()) {
            case FXP -> fxp(item);
            case UPLOAD -> upload(item, offset);
            case DOWNLOAD -> download(item, offset);
            case LOCAL -> localCopy(item);
        }
    }

    private long existingSize(Endpoint to) throws Exception {
        if (to.isLocal()) {
            Path p = Path.of(to.path());
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        }
        return pool.get(DST, to.site()).size(to.path());
    }

    private Set<String> namesIn(Endpoint to) throws Exception {
        Set<String> names = new HashSet<>();
        List<RemoteEntry> entries = to.isLocal() ? new LocalFiles().list(to.parent())
                : pool.get(DST, to.site()).list(to.parent());
        for (RemoteEntry e : entries) {
            names.add(e.name());
        }
        return names;
    }

    private void fxp(QueueItem item) throws Exception {
        FtpSession src = pool.get(SRC, item.from().site());
        FtpSession dst = pool.get(DST, item.to().site());
        FxpTransfer transfer = new FxpTransfer(src, dst, options.get(), StrategyMemory.global());
        item.canceller = transfer::cancel;
        SizePoller poller = new SizePoller(item);
        try {
            poller.start();
            TransferResult result = transfer.copy(item.from().path(), item.to().path(), new TransferListener() {
                @Override
                public void bytesTransferred(long bytes, long total) {
                    if (total > 0) {
                        item.size = total;
                    }
                    progress(item, bytes);
                }
            });
            item.size = result.bytes();
            progress(item, result.bytes());
            String prefix = item.detail.isEmpty() ? "" : item.detail + "; ";
            item.detail = prefix + result.strategy() + ", checked by " + result.contentCheck();
        } finally {
            poller.stop();
            pool.put(SRC, item.from().site(), transfer.source());
            pool.put(DST, item.to().site(), transfer.destination());
        }
    }

    private void upload(QueueItem item, long offset) throws Exception {
        Path file = Path.of(item.from().path());
        item.size = Files.size(file);
        FtpSession dst = pool.get(DST, item.to().site());
        item.canceller = dst::abortNow;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            try (OutputStream out = dst.store(item.to().path(), offset > 0)) {
                pump(item, in, out, offset);
            }
            dst.finishTransfer();
        }
        item.detail = offset > 0 ? "Uploaded, resumed at " + Paths.humanSize(offset) : "Uploaded";
    }

    private void download(QueueItem item, long offset) throws Exception {
        FtpSession src = pool.get(SRC, item.from().site());
        long size = src.size(item.from().path());
        if (size >= 0) {
            item.size = size;
        }
        item.canceller = src::abortNow;
        Path file = Path.of(item.to().path());
        StandardOpenOption mode = offset > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (InputStream in = src.retrieve(item.from().path(), offset);
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            pump(item, in, out, offset);
        }
        src.finishTransfer();
        item.detail = offset > 0 ? "Downloaded, resumed at " + Paths.humanSize(offset) : "Downloaded";
    }

    private void localCopy(QueueItem item) throws Exception {
        Path from = Path.of(item.from().path());
        item.size = Files.size(from);
        Files.copy(from, Path.of(item.to().path()), StandardCopyOption.REPLACE_EXISTING);
        progress(item, item.size);
        item.detail = "Copied";
    }

    private void pump(QueueItem item, InputStream in, OutputStream out, long offset) throws IOException, Cancelled {
        byte[] buffer = new byte[64 * 1024];
        long done = offset;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (item.cancelRequested) {
                throw new Cancelled();
            }
            out.write(buffer, 0, n);
            done += n;
            progress(item, done);
        }
        progress(item, done);
    }

    private void checkCancel(QueueItem item) throws Cancelled {
        if (item.cancelRequested) {
            throw new Cancelled();
        }
    }

    void progress(QueueItem item, long bytes) {
        item.transferred = bytes;
        long now = System.nanoTime();
        double seconds = (now - item.startedNanos) / 1e9;
        if (seconds > 0.05) {
            item.bytesPerSecond = bytes / seconds;
        }
        if (now - lastProgressFired > PROGRESS_INTERVAL_NANOS) {
            lastProgressFired = now;
            queue.fireChanged(item);
        }
    }

    /**
     * During FXP the client sees no data: once a transfer has run for a
     * second, a separate quiet connection polls the destination's SIZE.
     */
    private final class SizePoller implements Runnable {
        private final QueueItem item;
        private volatile boolean stopped;
        private Thread thread;

        SizePoller(QueueItem item) {
            this.item = item;
        }

        void start() {
            thread = new Thread(this, "sitebridge-progress " + item.name());
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }

        @Override
        public void run() {
            FtpSession monitor = null;
            try {
                Thread.sleep(1000);
                // a private dialogue: polling is not part of the conversation the user watches
                monitor = FtpSession.open(pool.site(item.to().site()), new ControlDialogue());
                while (!stopped) {
                    long size = monitor.size(item.to().path());
                    if (size >= 0 && !stopped) {
                        progress(item, size);
                    }
                    Thread.sleep(700);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // progress is a nicety; the transfer's own result decides
            } finally {
                if (monitor != null) {
                    monitor.close();
                }
            }
        }
    }
}
