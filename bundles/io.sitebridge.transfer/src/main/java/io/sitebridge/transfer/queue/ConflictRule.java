package io.sitebridge.transfer.queue;

/** What to do when a file's destination already exists. */
public enum ConflictRule {
    /** Ask the {@link ConflictResolver} (the UI's dialog); without one, the queue's default applies. */
    ASK,
    /** Replace the destination. */
    OVERWRITE,
    /** Leave the destination alone; the item ends SKIPPED. */
    SKIP,
    /** The destination is a shorter copy: send only the rest (REST), else start over. */
    RESUME,
    /** Transfer to a new name ({@code name (1).ext}) beside the existing file. */
    RENAME,
    /** Overwrite if the source is newer or the sizes differ, else skip. */
    NEWER;

    /** Parses the CLI spelling ({@code overwrite|skip|resume|rename|newer|ask}). */
    public static ConflictRule parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
