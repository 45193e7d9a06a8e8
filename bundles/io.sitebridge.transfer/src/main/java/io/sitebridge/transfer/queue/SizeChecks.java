package io.sitebridge.transfer.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.engine.RemotePlace;

/**
 * One worker's copies whose size is still to be checked: files of one destination folder, copied
 * without a SIZE of their own ({@link FileTransfer.Request#checkLater}) because that SIZE would
 * cost a round trip (uploads, destinations that cannot take pipelined commands; an FXP copy to a
 * server that pipelines sends its SIZE behind the STOR instead), checked together with one listing
 * of that folder. A file is done only once the listing (or, where the listing does not show
 * it with its size, its own SIZE) proves that every byte arrived; a short one fails its attempt as a
 * failed SIZE check would, and the next attempt resumes it. Until then the item stays running.
 *
 * <p>It also holds the worker's sessions while the last replies of a copy are owed on them (an
 * {@link io.sitebridge.transfer.engine.Arrival}): such sessions never go back to the pool, where
 * nobody might read them. The next file of the same pair of sites runs on them and reads those
 * replies first; a check reads them, which ends that copy done or failed, and gives the sessions back.
 *
 * <p>The worker checks before it takes a file of another folder or a folder (or of another pair of
 * sites), before it would wait for work, when {@link #BATCH} files wait, and when it stops. A
 * folder whose listing grew past {@link #MAX_LISTING} entries goes back to one SIZE a file: listing
 * it again and again would cost more than it saves. After a crash the items are running and claimed: the next run finds each file
 * complete (or resumes it) by its SIZE, as any claimed file.
 */
final class SizeChecks {
    /** How many copies wait at most for one listing. */
    static final int BATCH = 1000;
    /** A destination folder whose listing is longer than this is checked a file at a time from then on. */
    static final int MAX_LISTING = 20 * BATCH;

    private record Pending(long id, String path, long size, String how) {
    }

    private final QueueBook book;
    private final ItemPlaces places;
    private final Failures failures;
    private final List<Pending> pending = new ArrayList<>();
    private final Set<String> fileByFile = new HashSet<>();
    private QueueItem first; // the first pending item: whose places the check uses
    private String folder;
    /** Sessions with replies owed on them, {source, destination}, or null. */
    private Place[] held;

    SizeChecks(QueueBook book, ItemPlaces places, Failures failures) {
        this.book = book;
        this.places = places;
        this.failures = failures;
    }

    /**
     * Whether this file's size may wait for the listing: a file of a folder copy (one file alone is
     * checked by its SIZE: its folder may be long), to a server, into a folder not too long to list.
     */
    boolean accepts(QueueItem item) {
        return item.parentId() != 0 && !Endpoint.isLocal(item.destinationSite())
                && !fileByFile.contains(folderKey(item));
    }

    boolean isEmpty() {
        return pending.isEmpty() && held == null;
    }

    /**
     * Whether {@code next} could join the files waiting here (a file of the same destination folder)
     * and run on the sessions held here (a file between the same sites).
     */
    boolean joins(QueueItem next) {
        return (pending.isEmpty() || next.kind() == QueueItem.Kind.FILE && folderKey(next).equals(folder))
                && (held == null || next.kind() == QueueItem.Kind.FILE && serves(held, next));
    }

