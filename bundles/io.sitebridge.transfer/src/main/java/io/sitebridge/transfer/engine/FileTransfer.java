package io.sitebridge.transfer.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.Strategy;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.TransferResult;
import io.sitebridge.transfer.queue.ConflictRule;

/**
 * The one pipeline every file goes through, whatever started it (a drag, a paste, {@code copy},
 * {@code copy -r}, an upload or a download) and whatever moves its bytes (FXP, relay, upload,
 * download: the {@link Strategies}). In order:
 * <ol>
 * <li>the source's size (asked, unless a fresh listing gave it);</li>
 * <li>the destination: a file of ours from an earlier attempt is found complete or resumed; a
 * file that was there before meets the conflict rule (skip, resume, rename, newer, overwrite, or
 * ask the caller);</li>
 * <li>where the bytes go: a new file is written in place; an existing file that is being replaced
 * is never touched until its new copy is complete and checked — the copy goes to a temporary
 * sibling ({@link Place#temporarySibling}) that is renamed over it at the end;</li>
 * <li>the strategies in turn, from the resume offset;</li>
 * <li>verification: the destination's size, and the content by a hash both servers compute, or
 * read through this client when {@link TransferOptions#verify()} asks for it (a small new file
 * copied by FXP with commands sent ahead may end as soon as the source has sent it: the
 * destination's final reply and SIZE are read later, with the next file's, see {@link Arrival});</li>
 * <li>the rename over the old file; and on failure, clean-up: what the copy created is removed
 * once no further attempt will resume it, and a file that was there before stays as it was.</li>
 * </ol>
 * {@link #cancel()} and {@link #stall(String)} may be called from any thread.
 */
public final class FileTransfer {
    private final Place source;
    private final Place destination;
    private final TransferOptions options;
    private final Strategies strategies;
    private final Interruption stop;
    private final List<String> notes = new ArrayList<>();

    public FileTransfer(Place source, Place destination, TransferOptions options, StrategyMemory memory) {
        this.source = source;
        this.destination = destination;
        this.options = options;
        this.stop = new Interruption(options.drainTimeout());
        this.strategies = new Strategies(source, destination, options, memory, stop, this::note);
    }

    /** A copy between two sites over these sessions. */
    public static FileTransfer between(FtpSession source, FtpSession destination, TransferOptions options,
            StrategyMemory memory) {
        return new FileTransfer(new RemotePlace(source), new RemotePlace(destination), options, memory);
    }

    public Place source() { return source; }

    public Place destination() { return destination; }

    /** Stops the copy: ABOR on both servers, the stream closed; the copy then throws CANCELLED. */
    public void cancel() {
        stop.cancel();
    }

    /** The destination stopped growing: stops the copy, which then fails with {@code why} (worth a retry). */
    public void stall(String why) {
        stop.stall(why);
    }

    /**
     * What to copy, and what a caller that keeps a journal knows of it already.
     *
     * @param size         the source's size from a fresh listing, or -1 to ask
     * @param existing     the size of a destination file from a fresh listing: -1 none, -2 ask
     * @param rule         what to do when the destination exists (ASK: the caller asks, see {@link Outcome#asking()})
     * @param work         the file an earlier attempt wrote ({@link TransferListener#claimed}), or "" for none
     * @param existingBefore with {@code work}: the size of the file that was at the destination before (-1 none)
     * @param lastAttempt  no further attempt will resume this copy: on failure, remove what it created
     * @param sourceModified with {@code work} and {@link TransferOptions#keepTimes()}: the source's time
     *                     (epoch ms) when the attempt that wrote {@code work} began
     *                     ({@link TransferListener#sourceTimed}), or -1: when the source's time is other
     *                     now, what was written is not resumed but written again
     * @param checkLater   the caller checks sizes with one listing of the destination folder for many
     *                     files: a new file that needs no other check, and whose SIZE would cost a round
     *                     trip of its own (an upload, a destination in lock-step), then ends
     *                     {@link Outcome.State#UNCHECKED} without that SIZE
     * @param finishLater  the caller can take a copy whose end is read later ({@link Arrival}): a new
     *                     file of at most {@link Arrival#MAX_BYTES} that needs no other check, copied by
     *                     FXP with commands sent ahead, then ends {@link Outcome.State#ARRIVING} as soon as
     *                     the source has sent it; the caller calls it done only when {@link Arrival#whenKnown}
     *                     says every byte arrived. Only for an attempt that is not the last: a failure seen
     *                     then leaves what it wrote to the next attempt
     */
    public record Request(String sourcePath, String destinationPath, long size, long existing, ConflictRule rule,
            String work, long existingBefore, boolean lastAttempt, long sourceModified, boolean checkLater,
            boolean finishLater) {

        public Request(String sourcePath, String destinationPath, long size, long existing, ConflictRule rule,
                String work, long existingBefore, boolean lastAttempt) {
            this(sourcePath, destinationPath, size, existing, rule, work, existingBefore, lastAttempt, -1, false,
                    false);
        }

        /** Copy (and replace, safely) with nothing known. */
        public static Request replacing(String sourcePath, String destinationPath) {
            return new Request(sourcePath, destinationPath, -1, -2, ConflictRule.OVERWRITE, "", -1, true);
        }
    }

