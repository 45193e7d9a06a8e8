package io.sitebridge.transfer.compare;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.LocalPlace;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.engine.RemotePlace;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.TransferQueue;
import io.sitebridge.transfer.verify.ContentCheck;

/**
 * Makes one tree like another, in one direction: compares them ({@link TreeCompare}), decides
 * every change first ({@link MirrorPlan}), then creates the missing folders, copies files through
 * the {@link TransferQueue} (the one pipeline: FXP or relay, safe replace, connection limits,
 * retries, and the journal that survives a crash) and, when asked, deletes what only the
 * destination has. Its copies keep times ({@link QueueItem#keepTimes()}): every copy takes its
 * source's time where the destination can set it, so that a comparison
 * by time afterwards finds the trees equal, and a source that changes during its copy fails that
 * copy with the reason instead of leaving a mixed file. A mirror that was interrupted is picked up by {@link #unfinished}: its queued
 * files finish first, then a new comparison finds what is left, so nothing is sent twice.
 *
 * <p>Deleting is careful: only paths below the destination root that the comparison listed
 * there (never through a link), never when part of the source could not be listed or the source
 * came back empty (unless allowed), never an excluded file; the first deletion a server refuses
 * stops all deleting, with its reason.
 */
public final class Mirror {
    /** Where the mirror says what it does, one line at a time. */
    public interface Report {
        void line(String text);
    }

    /**
     * @param mode             how files are compared
     * @param filter           what takes part
     * @param delete           delete what only the destination has
     * @param onlyNewer        replace a destination file only with a newer one
     * @param allowEmptySource delete even when the source folder is empty
     */
    public record Options(CompareMode mode, PathFilter filter, boolean delete, boolean onlyNewer,
            boolean allowEmptySource) { }

    /**
     * How the changes went.
     *
     * @param copied        files the queue copied (or found complete)
     * @param failed        files the queue could not copy, with their reasons
     * @param deleted       files and folders deleted
     * @param deleteFailure why deleting stopped, or null
     */
    public record Outcome(int copied, List<QueueItem> failed, int deleted, String deleteFailure) {
        public boolean ok() {
            return failed.isEmpty() && deleteFailure == null;
        }
    }

    private final TransferQueue queue;
    private final Endpoint source;
    private final String sourceRoot;
    private final Endpoint destination;
    private final String destinationRoot;
    private final Options options;

    public Mirror(TransferQueue queue, Endpoint source, String sourceRoot, Endpoint destination, String destinationRoot,
            Options options) {
        this.queue = queue;
        this.source = source;
        this.sourceRoot = trim(sourceRoot);
        this.destination = destination;
        this.destinationRoot = trim(destinationRoot);
        this.options = options;
    }

    /** The files an earlier run of this mirror queued and did not finish (they run before anything else). */
    public List<QueueItem> unfinished() {
        return queue.items().stream().filter(i -> i.parentId() == 0 && i.kind() == QueueItem.Kind.FILE
                && !i.state().isFinished() && i.sourceSite().equals(source.key())
                && i.destinationSite().equals(destination.key()) && below(i.sourcePath(), sourceRoot)
                && below(i.destinationPath(), destinationRoot)).toList();
    }

    /** Waits for queued files (the queue is started). */
    public List<QueueItem> await(List<QueueItem> items) throws InterruptedException {
        List<QueueItem> end = new ArrayList<>();
        for (QueueItem i : items) {
            queue.awaitFinished(i.id(), Duration.ofDays(365));
            end.add(queue.item(i.id()).orElse(i));
        }
        return end;
    }

    /** Compares the trees as they are now. */
    public Comparison compare() throws TransferException, InterruptedException {
        return compare(options.mode(), options.onlyNewer());
    }

    private Comparison compare(CompareMode mode, boolean times) throws TransferException, InterruptedException {
        Place[] p = places();
        try {
            return TreeCompare.compare(p[0], sourceRoot, p[1], destinationRoot, mode, options.filter(), times);
        } finally {
            release(p);
        }
    }

    public MirrorPlan plan(Comparison c) {
        return MirrorPlan.of(c, options.delete(), options.onlyNewer(), options.allowEmptySource());
    }

