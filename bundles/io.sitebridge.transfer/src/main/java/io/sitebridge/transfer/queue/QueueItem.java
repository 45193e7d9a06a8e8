package io.sitebridge.transfer.queue;

import java.util.Objects;

/**
 * One entry of the {@link TransferQueue}: an immutable snapshot. The queue replaces an item's
 * snapshot whenever anything about it changes; views keep the id and ask again.
 *
 * @param id               unique within the queue, stable across restarts
 * @param parentId         the folder item this file came from, or 0
 * @param kind             file, folder or symbolic link
 * @param sourceSite       {@link io.sitebridge.core.Site#key()} of the source
 * @param sourcePath       absolute path on the source
 * @param destinationSite  {@link io.sitebridge.core.Site#key()} of the destination
 * @param destinationPath  absolute path on the destination (changes when the rule is RENAME)
 * @param rule             what to do when the destination exists
 * @param state            where the item is in its life
 * @param reason           why it is in that state (the failure, the skip reason, the check done), or ""
 * @param size             source size in bytes, or -1 when not known yet (a folder: sum of its files)
 * @param sourceModified   source modification time (epoch ms) from the listing, or -1
 * @param existingSize     size of a destination file that existed before this item touched it;
 *                         -1 none, -2 not known yet
 * @param claimed          the destination file is this item's own (its transfer started): after a
 *                         crash it is resumed or restarted, never treated as a conflict
 * @param expanded         a folder: its tree was listed and its files queued
 * @param attempts         transfer attempts so far
 * @param notBefore        epoch ms before which the next attempt must not start (retry backoff)
 * @param bytes            bytes at the destination as last seen (progress)
 * @param created          epoch ms
 * @param updated          epoch ms of the last change
 */
public record QueueItem(long id, long parentId, Kind kind, String sourceSite, String sourcePath,
        String destinationSite, String destinationPath, ConflictRule rule, ItemState state, String reason,
        long size, long sourceModified, long existingSize, boolean claimed, boolean expanded, int attempts,
        long notBefore, long bytes, long created, long updated) {

    /** What an item is. */
    public enum Kind { FILE, FOLDER, LINK }

    public QueueItem {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(sourceSite);
        Objects.requireNonNull(sourcePath);
        Objects.requireNonNull(destinationSite);
        Objects.requireNonNull(destinationPath);
        Objects.requireNonNull(rule);
        Objects.requireNonNull(state);
        reason = reason == null ? "" : reason;
    }

    /** The last path segment of the source. */
    public String name() {
        int slash = sourcePath.lastIndexOf('/', sourcePath.length() - 2);
        return slash < 0 ? sourcePath : sourcePath.substring(slash + 1);
    }

    public boolean isFolder() { return kind == Kind.FOLDER; }

    QueueItem with(ItemState s, String why) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, s,
                why, size, sourceModified, existingSize, claimed, expanded, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withSize(long s) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, state,
                reason, s, sourceModified, existingSize, claimed, expanded, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withBytes(long b) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, state,
                reason, size, sourceModified, existingSize, claimed, expanded, attempts, notBefore, b, created,
                updated);
    }

    QueueItem withRule(ConflictRule r) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, r, state,
                reason, size, sourceModified, existingSize, claimed, expanded, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withDestination(String path, long existing) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, path, rule, state,
                reason, size, sourceModified, existing, claimed, expanded, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withClaim(boolean c, long existing) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, state,
                reason, size, sourceModified, existing, c, expanded, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withExpanded(boolean e) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, state,
                reason, size, sourceModified, existingSize, claimed, e, attempts, notBefore, bytes, created,
                System.currentTimeMillis());
    }

    QueueItem withAttempts(int a, long nb) {
        return new QueueItem(id, parentId, kind, sourceSite, sourcePath, destinationSite, destinationPath, rule, state,
                reason, size, sourceModified, existingSize, claimed, expanded, a, nb, bytes, created,
                System.currentTimeMillis());
    }
}