    /** Whether a session behind {@code sides} has replies owed on it ({@link io.sitebridge.core.session.FtpSession#owe}). */
    static boolean owes(Place... sides) {
        for (Place p : sides) {
            if (p != null && p.session() != null && p.session().isConnected() && p.session().hasOwed()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps {@code sides} (their sessions owe replies) for the next file between the same sites, or a check. */
    void hold(Place source, Place destination) {
        if (held != null) {
            settleHeld(); // not expected: a worker runs one file at a time
        }
        held = new Place[] {source, destination};
    }

    /**
     * The held sessions as new places for {@code item} when it is a file between their sites
     * (it reads the owed replies first); otherwise, or when the pool wants a session back (to renew
     * it, or for somebody waiting), they are read now and the sessions given back, and null.
     */
    Place[] heldFor(QueueItem item) {
        if (held == null) {
            return null;
        }
        if (item.kind() != QueueItem.Kind.FILE || !serves(held, item) || places.wantedBack(held)) {
            settleHeld();
            return null;
        }
        Place[] sides = {new RemotePlace(held[0].session()), new RemotePlace(held[1].session())};
        held = null;
        return sides;
    }

    private static boolean serves(Place[] sides, QueueItem item) {
        return sides[0].session() != null && sides[1].session() != null
                && sides[0].session().site().key().equals(item.sourceSite())
                && sides[1].session().site().key().equals(item.destinationSite());
    }

    /** Reads the replies owed on the held sessions (their copies end done or failed), then gives the sessions back. */
    private void settleHeld() {
        Place[] sides = held;
        held = null;
        for (Place p : sides) {
            try {
                p.session().settleOwed();
            } catch (io.sitebridge.core.session.FtpException e) {
                // lost: their copies fail as worth another attempt, and the broken session is closed on release
            }
        }
        places.release(sides);
    }

    /** A copy of {@code item} arrived ({@code how}: by what); its {@code size} waits for the listing. */
    void add(QueueItem item, String path, long size, String how) {
        if (!joins(item)) {
            check();
        }
        if (pending.isEmpty()) {
            first = item;
            folder = folderKey(item);
        }
        pending.add(new Pending(item.id(), path, size, how));
        if (pending.size() >= BATCH) {
            check();
        }
    }

    /**
     * Reads the replies owed on held sessions, and checks every waiting copy: one listing of the
     * folder, SIZE for what it does not prove; each ends done or failed.
     */
    void check() {
        if (held != null) {
            settleHeld();
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> batch = List.copyOf(pending);
        pending.clear();
        Place[] sides = places.acquireOrReport(first, failures); // on failure, it told the first item
        if (sides == null) {
            for (Pending p : batch.subList(1, batch.size())) {
                failures.failed(p.id(), new TransferException(TransferException.Reason.CONNECTION, null,
                        "could not check the size of " + p.path() + ": no connection to the destination"));
            }
            return;
        }
        Place destination = sides[1];
        try {
            Map<String, Long> sizes = listed(destination, batch.get(0).path());
            for (Pending p : batch) {
                Long have = sizes.get(p.path().substring(p.path().lastIndexOf('/') + 1));
                try {
                    String how = FileTransfer.sizeChecked(destination, p.path(), have == null ? -1 : have, p.size());
                    book.finishIfRunning(p.id(), ItemState.DONE, p.how() + ", checked by " + how);
                } catch (TransferException e) {
                    failures.failed(p.id(), e);
                }
            }
        } finally {
            places.release(sides);
        }
    }

    /** The files of the folder of {@code path} by name with their sizes; empty when it cannot be listed (SIZE decides). */
    private Map<String, Long> listed(Place destination, String path) {
        String dir = path.lastIndexOf('/') > 0 ? path.substring(0, path.lastIndexOf('/')) : "/";
        Map<String, Long> sizes = new HashMap<>();
        try {
            List<RemoteEntry> entries = destination.list(dir);
            if (entries.size() > MAX_LISTING) {
                fileByFile.add(folder);
            }
            for (RemoteEntry e : entries) {
                if (e.isFile() && e.size() >= 0) {
                    sizes.put(e.name(), e.size());
                }
            }
        } catch (TransferException e) {
            fileByFile.add(folder); // a folder that cannot be listed: its files are checked one by one
        }
        return sizes;
    }

    private static String folderKey(QueueItem item) {
        String p = item.destinationPath();
        return item.destinationSite() + "\n" + (p.lastIndexOf('/') > 0 ? p.substring(0, p.lastIndexOf('/')) : "/");
    }
}