    /** Carries out a plan: folders, then copies through the queue (started by the caller), then deletions. */
    public Outcome execute(MirrorPlan plan, Report report) throws TransferException, InterruptedException {
        List<MirrorPlan.Action> mkdirs = plan.of(MirrorPlan.Type.MKDIR);
        List<MirrorPlan.Action> copies = plan.of(MirrorPlan.Type.COPY);
        if (!mkdirs.isEmpty() || !copies.isEmpty()) {
            Place[] p = places();
            try {
                p[1].ensureFolder(destinationRoot);
                for (MirrorPlan.Action a : mkdirs) {
                    p[1].ensureFolder(path(p[1], destinationRoot, a.path()));
                    report.line("created " + a.path() + "/");
                }
            } finally {
                release(p);
            }
        }
        List<QueueItem> queued = new ArrayList<>();
        for (MirrorPlan.Action a : copies) {
            queued.add(queue.addFile(source, remoteOrLocal(source, sourceRoot, a.path()), destination,
                    remoteOrLocal(destination, destinationRoot, a.path()), a.bytes(), ConflictRule.OVERWRITE));
        }
        List<QueueItem> ended = await(queued);
        int copied = 0;
        List<QueueItem> failed = new ArrayList<>();
        for (QueueItem i : ended) {
            if (i.state() == ItemState.DONE || i.state() == ItemState.SKIPPED) {
                copied++;
            } else {
                failed.add(i);
            }
        }
        int deleted = 0;
        String deleteFailure = null;
        List<MirrorPlan.Action> removals = plan.actions().stream()
                .filter(a -> a.type() == MirrorPlan.Type.DELETE || a.type() == MirrorPlan.Type.RMDIR).toList();
        if (!removals.isEmpty()) {
            Place[] p = places();
            try {
                for (MirrorPlan.Action a : removals) {
                    String target = path(p[1], destinationRoot, a.path());
                    try {
                        if (a.type() == MirrorPlan.Type.DELETE) {
                            p[1].delete(target);
                        } else {
                            removeFolder(p[1], target);
                        }
                        deleted++;
                        report.line("deleted " + a.path() + (a.type() == MirrorPlan.Type.RMDIR ? "/" : ""));
                    } catch (TransferException e) {
                        deleteFailure = "cannot delete " + a.path() + (a.type() == MirrorPlan.Type.RMDIR ? "/" : "")
                                + ": " + e.getMessage() + "; nothing else was deleted";
                        break;
                    }
                }
            } finally {
                release(p);
            }
        }
        return new Outcome(copied, List.copyOf(failed), deleted, deleteFailure);
    }

    /**
     * Compares every file by server-side hash after the mirror: the destination must hold what the
     * source holds (and, with delete, nothing more). Returns the differences left, or throws when the
     * servers share no hash.
     */
    public List<Difference> verify() throws TransferException, InterruptedException {
        Comparison c = compare(CompareMode.HASH, false);
        if (c.hashMethod() == null) {
            throw new TransferException(TransferException.Reason.VERIFY_FAILED, null, "cannot verify: "
                    + source.displayName() + " and " + destination.displayName() + " share no server-side hash "
                    + "(HASH, XSHA256, XSHA512, XSHA1, XMD5, XCRC), and --verify sends no file through this machine");
        }
        return c.entries().stream().filter(d -> switch (d.kind()) {
            case ONLY_SOURCE, SIZE, CONTENT, PROBLEM -> true;
            case ONLY_DESTINATION -> options.delete();
            default -> false;
        }).toList();
    }

