package io.sitebridge.transfer.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.Place;

/**
 * Expands a folder item, whatever its sides (site to site, local to site, site to local): the
 * source tree is listed breadth first (MLSD or LIST, or the local directory), each folder is
 * created at the destination (MKD, empty ones too; what a folder already holds comes back from
 * the same step and saves a SIZE per file later; on a site that takes pipelined commands the
 * MKDs of the folders found go out together as soon as they are found, see
 * {@link Place#createAhead}), and the files are queued as the folder's
 * children, a folder's worth in one journal write. Symbolic links are listed and skipped unless
 * {@link QueueOptions#followLinks()}; a folder seen twice (a link loop) is walked once. A
 * subfolder that cannot be listed or created fails on its own and the rest goes on; files queued
 * before a crash are not queued twice.
 */
final class FolderWalk {
    private final QueueBook book;
    private final ItemPlaces places;
    private final QueueOptions options;
    private final Failures failures;
    private final StrategyMemory memory;

    FolderWalk(QueueBook book, ItemPlaces places, QueueOptions options, Failures failures, StrategyMemory memory) {
        this.memory = memory;
        this.book = book;
        this.places = places;
        this.options = options;
        this.failures = failures;
    }

    void expand(QueueItem folder) {
        // Every worker will want a pair as soon as files appear: all pairs log in at once, and the walk
        // takes the first that is ready (a login can cost a server tens of milliseconds of CPU, and far
        // away several round trips: one after the other they would add up). Nobody logs in beyond
        // these while they are under way: a worker that finds none idle waits for one.
        places.warm(folder, options.parallel());
        Place[] sides = places.acquireOrReport(folder, failures);
        if (sides == null) {
            return;
        }
        try {
            for (Place p : sides) {
                if (p.session() != null) {
                    memory.preparePipelining(p.session());
                }
            }
            String summary = walk(folder, sides[0], sides[1]);
            if (summary == null) {
                return; // cancelled or stopping
            }
            book.expanded(folder.id(), summary);
        } catch (TransferException e) {
            failures.failed(folder.id(), e);
        } finally {
            places.release(sides);
        }
    }

    /** Returns "N files in M folders", or null when the walk was stopped. */
    private String walk(QueueItem folder, Place source, Place destination) throws TransferException {
        Set<String> known = new HashSet<>();
        for (QueueItem c : book.children(folder.id())) {
            known.add(c.sourcePath());
        }
        Deque<String[]> todo = new ArrayDeque<>();
        todo.add(new String[] {folder.sourcePath(), folder.destinationPath()});
        Set<String> seen = new HashSet<>();
        Deque<String> notAhead = new ArrayDeque<>(); // destination folders in todo whose MKD is not sent yet
        int folders = 0;
        int files = 0;
        while (!todo.isEmpty()) {
            if (failures.stopRequested(folder.id())) {
                if (failures.cancelRequested(folder.id())) {
                    book.fail(folder.id(), ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled", false);
                }
                return null; // stopping: listed again next time
            }
            String[] next = todo.pollFirst();
            if (!seen.add(next[0])) {
                continue; // a link loop
            }
            Map<String, RemoteEntry> there;
            List<RemoteEntry> entries;
            try {
                there = destination.ensureFolder(next[1]);
                entries = source.list(next[0]);
            } catch (TransferException e) {
                if (e.reason() == TransferException.Reason.CONNECTION || folders == 0) {
                    throw e; // a dropped connection (retried), or the folder itself
                }
                if (!known.contains(next[0])) { // one subfolder refused (permissions, ...): the rest goes on
                    book.addChildren(folder.id(), List.of(QueueItem.failedFolder(folder, next[0], next[1],
                            e.getMessage(), System.currentTimeMillis())));
                }
                continue;
            }
            folders++;
            List<QueueItem> add = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (RemoteEntry e : entries) {
                String sp = join(source, next[0], e.name());
                String dp = join(destination, next[1], e.name());
                EntryType type = e.type();
                if (type == EntryType.LINK && options.followLinks()) {
                    type = linkTarget(source, sp);
                }
                if (type == EntryType.DIRECTORY) {
                    todo.add(new String[] {sp, dp});
                    notAhead.add(dp);
                } else if (type == EntryType.FILE || type == EntryType.LINK) {
                    files++;
                    if (known.contains(sp)) {
                        continue;
                    }
                    if (type == EntryType.LINK) {
                        add.add(QueueItem.skippedLink(folder, sp, dp, "symbolic link" + (e.linkTarget() == null ? ""
                                : " to " + e.linkTarget()) + ": not followed", now));
                    } else {
                        RemoteEntry ex = there.get(e.name());
                        long existing = ex == null ? -1 : ex.isFile() && ex.size() >= 0 ? ex.size() : -2;
                        add.add(QueueItem.child(folder, sp, dp, e.size() < 0 ? -1 : e.size(),
                                e.modified() == null ? -1 : e.modified().toEpochMilli(), existing, now));
                    }
                }
                // devices, pipes: nothing to copy
            }
            book.addChildren(folder.id(), add);
            while (!notAhead.isEmpty() && destination.createAhead(notAhead.peekFirst())) {
                notAhead.pollFirst(); // in todo's order, which is the order ensureFolder will ask
            }
        }
        return files + " files in " + folders + " folders";
    }

    /** What a followed symbolic link points to: a file if it has a size, else a folder. */
    private static EntryType linkTarget(Place p, String path) {
        try {
            return p.size(path) >= 0 ? EntryType.FILE : EntryType.DIRECTORY;
        } catch (TransferException e) {
            return EntryType.DIRECTORY;
        }
    }

    private static String join(Place p, String dir, String name) {
        char sep = p.session() == null ? java.io.File.separatorChar : '/';
        return dir.endsWith(String.valueOf(sep)) ? dir + name : dir + sep + name;
    }
}