    /** Copies {@code sourcePath} to {@code destinationPath}, replacing a file there only once the copy is complete. */
    public TransferResult copy(String sourcePath, String destinationPath, TransferListener listener)
            throws TransferException {
        return run(Request.replacing(sourcePath, destinationPath), listener).result();
    }

    public Outcome run(Request q, TransferListener listener) throws TransferException {
        long start = System.nanoTime();
        notes.clear();
        source.checkName(q.sourcePath());
        destination.checkName(q.destinationPath());
        stop.check();
        long size = q.size();
        Instant sourceTime = null;
        String changedSince = "";
        if (options.keepTimes()) {
            // Asked now even when a listing gave the size: the copy takes this time, and a source that
            // changes during the copy is caught by asking both again afterwards.
            size = sourceSize(q.sourcePath());
            sourceTime = source.modified(q.sourcePath());
            if (q.size() >= 0 && q.size() != size) {
                changedSince = "; the source changed since it was listed (" + q.size() + " bytes then, " + size
                        + " now): copied as it is now";
                note(q.sourcePath() + changedSince.substring(1));
            }
            if (size != q.size()) {
                listener.sized(size);
            }
        } else if (size < 0) {
            size = sourceSize(q.sourcePath());
            listener.sized(size);
        }
        String path = q.destinationPath();
        String work;
        long before;
        long offset = 0;
        if (!q.work().isEmpty()) {
            // Ours from an earlier attempt or an earlier run: complete, resumable, or to start again.
            work = q.work();
            before = q.existingBefore();
            boolean theirs = work.equals(q.destinationPath()) && before >= 0; // the user's file a RESUME continued
            if (sourceTime != null && q.sourceModified() >= 0 && sourceTime.toEpochMilli() != q.sourceModified()
                    && !theirs) {
                // Written from another version of the source: resuming would join two versions.
                String outcome = removed(work, "copy of the earlier version");
                changedSince += "; the source changed since an earlier attempt (" + Instant.ofEpochMilli(
                        q.sourceModified()) + " then, " + sourceTime + " now): copied from the start";
                note(q.sourcePath() + ": the source changed since an earlier attempt"
                        + (outcome == null ? "" : "; " + outcome));
            }
            long have = destination.size(work);
            boolean ambiguous = work.equals(path) && before == size; // an old file of that length was there
            if (have == size && !ambiguous) {
                String check = verify(q.sourcePath(), work, size);
                if (!work.equals(path)) {
                    replace(work, path);
                }
                return Outcome.done("found complete at the destination, checked by " + check
                        + keepTime(path, sourceTime) + changedSince, result(null, size, check, start), path);
            }
            if (have > 0 && have < size && strategies.canResume()) {
                offset = have;
            }
        } else {
            long existing = q.existing() == -2 ? destination.size(path) : q.existing();
            work = path;
            before = existing;
            if (existing >= 0) {
                switch (q.rule()) {
                    case ASK -> {
                        Instant m = destination.modified(path);
                        return Outcome.asking(existing, m == null ? -1 : m.toEpochMilli());
                    }
                    case SKIP -> {
                        return Outcome.skipped("exists at the destination (" + existing + " bytes)");
                    }
                    case RESUME -> {
                        String check = existing == size ? completeCheck(q.sourcePath(), path, size) : null;
                        if (check != null) {
                            return Outcome.done("already complete at the destination, checked by " + check,
                                    result(null, size, check, start), path);
                        }
                        if (existing < size && existing > 0 && strategies.canResume()) {
                            offset = existing; // the user's own choice: continue the file that is there
                        } else {
                            note(path + ": cannot resume (" + (existing >= size ? "the destination is not shorter and differs"
                                    : "no REST") + "): replacing it once the new copy is complete");
                            work = destination.temporarySibling(path);
                        }
                    }
                    case RENAME -> {
                        path = destination.freeName(path);
                        listener.renamed(path);
                        work = path;
                        before = -1;
                    }
                    case NEWER -> {
                        if (existing == size && !sourceNewer(q.sourcePath(), path)) {
                            return Outcome.skipped("exists with the same size and is not older");
                        }
                        work = destination.temporarySibling(path);
                    }
                    default -> work = destination.temporarySibling(path);
                }
            }
            if (!work.equals(path)) {
                note(path + " exists on " + destination.name() + ": copying to " + work
                        + " first and replacing it only when the copy is complete");
            }
            listener.claimed(work, before);
        }
        if (sourceTime != null) {
            listener.sourceTimed(sourceTime); // after a stale copy was removed, before a byte is written
        }
        try {
            // A new file with nothing else to check (no replace to follow, no time to keep, no content
            // hash) whose SIZE would cost a round trip of its own has its size checked later, with
            // its folder's listing.
            boolean alone = work.equals(path) && before < 0 && changedSince.isEmpty() && !options.keepTimes()
                    && !strategies.checksContent(options.verify());
            boolean later = q.checkLater() && alone && strategies.sizeCostsARoundTrip();
            // Else, a small new file copied by FXP may end before the destination's last replies are read.
            Arrival arrival = !later && q.finishLater() && alone && !q.lastAttempt() && offset == 0
                    && size <= Arrival.MAX_BYTES && destination instanceof RemotePlace
                    ? new Arrival(destination.name(), work, size) : null;
            Strategy used = strategies.move(q.sourcePath(), work, size, offset, listener, arrival);
            if (later) {
                listener.bytesTransferred(size, size);
                strategies.worked(used);
                note("copied: " + size + " bytes by " + used + "; its size is checked with the folder's listing");
                return Outcome.unchecked(describe(used, offset), result(used, size, "listing", start), path);
            }
            if (arrival != null && arrival.deferred()) {
                if (arrival.sizeLater()) {
                    listener.bytesTransferred(size, size);
                    strategies.worked(used);
                    return Outcome.arriving(describe(used, offset) + ", checked by SIZE",
                            result(used, size, "SIZE", start), path, arrival);
                }
                arrival.awaitNow(); // SIZE was not sent behind the transfer: its final reply now, then SIZE as usual
            }
            if (options.keepTimes()) {
                sourceUnchanged(q.sourcePath(), size, sourceTime, work, work.equals(path) && before >= 0);
            }
            String check = verifyCopy(q.sourcePath(), work, size);
            if (!work.equals(path)) {
                replace(work, path);
            }
            listener.bytesTransferred(size, size);
            strategies.worked(used);
            String how = describe(used, offset);
            note("done: " + size + " bytes by " + used + ", checked by " + check);
            return Outcome.done(how + ", checked by " + check + keepTime(path, sourceTime) + changedSince,
                    result(used, size, check, start), path);
        } catch (TransferException e) {
            throw cleanUp(e, q, work, path, before);
        }
    }

