package io.sitebridge.transfer.queue;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;

/**
 * Uploads (local file to STOR, resumed with APPE) and downloads (RETR with REST into a
 * {@code .sitebridge-part} file beside the destination, renamed when complete; resumed by
 * appending to it) for the {@link TransferQueue}: the same conflict rules, retries, persistence
 * and pooled sessions as FXP items, with progress counted from the bytes that pass through.
 * Folders are walked (local) or listed (remote) and their files queued as children.
 */
final class LocalCopier {
    /** Suffix of a download that is not complete yet. */
    static final String PART = ".sitebridge-part";
    private static final int BUFFER = 64 * 1024;
    private static final long PROGRESS_NANOS = 250_000_000L;

    private final TransferQueue queue;
    /** What a running item uses, so that a cancel can stop it from another thread. */
    private static final class Running {
        final FtpSession session;
        volatile Closeable data;

        Running(FtpSession session) {
            this.session = session;
        }
    }

    private final Map<Long, Running> running = new ConcurrentHashMap<>();

    LocalCopier(TransferQueue queue) {
        this.queue = queue;
    }

    /** Whether the item has a local side (an upload or a download). */
    static boolean handles(QueueItem item) {
        return Endpoint.isLocal(item.sourceSite()) || Endpoint.isLocal(item.destinationSite());
    }

    /** Cancels a running item of ours: true if it was running here (it then ends as cancelled). */
    boolean cancel(long id) {
        Running r = running.get(id);
        if (r == null) {
            return false;
        }
        stop(r);
        return true;
    }

    /** The queue closes: running transfers stop (they run again next time). */
    void stopAll() {
        running.values().forEach(LocalCopier::stop);
    }

