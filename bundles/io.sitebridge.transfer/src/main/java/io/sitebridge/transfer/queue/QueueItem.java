package io.sitebridge.transfer.queue;

import java.util.Map;
import java.util.Objects;

import io.sitebridge.core.ServerText;
import io.sitebridge.transfer.TransferException;

/**
 * One entry of the {@link TransferQueue}: an immutable snapshot. The queue replaces an item's
 * snapshot whenever anything about it changes; views keep the id and ask again. Items are made by
 * the named factories ({@link #transfer}, {@link #child}, {@link #failedFolder}) and changed by the
 * {@code with...} methods, each of which returns a new snapshot.
 *
 * <p>What each part means:
 * <ul>
 * <li>{@code id}: unique within the queue, stable across restarts; {@code parentId}: the folder item
 * this file came from, or 0</li>
 * <li>{@code sourceSite}/{@code destinationSite}: {@link io.sitebridge.core.Site#key()} or
 * {@link Endpoint#LOCAL_KEY}; the paths are absolute ({@code destinationPath} changes under RENAME)</li>
 * <li>{@code reason}: why it is in its state (the failure, the skip reason, the check done), or "";
 * {@code problem}: for a failed or cancelled item, what kind of failure it was, else null;
 * {@code details}: lines under a failure's reason (remedies, what was cleaned up), joined by
 * line breaks, or ""</li>
 * <li>{@code size}: source size in bytes, or -1 when not known yet (a folder: sum of its files);
 * {@code sourceModified}: from the listing (epoch ms), or -1</li>
 * <li>{@code existingSize}: size of a destination file that existed before this item touched it;
 * -1 none, -2 not known yet</li>
 * <li>{@code claimed}: the item's transfer started writing {@code workPath} on the destination: after
 * a crash that file is resumed or restarted, never treated as a conflict. {@code workPath} is the
 * file the bytes go to: the destination itself, or a temporary sibling when an existing file is
 * being replaced (renamed over it once complete and checked); "" before the claim. The journal
 * may hold a new file's claim a little ahead of its transfer (claimed with the file before it, in
 * one write): after a crash such a file is checked at the destination, found missing, and copied</li>
 * <li>{@code expanded}: a folder whose tree was listed and whose files were queued</li>
 * <li>{@code keepTimes}: a mirror's copy: it takes its source's time, and fails when the source
 * changes during it ({@link io.sitebridge.transfer.TransferOptions#keepTimes()}); written only when set</li>
 * <li>{@code attempts}, {@code notBefore} (epoch ms, retry backoff), {@code bytes} (at the
 * destination as last seen), {@code created}, {@code updated} (epoch ms)</li>
 * </ul>
 */
public final class QueueItem {

    /** What an item is. */
    public enum Kind { FILE, FOLDER, LINK }

    private long id;
    private long parentId;
    private Kind kind;
    private String sourceSite;
    private String sourcePath;
    private String destinationSite;
    private String destinationPath;
    private ConflictRule rule;
    private ItemState state;
    private String reason = "";
    private String details = "";
    private TransferException.Reason problem;
    private long size = -1;
    private long sourceModified = -1;
    private long existingSize = -2;
    private boolean claimed;
    private String workPath = "";
    private boolean expanded;
    private boolean keepTimes;
    private int attempts;
    private long notBefore;
    private long bytes;
    private long created;
    private long updated;

    private QueueItem() {
    }

    private QueueItem(QueueItem o) {
        id = o.id;
        parentId = o.parentId;
        kind = o.kind;
        sourceSite = o.sourceSite;
        sourcePath = o.sourcePath;
        destinationSite = o.destinationSite;
        destinationPath = o.destinationPath;
        rule = o.rule;
        state = o.state;
        reason = o.reason;
        details = o.details;
        problem = o.problem;
        size = o.size;
        sourceModified = o.sourceModified;
        existingSize = o.existingSize;
        claimed = o.claimed;
        workPath = o.workPath;
        expanded = o.expanded;
        keepTimes = o.keepTimes;
        attempts = o.attempts;
        notBefore = o.notBefore;
        bytes = o.bytes;
        created = o.created;
        updated = o.updated;
    }