    private static String describe(Strategy used, long offset) {
        return switch (used.method()) {
            case UPLOAD -> offset > 0 ? "upload resumed at " + offset : "uploaded";
            case DOWNLOAD -> offset > 0 ? "download resumed at " + offset : "downloaded";
            default -> (offset > 0 ? "resumed at " + offset + ", " : "") + used;
        };
    }

    private TransferResult result(Strategy used, long size, String check, long start) {
        return new TransferResult(used, size, check, Duration.ofNanos(System.nanoTime() - start), notes);
    }

    // ---- sizes, times, content ---------------------------------------------------------------------

    private long sourceSize(String path) throws TransferException {
        long size = source.size(path);
        if (size < 0) {
            String why = source instanceof RemotePlace r ? " (SIZE: " + r.lastReply().text() + ")" : "";
            int code = source instanceof RemotePlace r && r.lastReply().code() >= 400 ? r.lastReply().code() : 550;
            throw new TransferException(TransferException.Reason.SERVER_REFUSED, source.name(), source.name()
                    + " has no file " + path + why, null, code);
        }
        return size;
    }

    /**
     * After the bytes moved: the source must still have the size and time it had when the copy
     * began, else what arrived may be half of one version and half of another. Such a copy is
     * removed (unless it is the user's own file a RESUME continued) and the attempt fails; another
     * attempt copies the source as it is then.
     */
    private void sourceUnchanged(String sourcePath, long size, Instant time, String work, boolean theirs)
            throws TransferException {
        long nowSize = source.size(sourcePath);
        Instant nowTime = source.modified(sourcePath);
        if (nowSize == size && java.util.Objects.equals(nowTime, time)) {
            return;
        }
        String msg = source.name() + ": " + sourcePath + " changed during the copy (" + size + " bytes"
                + (time == null ? "" : ", " + time) + " when it began; " + (nowSize < 0 ? "gone" : nowSize + " bytes"
                + (nowTime == null ? "" : ", " + nowTime)) + " after it): the copy is not kept";
        List<String> after = new ArrayList<>();
        if (!theirs) {
            String outcome = removed(work, "unusable copy");
            if (outcome != null) {
                after.add(outcome);
            }
        }
        note(msg + (after.isEmpty() ? "" : "; " + after.get(0)));
        throw new TransferException(TransferException.Reason.VERIFY_FAILED, source.name(), msg, after, null, -1);
    }