    /**
     * Writes {@code name} into the destination root: one line {@code SHA256  relative/path} per file
     * of the destination tree that takes part, hashed by the destination server.
     *
     * @return how many files it lists
     * @throws TransferException the destination offers no SHA-256 (HASH SHA-256 or XSHA256), or refused
     */
    public int writeManifest(String name) throws TransferException, InterruptedException {
        Place[] p = places();
        try {
            FtpSession d = p[1].session();
            String method = d == null ? null : ContentCheck.commonServerHash(d, d);
            if (method == null || !(method.equals("HASH SHA-256") || method.equals("XSHA256"))) {
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.displayName(),
                        "cannot write the manifest " + name + ": " + destination.displayName() + " offers no SHA-256 "
                        + "hash (HASH SHA-256 or XSHA256)" + (method == null ? "" : ", only " + method));
            }
            Comparison c = TreeCompare.compare(p[1], destinationRoot, p[1], destinationRoot, CompareMode.SIZE,
                    options.filter().excluding("/" + name), false);
            StringBuilder sb = new StringBuilder();
            int n = 0;
            for (Difference e : c.entries()) {
                if (e.folder() || e.kind() != Difference.Kind.SAME) {
                    continue;
                }
                try {
                    sb.append(ContentCheck.serverHash(p[1].session(), method, path(p[1], destinationRoot, e.path())))
                            .append("  ").append(e.path()).append('\n');
                    n++;
                } catch (FtpException ex) {
                    throw new TransferException(ex.reply() == null ? TransferException.Reason.CONNECTION
                            : TransferException.Reason.SERVER_REFUSED, ex.site(), "cannot write the manifest: "
                            + ex.getMessage(), ex);
                }
            }
            String target = path(p[1], destinationRoot, name);
            try (OutputStream out = p[1].write(target, false)) {
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                p[1].abandon();
                throw new TransferException(TransferException.Reason.CONNECTION, destination.displayName(),
                        "cannot write the manifest " + name + ": " + e.getMessage(), e);
            }
            p[1].finish();
            return n;
        } finally {
            release(p);
        }
    }

    private static void removeFolder(Place p, String path) throws TransferException {
        if (p.session() == null) {
            p.delete(path); // an empty local folder
            return;
        }
        try {
            p.session().removeDirectory(path);
        } catch (FtpException e) {
            throw new TransferException(e.reply() == null ? TransferException.Reason.CONNECTION
                    : TransferException.Reason.SERVER_REFUSED, e.site(), e.getMessage(), e);
        }
    }

    /** {source, destination} on the queue's pooled sessions, or the local file system. */
    private Place[] places() throws TransferException, InterruptedException {
        Place s = null;
        try {
            s = place(source);
            return new Place[] {s, place(destination)};
        } catch (TransferException | InterruptedException | RuntimeException e) {
            release(s);
            throw e;
        }
    }

    private Place place(Endpoint e) throws TransferException, InterruptedException {
        if (e instanceof Endpoint.Remote r) {
            try {
                return new RemotePlace(queue.sessions().acquire(r.site()));
            } catch (FtpException ex) {
                throw new TransferException(ex.reply() == null ? TransferException.Reason.CONNECTION
                        : TransferException.Reason.SERVER_REFUSED, ex.site(), ex.getMessage(), ex);
            }
        }
        return LocalPlace.INSTANCE;
    }

    private void release(Place... places) {
        for (Place p : places) {
            if (p != null && p.session() != null) {
                queue.sessions().release(p.session());
            }
        }
    }

    private static String path(Place p, String root, String rel) {
        char sep = p.session() == null ? java.io.File.separatorChar : '/';
        String r = p.session() == null ? rel.replace('/', sep) : rel;
        return root.endsWith(String.valueOf(sep)) ? root + r : root + sep + r;
    }

    private static String remoteOrLocal(Endpoint e, String root, String rel) {
        char sep = e instanceof Endpoint.Remote ? '/' : java.io.File.separatorChar;
        String r = e instanceof Endpoint.Remote ? rel : rel.replace('/', sep);
        return root.endsWith(String.valueOf(sep)) ? root + r : root + sep + r;
    }

    private static boolean below(String path, String root) {
        String prefix = root.endsWith("/") || root.endsWith(java.io.File.separator) ? root : root + "/";
        return path.startsWith(prefix) || path.startsWith(root + java.io.File.separator);
    }

    private static String trim(String p) {
        return p.length() > 1 && (p.endsWith("/") || p.endsWith(java.io.File.separator)) ? p.substring(0, p.length() - 1)
                : p;
    }
}