    // ---- factories --------------------------------------------------------------------------------

    /** A file or folder the user queued: waiting, nothing known about it yet. */
    public static QueueItem transfer(long id, boolean folder, String sourceSite, String sourcePath,
            String destinationSite, String destinationPath, ConflictRule rule, long now) {
        QueueItem i = new QueueItem();
        i.id = id;
        i.kind = folder ? Kind.FOLDER : Kind.FILE;
        i.sourceSite = Objects.requireNonNull(sourceSite);
        i.sourcePath = Objects.requireNonNull(sourcePath);
        i.destinationSite = Objects.requireNonNull(destinationSite);
        i.destinationPath = Objects.requireNonNull(destinationPath);
        i.rule = Objects.requireNonNull(rule);
        i.state = ItemState.WAITING;
        i.created = now;
        i.updated = now;
        return i;
    }

    /**
     * A file found in a folder item's tree, waiting, with what the listings said: its size and
     * modification time (-1 unknown) and the size of a file of that name at the destination (-1 none,
     * -2 something that is not a file or not known).
     */
    public static QueueItem child(QueueItem folder, String sourcePath, String destinationPath, long size,
            long sourceModified, long existingSize, long now) {
        QueueItem i = transfer(0, false, folder.sourceSite, sourcePath, folder.destinationSite, destinationPath,
                folder.rule, now);
        i.parentId = folder.id;
        i.size = size;
        i.sourceModified = sourceModified;
        i.existingSize = existingSize;
        return i;
    }

    /** A symbolic link found in a folder item's tree that is not followed: listed, skipped. */
    public static QueueItem skippedLink(QueueItem folder, String sourcePath, String destinationPath, String why,
            long now) {
        QueueItem i = child(folder, sourcePath, destinationPath, -1, -1, -1, now);
        i.kind = Kind.LINK;
        i.state = ItemState.SKIPPED;
        i.reason = why;
        return i;
    }

    /** A subfolder of a folder item that could not be listed or created: failed, the rest goes on. */
    public static QueueItem failedFolder(QueueItem folder, String sourcePath, String destinationPath, String why,
            long now) {
        QueueItem i = child(folder, sourcePath, destinationPath, -1, -1, -1, now);
        i.kind = Kind.FOLDER;
        i.state = ItemState.FAILED;
        i.reason = why;
        i.problem = TransferException.Reason.SERVER_REFUSED;
        i.expanded = true;
        i.attempts = 1;
        return i;
    }

    // ---- what it is -------------------------------------------------------------------------------

    public long id() { return id; }
    public long parentId() { return parentId; }
    public Kind kind() { return kind; }
    public String sourceSite() { return sourceSite; }
    public String sourcePath() { return sourcePath; }
    public String destinationSite() { return destinationSite; }
    public String destinationPath() { return destinationPath; }
    public ConflictRule rule() { return rule; }
    public ItemState state() { return state; }
    public String reason() { return reason; }
    /** Lines under a failure's {@link #reason()}: remedies, what was cleaned up (our own words); empty when none. */
    public java.util.List<String> details() {
        return details.isEmpty() ? java.util.List.of() : java.util.List.of(details.split("\n"));
    }
    /** What kind of failure ended a failed or cancelled item (exit codes, icons); null otherwise. */
    public TransferException.Reason problem() { return problem; }
    public long size() { return size; }
    public long sourceModified() { return sourceModified; }
    /** A mirror's copy: it keeps its source's time and fails when the source changes during it. */
    public boolean keepTimes() { return keepTimes; }
    public long existingSize() { return existingSize; }
    public boolean claimed() { return claimed; }
    /** The destination file the bytes go to once claimed (the destination, or its temporary sibling); "" before. */
    public String workPath() { return workPath; }
    public boolean expanded() { return expanded; }
    public int attempts() { return attempts; }
    public long notBefore() { return notBefore; }
    public long bytes() { return bytes; }
    public long created() { return created; }
    public long updated() { return updated; }