    /** Gives the copy its source's time where the destination can set it; says so for the outcome's reason. */
    private String keepTime(String path, Instant time) {
        if (time == null) {
            return "";
        }
        try {
            if (destination.setModified(path, time)) {
                return ", time kept";
            }
            note(destination.name() + " cannot set the time of " + path + ": it keeps the time of the copy");
        } catch (TransferException e) {
            // the copy is complete and in place: only its time is not the source's
            note("could not set the time of " + path + ": " + e.getMessage());
        }
        return "";
    }

    private boolean sourceNewer(String sourcePath, String destinationPath) throws TransferException {
        Instant a = source.modified(sourcePath);
        Instant b = destination.modified(destinationPath);
        return a == null || b == null || a.isAfter(b);
    }

    /** A file of the right size that was there before: how it was found equal, or null when a check says it differs. */
    private String completeCheck(String sourcePath, String destinationPath, long size) throws TransferException {
        try {
            return verify(sourcePath, destinationPath, size);
        } catch (TransferException e) {
            if (e.reason() != TransferException.Reason.VERIFY_FAILED) {
                throw e;
            }
            return null;
        }
    }

    /** Verifies our own copy; a copy with the wrong content is removed (the next attempt starts over). */
    private String verifyCopy(String sourcePath, String work, long size) throws TransferException {
        try {
            return verify(sourcePath, work, size);
        } catch (TransferException e) {
            if (e.reason() == TransferException.Reason.VERIFY_FAILED && e.getMessage().startsWith("content differs")) {
                destination.delete(work);
            }
            throw e;
        }
    }

    /** Returns how the content was checked; throws VERIFY_FAILED unless the destination is complete and equal. */
    private String verify(String sourcePath, String work, long size) throws TransferException {
        long have = destination.size(work);
        if (have != size) {
            TransferException e = incomplete(destination.name(), work, have, size);
            note(e.getMessage());
            throw e;
        }
        String[] digests = strategies.digests(sourcePath, work, options.verify());
        if (digests == null) {
            return "SIZE";
        }
        if (!digests[1].equals(digests[2])) {
            String msg = "content differs: the " + digests[0] + " of " + work + " on " + destination.name()
                    + " is not the source's";
            List<String> both = List.of(digests[0] + " " + digests[1] + " on " + source.name(),
                    digests[0] + " " + digests[2] + " on " + destination.name());
            note(msg + ": " + String.join(", ", both));
            throw new TransferException(TransferException.Reason.VERIFY_FAILED, destination.name(), msg, both, null,
                    -1);
        }
        return "SIZE and " + digests[0];
    }

    /**
     * The check of a copy that ended {@link Outcome.State#UNCHECKED}: {@code have}, its size at
     * the destination (from a listing, or -1 when the listing did not show it), must be the
     * source's {@code size}. A listing that does not prove it is not trusted either way: SIZE
     * decides. Returns how it was checked; throws VERIFY_FAILED for a copy that is short (the
     * next attempt resumes it, as after a failed SIZE check here).
     */
    public static String sizeChecked(Place destination, String path, long have, long size) throws TransferException {
        if (have == size) {
            return "the folder's listing";
        }
        long asked = destination.size(path);
        if (asked != size) {
            throw incomplete(destination.name(), path, asked, size);
        }
        return "SIZE";
    }