    /**
     * Closes the data connection under the transfer (a blocked read or write ends at once, even
     * when a server ignores ABOR); the session is given up afterwards.
     */
    private static void stop(Running r) {
        r.session.markBroken();
        Closeable c = r.data;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // closed either way
            }
        }
    }

    void run(QueueItem item) {
        boolean upload = Endpoint.isLocal(item.sourceSite());
        String key = upload ? item.destinationSite() : item.sourceSite();
        Site site = queue.site(key);
        if (site == null) {
            queue.finish(item.id(), ItemState.FAILED, "unknown site " + key + " (not in the site list)");
            return;
        }
        FtpSession s;
        try {
            s = queue.sessions().acquire(site);
        } catch (FtpException e) {
            queue.failed(item.id(), FileCopier.connection(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queue.requeue(item.id(), "interrupted");
            return;
        }
        Running mine = new Running(s);
        running.put(item.id(), mine);
        try {
            if (item.kind() == QueueItem.Kind.FOLDER) {
                if (upload) {
                    expandUpload(item, s);
                } else {
                    expandDownload(item, s);
                }
            } else if (upload) {
                upload(item, s, mine);
            } else {
                download(item, s, mine);
            }
        } catch (AttemptFailure f) {
            s.markBroken(); // maybe in the middle of a data transfer: a fresh session next time
            queue.failed(item.id(), queue.stopRequested(item.id()) && !queue.stopping() ? cancelled() : f);
        } catch (FtpException e) {
            s.markBroken();
            queue.failed(item.id(), queue.stopRequested(item.id()) && !queue.stopping() ? cancelled()
                    : FileCopier.connection(e));
        } catch (IOException e) {
            s.markBroken();
            queue.failed(item.id(), queue.stopRequested(item.id()) && !queue.stopping() ? cancelled() : localFailure(e));
        } catch (RuntimeException e) {
            s.markBroken();
            queue.failed(item.id(), AttemptFailure.transientFailure("unexpected: " + e));
        } finally {
            running.remove(item.id());
            queue.sessions().release(s);
        }
    }

    private static AttemptFailure cancelled() {
        return new AttemptFailure(AttemptFailure.Kind.CANCELLED, "cancelled");
    }

    private static AttemptFailure localFailure(IOException e) {
        String what = e instanceof NoSuchFileException ? "no such local file or folder: " + e.getMessage()
                : e instanceof AccessDeniedException ? "no permission for local " + e.getMessage()
                : "local file error: " + e;
        boolean permanent = e instanceof NoSuchFileException || e instanceof AccessDeniedException;
        return permanent ? AttemptFailure.permanent(what) : AttemptFailure.transientFailure(what);
    }

    // ---- upload -------------------------------------------------------------------------------------

    private void upload(QueueItem item, FtpSession s, Running r) throws AttemptFailure, FtpException, IOException {
        Path file = Path.of(item.sourcePath());
        if (!Files.isRegularFile(file)) {
            throw AttemptFailure.permanent("no such local file: " + file);
        }
        long size = Files.size(file);
        if (size != item.size()) {
            item = queue.update(item.id(), i -> i.withSize(size));
        }
        long offset = 0;
        if (item.claimed()) {
            long have = s.size(item.destinationPath());
            if (have == size && item.existingSize() != size) {
                queue.finish(item.id(), ItemState.DONE, "found complete at the destination (SIZE)");
                return;
            }
            if (have > 0 && have < size) {
                offset = have;
            }
        } else {
            long existing = item.existingSize() == -2 ? s.size(item.destinationPath()) : item.existingSize();
            if (existing >= 0) {
                Instant mod = s.modified(item.destinationPath());
                Decision d = decide(item, existing, size, mod == null ? -1 : mod.toEpochMilli(),
                        Files.getLastModifiedTime(file).toMillis());
                switch (d) {
                    case WAIT, FINISHED -> {
                        return;
                    }
                    case RESUME -> offset = existing;
                    case RENAME -> {
                        String fresh = TransferQueue.uniqueName(s, item.destinationPath());
                        item = queue.update(item.id(), i -> i.withDestination(fresh, -1));
                        existing = -1;
                    }
                    default -> {
                        // overwrite
                    }
                }
            }
            long pre = existing;
            item = queue.update(item.id(), i -> i.withClaim(i.destinationPath(), pre));
        }
        if (offset > 0) {
            s.note("resuming the upload at byte " + offset + " of " + size + " (APPE)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            try (OutputStream out = s.store(item.destinationPath(), offset > 0)) {
                r.data = out;
                pump(item, in, out, offset, size);
            } finally {
                r.data = null;
            }
        }
        s.finishTransfer();
        long have = s.size(item.destinationPath());
        if (have >= 0 && have != size) {
            throw AttemptFailure.transientFailure("incomplete: " + s.site().name() + " has " + have + " bytes at "
                    + item.destinationPath() + " of " + size);
        }
        queue.finish(item.id(), ItemState.DONE, (offset > 0 ? "upload resumed at " + offset : "uploaded")
                + (have >= 0 ? ", checked by SIZE" : ""));
    }

    // ---- download -----------------------------------------------------------------------------------

    private void download(QueueItem item, FtpSession s, Running r) throws AttemptFailure, FtpException, IOException {
        long size = s.size(item.sourcePath());
        if (size < 0) {
            var reply = s.lastReply();
            throw AttemptFailure.byCode(reply.code() >= 400 ? reply.code() : 550, s.site().name() + " has no file "
                    + item.sourcePath() + " (SIZE: " + reply.text() + ")");
        }
        if (size != item.size()) {
            item = queue.update(item.id(), i -> i.withSize(size));
        }
        Path target = Path.of(item.destinationPath());
        long offset = 0;
        if (item.claimed()) {
            Path part = part(target);
            long have = Files.isRegularFile(part) ? Files.size(part) : -1;
            if (have < 0 && Files.isRegularFile(target) && Files.size(target) == size && item.existingSize() != size) {
                queue.finish(item.id(), ItemState.DONE, "found complete at the destination");
                return;
            }
            if (have > 0 && have <= size) {
                offset = have;
            }
        } else {
            long existing = Files.isRegularFile(target) ? Files.size(target) : Files.exists(target) ? -2 : -1;
            if (existing == -2) {
                throw AttemptFailure.permanent(target + " exists and is not a file");
            }
            if (existing >= 0) {
                Instant src = s.modified(item.sourcePath());
                Decision d = decide(item, existing, size, Files.getLastModifiedTime(target).toMillis(),
                        src == null ? -1 : src.toEpochMilli());
                switch (d) {
                    case WAIT, FINISHED -> {
                        return;
                    }
                    case RESUME -> {
                        // the shorter copy becomes the part file; what is missing is appended to it
                        Files.move(target, part(target), StandardCopyOption.REPLACE_EXISTING);
                        offset = existing;
                    }
                    case RENAME -> {
                        String fresh = uniqueLocalName(target).toString();
                        item = queue.update(item.id(), i -> i.withDestination(fresh, -1));
                        target = Path.of(fresh);
                        existing = -1;
                    }
                    default -> {
                        // overwrite: replaced when the part file is complete
                    }
                }
            }
            long pre = existing;
            item = queue.update(item.id(), i -> i.withClaim(i.destinationPath(), pre));
        }
        Path part = part(target);
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (offset > 0) {
            s.note("resuming the download at byte " + offset + " of " + size + " (REST)");
        }
        if (offset < size || size == 0) {
            try (InputStream in = s.retrieve(item.sourcePath(), offset);
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            offset > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                r.data = in;
                pump(item, in, out, offset, size);
            } finally {
                r.data = null;
            }
            s.finishTransfer();
        }
        long have = Files.size(part);
        if (have != size) {
            throw AttemptFailure.transientFailure("incomplete: " + have + " bytes of " + size + " in " + part);
        }
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
        queue.finish(item.id(), ItemState.DONE, (offset > 0 ? "download resumed at " + offset : "downloaded")
                + ", checked by size");
    }

    static Path part(Path target) {
        return target.resolveSibling(target.getFileName() + PART);
    }

    /** {@code name (1).ext}, {@code name (2).ext}, ...: the first free local name. */
    private static Path uniqueLocalName(Path target) throws AttemptFailure {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; n < 10_000; n++) {
            Path candidate = target.resolveSibling(base + " (" + n + ")" + ext);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS) && !Files.exists(part(candidate))) {
                return candidate;
            }
        }
        throw AttemptFailure.permanent("no free name for " + target);
    }

    // ---- conflicts ---------------------------------------------------------------------------------

    private enum Decision { GO, RESUME, RENAME, WAIT, FINISHED }

    /**
     * The item's rule applied to a destination that exists. ASK goes to the queue's resolver (the
     * item then waits for the answer: WAIT), as for FXP items.
     */
    private Decision decide(QueueItem item, long existing, long size, long destinationModified,
            long sourceModified) {
        ConflictRule rule = item.rule();
        if (rule == ConflictRule.ASK) {
            if (!queue.askAbout(item, existing, destinationModified)) {
                return Decision.WAIT;
            }
            ConflictRule dflt = queue.options().defaultRule();
            rule = dflt == ConflictRule.ASK ? ConflictRule.SKIP : dflt;
        }
        switch (rule) {
            case SKIP -> {
                queue.finish(item.id(), ItemState.SKIPPED, "exists at the destination (" + existing + " bytes)");
                return Decision.FINISHED;
            }
            case RESUME -> {
                if (existing == size) {
                    queue.finish(item.id(), ItemState.DONE, "already complete at the destination (same size)");
                    return Decision.FINISHED;
                }
                return existing < size && existing > 0 ? Decision.RESUME : Decision.GO;
            }
            case RENAME -> {
                return Decision.RENAME;
            }
            case NEWER -> {
                boolean newer = sourceModified < 0 || destinationModified < 0 || sourceModified > destinationModified;
                if (existing == size && !newer) {
                    queue.finish(item.id(), ItemState.SKIPPED, "exists with the same size and is not older");
                    return Decision.FINISHED;
                }
                return Decision.GO;
            }
            default -> {
                return Decision.GO;
            }
        }
    }

    // ---- bytes ------------------------------------------------------------------------------------

    private void pump(QueueItem item, InputStream in, OutputStream out, long offset, long size)
            throws IOException, AttemptFailure {
        byte[] buffer = new byte[BUFFER];
        long done = offset;
        long start = System.nanoTime();
        long last = start;
        for (int n; (n = in.read(buffer)) >= 0;) {
            if (queue.stopRequested(item.id())) {
                throw queue.stopping() ? AttemptFailure.transientFailure("the queue stopped") : cancelled();
            }
            out.write(buffer, 0, n);
            done += n;
            long now = System.nanoTime();
            if (now - last >= PROGRESS_NANOS) {
                last = now;
                queue.progress(progress(item.id(), done, offset, size, now - start));
            }
        }
        queue.progress(progress(item.id(), done, offset, size, System.nanoTime() - start));
    }

    private static Progress progress(long id, long done, long offset, long size, long nanos) {
        double rate = nanos > 0 ? (done - offset) / (nanos / 1e9) : 0;
        long eta = rate > 0 && size >= 0 ? (long) Math.ceil((size - done) / rate) : -1;
        return new Progress(id, done, size, rate, eta, 0);
    }

    // ---- folders ---------------------------------------------------------------------------------

    /** Creates the remote folders (MKD) and queues the local tree's files. */
    private void expandUpload(QueueItem folder, FtpSession s) throws FtpException, IOException, AttemptFailure {
        Set<String> known = knownChildren(folder);
        Deque<String[]> todo = new ArrayDeque<>();
        todo.add(new String[] {folder.sourcePath(), folder.destinationPath()});
        int folders = 0;
        int files = 0;
        while (!todo.isEmpty()) {
            if (queue.stopRequested(folder.id())) {
                throw queue.stopping() ? AttemptFailure.transientFailure("the queue stopped") : cancelled();
            }
            String[] next = todo.pollFirst();
            Map<String, RemoteEntry> there = TransferQueue.ensureFolder(s, next[1]);
            folders++;
            List<QueueItem> add = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Path p : sorted(Path.of(next[0]))) {
                String name = p.getFileName().toString();
                String sp = p.toString();
                String dp = TransferQueue.join(next[1], name);
                boolean link = Files.isSymbolicLink(p);
                if (Files.isDirectory(p) && (!link || queue.options().followLinks())) {
                    todo.add(new String[] {sp, dp});
                } else if (Files.isRegularFile(p) || link) {
                    files++;
                    if (known.contains(sp)) {
                        continue;
                    }
                    boolean skip = link && !queue.options().followLinks();
                    RemoteEntry ex = there.get(name);
                    long existing = ex == null ? -1 : ex.size() >= 0 && ex.isFile() ? ex.size() : -2;
                    long size = skip ? -1 : Files.size(p);
                    add.add(child(folder, skip, sp, dp, skip ? "symbolic link: not followed" : "", size,
                            skip ? -1 : Files.getLastModifiedTime(p).toMillis(), existing, now));
                }
            }
            queue.addChildren(folder.id(), add);
        }
        queue.expanded(folder.id(), files + " files in " + folders + " folders");
    }

    /** Creates the local folders and queues the remote tree's files. */
    private void expandDownload(QueueItem folder, FtpSession s) throws FtpException, IOException, AttemptFailure {
        Set<String> known = knownChildren(folder);
        Deque<String[]> todo = new ArrayDeque<>();
        todo.add(new String[] {folder.sourcePath(), folder.destinationPath()});
        int folders = 0;
        int files = 0;
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            if (queue.stopRequested(folder.id())) {
                throw queue.stopping() ? AttemptFailure.transientFailure("the queue stopped") : cancelled();
            }
            String[] next = todo.pollFirst();
            if (!seen.add(next[0])) {
                continue;
            }
            Path dir = Path.of(next[1]);
            Files.createDirectories(dir);
            Map<String, Long> there = new HashMap<>();
            for (Path p : sorted(dir)) {
                there.put(p.getFileName().toString(), Files.isRegularFile(p) ? Files.size(p) : -2L);
            }
            List<RemoteEntry> entries = s.list(next[0]);
            folders++;
            List<QueueItem> add = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (RemoteEntry e : entries) {
                String sp = TransferQueue.join(next[0], e.name());
                String dp = dir.resolve(e.name()).toString();
                EntryType type = e.type();
                if (type == EntryType.DIRECTORY) {
                    todo.add(new String[] {sp, dp});
                } else if (type == EntryType.FILE || type == EntryType.LINK) {
                    files++;
                    if (known.contains(sp)) {
                        continue;
                    }
                    boolean skip = type == EntryType.LINK && !queue.options().followLinks();
                    add.add(child(folder, skip, sp, dp, skip ? "symbolic link" + (e.linkTarget() == null ? ""
                            : " to " + e.linkTarget()) + ": not followed" : "", skip || e.size() < 0 ? -1 : e.size(),
                            e.modified() == null ? -1 : e.modified().toEpochMilli(),
                            there.getOrDefault(e.name(), -1L), now));
                }
            }
            queue.addChildren(folder.id(), add);
        }
        queue.expanded(folder.id(), files + " files in " + folders + " folders");
    }

    private static QueueItem child(QueueItem folder, boolean skippedLink, String sp, String dp, String reason,
            long size, long modified, long existing, long now) {
        return skippedLink ? QueueItem.skippedLink(folder, sp, dp, reason, now)
                : QueueItem.child(folder, sp, dp, size, modified, existing, now);
    }

    /** Files queued before a crash: not twice. */
    private Set<String> knownChildren(QueueItem folder) {
        Set<String> known = new HashSet<>();
        for (QueueItem c : queue.children(folder.id())) {
            known.add(c.sourcePath());
        }
        return known;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().endsWith(PART)) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }
}