    /** The last path segment of the source. */
    public String name() {
        int slash = sourcePath.lastIndexOf('/', sourcePath.length() - 2);
        return slash < 0 ? sourcePath : sourcePath.substring(slash + 1);
    }

    public boolean isFolder() { return kind == Kind.FOLDER; }

    // ---- changes (each a new snapshot) ---------------------------------------------------------------

    private QueueItem changed() {
        QueueItem n = new QueueItem(this);
        n.updated = System.currentTimeMillis();
        return n;
    }

    /**
     * Gives a new item, made by {@link #child} and not yet in any queue, its id. The only change made
     * in place: before it is queued nobody else holds the item.
     */
    void assignId(long newId) {
        if (id != 0) {
            throw new IllegalStateException("item " + id + " has its id already");
        }
        id = newId;
    }

    QueueItem with(ItemState s, String why) {
        QueueItem n = changed();
        n.state = s;
        n.reason = why == null ? "" : canonical(why.length() <= ServerText.MAX_LINE ? why : ServerText.oneLine(why));
        n.details = "";
        n.problem = null;
        return n;
    }

    /** Failed or cancelled, with the kind of failure. */
    QueueItem failed(ItemState s, TransferException.Reason p, String why) {
        return failed(s, p, why, java.util.List.of());
    }

    /** As {@link #failed(ItemState, TransferException.Reason, String)}, with lines under the reason. */
    QueueItem failed(ItemState s, TransferException.Reason p, String why, java.util.List<String> lines) {
        QueueItem n = with(s, why);
        n.details = lines.isEmpty() ? "" : canonical(String.join("\n", lines.stream().map(ServerText::oneLine).toList()));
        n.problem = p;
        return n;
    }

    /** The same item as a mirror's copy ({@link #keepTimes()}). */
    QueueItem keepingTimes() {
        QueueItem n = new QueueItem(this);
        n.keepTimes = true;
        return n;
    }

    QueueItem withSourceModified(long ms) {
        QueueItem n = changed();
        n.sourceModified = ms;
        return n;
    }

    QueueItem withSize(long s) {
        QueueItem n = changed();
        n.size = s;
        return n;
    }

    QueueItem withBytes(long b) {
        QueueItem n = new QueueItem(this); // progress: not a change worth a new time stamp
        n.bytes = b;
        return n;
    }

    QueueItem withRule(ConflictRule r) {
        QueueItem n = changed();
        n.rule = r;
        return n;
    }

    QueueItem withDestination(String path, long existing) {
        QueueItem n = changed();
        n.destinationPath = path;
        n.existingSize = existing;
        return n;
    }

    /** The item starts writing {@code work} on the destination (where a file of {@code existing} bytes was, or -1). */
    QueueItem withClaim(String work, long existing) {
        QueueItem n = changed();
        n.claimed = true;
        n.workPath = work;
        n.existingSize = existing;
        return n;
    }

    QueueItem withExpanded(boolean e) {
        QueueItem n = changed();
        n.expanded = e;
        return n;
    }

    QueueItem withAttempts(int a, long nb) {
        QueueItem n = changed();
        n.attempts = a;
        n.notBefore = nb;
        return n;
    }

    /** Reasons repeat ("FXP, ..., checked by SIZE" for thousands of files): one string each, not one per item. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> REASONS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_REASONS = 4096;

    private static String canonical(String why) {
        if (why.isEmpty()) {
            return "";
        }
        String known = REASONS.get(why);
        if (known != null) {
            return known;
        }
        if (REASONS.size() < MAX_REASONS && why.length() <= 300) {
            known = REASONS.putIfAbsent(why, why);
            return known == null ? why : known;
        }
        return why;
    }

    // ---- persistence (QueueStore) --------------------------------------------------------------------

    /**
     * Receives an item's fields in their one order ({@link #visit}): the queue file's line is written
     * from it without a map or boxing (a copy of thousands of files writes several lines a file).
     */
    interface FieldVisitor {
        /** A text field: may hold anything a server named (escaped where it is written). */
        void text(String key, String value);