    static TransferException incomplete(String destination, String work, long have, long size) {
        return new TransferException(TransferException.Reason.VERIFY_FAILED, destination, "incomplete: "
                + destination + " has " + (have < 0 ? "no file" : have + " bytes") + " at " + work
                + ", the source has " + size + " bytes");
    }

    // ---- the destination file: nothing lost, no debris ----------------------------------------------

    /** Renames the complete, checked copy over the file that was there; if the server refuses, the old file stays. */
    private void replace(String work, String path) throws TransferException {
        try {
            destination.rename(work, path);
            note("replaced " + path + " with the complete copy");
        } catch (TransferException e) {
            if (e.code() >= 500 && e.reason() != TransferException.Reason.INVALID_NAME && asideThenIn(work, path)) {
                return;
            }
            String outcome = removed(work, "complete copy");
            List<String> after = new ArrayList<>();
            after.add(path + " is unchanged");
            if (outcome != null) {
                after.add(outcome);
            }
            throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.name(),
                    destination.name() + " refused to rename the complete copy " + work + " over " + path + " ("
                            + e.getMessage() + ")", after, e.getCause(),
                    e.code() >= 400 && e.code() < 500 ? e.code() : 553);
        }
    }

    /**
     * For servers whose RNTO will not replace an existing file (Apache FtpServer says "553 Can't
     * rename file"; so do some Windows servers): the old file is renamed aside, the complete copy
     * renamed in, and only then the old file deleted. If the copy cannot go in, the old file is put
     * back. False when the old file could not be moved aside (the refusal stands; nothing changed).
     */
    private boolean asideThenIn(String work, String path) throws TransferException {
        String aside = path + ".sitebridge-old";
        try {
            if (destination.size(aside) >= 0) {
                return false; // never over a file of that name (the user's, or an earlier run's)
            }
            destination.rename(path, aside);
        } catch (TransferException e) {
            return false;
        }
        try {
            destination.rename(work, path);
        } catch (TransferException e) {
            try {
                destination.rename(aside, path);
                return false; // as it was: the refusal stands
            } catch (TransferException back) {
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, destination.name(),
                        destination.name() + " refused to rename the complete copy " + work + " over " + path
                                + " (" + e.getMessage() + ")",
                        List.of("the old file is kept as " + aside + " (" + back.getMessage() + ")"), e.getCause(),
                        553);
            }
        }
        try {
            destination.delete(aside);
            note("replaced " + path + " with the complete copy (the server does not rename over a file: "
                    + "the old one was renamed aside first, then deleted)");
        } catch (TransferException e) {
            note("replaced " + path + " with the complete copy; the old file is kept as " + aside
                    + " (could not delete it: " + e.getMessage() + ")");
        }
        return true;
    }

    /**
     * After a failed attempt: what it wrote stays while a further attempt will resume it (a transient
     * failure, or a cancel the user may undo with retry); otherwise it is removed, unless it is the
     * user's own file that a RESUME was continuing.
     */
    private TransferException cleanUp(TransferException e, Request q, String work, String path, long before) {
        boolean again = e.reason() == TransferException.Reason.CANCELLED || !e.isPermanent() && !q.lastAttempt();
        boolean theirs = work.equals(path) && before >= 0;
        if (e.reason() == TransferException.Reason.INVALID_NAME || again || theirs
                || e.getMessage().contains("refused to rename the complete copy")) {
            return e;
        }
        String outcome = removed(work, "incomplete");
        if (outcome == null) {
            return e;
        }
        if (before >= 0) {
            outcome += "; " + path + " is unchanged";
        }
        note(outcome);
        return e.withDetail(outcome);
    }

    /** Removes a file this copy created ({@code what} it is, for the words); says what happened, or null when there was nothing. */
    private String removed(String work, String what) {
        try {
            if (destination instanceof RemotePlace r) {
                r.reopenIfClosed();
            }
            long size = destination.size(work);
            if (size < 0) {
                return null;
            }
            destination.delete(work);
            return "removed the " + what + " " + work + " (" + size + " bytes) from " + destination.name();
        } catch (TransferException cleanup) {
            return "could not remove the " + what + " " + work + " from " + destination.name() + ": "
                    + cleanup.getMessage();
        }
    }

    private void note(String text) {
        notes.add(text);
        FtpSession s = source.session() != null ? source.session() : destination.session();
        if (s != null) {
            s.note(text);
        }
    }
}