        /** A number: never needs escaping. */
        void plain(String key, long value);

        /** An enum's name or a flag's word; never needs escaping. */
        void word(String key, String value);
    }

    /** Every field, in the order of the queue file; optional ones only when set. */
    void visit(FieldVisitor v) {
        v.plain("id", id);
        v.plain("parent", parentId);
        v.word("kind", kind.name());
        v.text("src", sourceSite);
        v.text("srcPath", sourcePath);
        v.text("dst", destinationSite);
        v.text("dstPath", destinationPath);
        v.word("rule", rule.name());
        v.word("state", state.name());
        v.text("reason", reason);
        if (!details.isEmpty()) {
            v.text("details", details);
        }
        v.word("problem", problem == null ? "" : problem.name());
        v.plain("size", size);
        v.plain("srcModified", sourceModified);
        v.plain("existing", existingSize);
        v.word("claimed", claimed ? "true" : "false");
        v.text("work", workPath);
        v.word("expanded", expanded ? "true" : "false");
        if (keepTimes) {
            v.word("keepTimes", "true"); // only then: a queue of 100,000 copies carries no extra field
        }
        v.plain("attempts", attempts);
        v.plain("notBefore", notBefore);
        v.plain("bytes", bytes);
        v.plain("created", created);
        v.plain("updated", updated);
    }

    /** The fields as text, by name ({@link #visit}'s order): what {@link #restore} reads back. */
    Map<String, String> fields() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        visit(new FieldVisitor() {
            @Override
            public void text(String key, String value) {
                m.put(key, value);
            }

            @Override
            public void plain(String key, long value) {
                m.put(key, Long.toString(value));
            }

            @Override
            public void word(String key, String value) {
                m.put(key, value);
            }
        });
        return m;
    }

    /** The item a line of the queue file describes ({@link #fields()}); fields a older file lacks take defaults. */
    static QueueItem restore(Map<String, String> v) {
        QueueItem i = new QueueItem();
        i.id = Long.parseLong(v.get("id"));
        i.parentId = Long.parseLong(v.get("parent"));
        i.kind = Kind.valueOf(v.get("kind"));
        i.sourceSite = Objects.requireNonNull(v.get("src"));
        i.sourcePath = Objects.requireNonNull(v.get("srcPath"));
        i.destinationSite = Objects.requireNonNull(v.get("dst"));
        i.destinationPath = Objects.requireNonNull(v.get("dstPath"));
        i.rule = ConflictRule.valueOf(v.get("rule"));
        i.state = ItemState.valueOf(v.get("state"));
        i.reason = canonical(v.getOrDefault("reason", ""));
        i.details = canonical(v.getOrDefault("details", ""));
        String p = v.getOrDefault("problem", "");
        i.problem = p.isEmpty() ? null : TransferException.Reason.valueOf(p);
        i.size = Long.parseLong(v.get("size"));
        i.sourceModified = Long.parseLong(v.get("srcModified"));
        i.existingSize = Long.parseLong(v.get("existing"));
        i.claimed = Boolean.parseBoolean(v.get("claimed"));
        i.workPath = v.getOrDefault("work", i.claimed ? i.destinationPath : "");
        i.expanded = Boolean.parseBoolean(v.get("expanded"));
        i.keepTimes = Boolean.parseBoolean(v.getOrDefault("keepTimes", "false"));
        i.attempts = Integer.parseInt(v.get("attempts"));
        i.notBefore = Long.parseLong(v.get("notBefore"));
        i.bytes = Long.parseLong(v.get("bytes"));
        i.created = Long.parseLong(v.get("created"));
        i.updated = Long.parseLong(v.get("updated"));
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueItem other && fields().equals(other.fields());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + Long.hashCode(updated);
    }

    @Override
    public String toString() {
        return "QueueItem" + fields();
    }
}
