package io.sitebridge.transfer.compare;

import java.time.Instant;

/**
 * What a comparison found for one path (relative to both roots, '/' between names).
 *
 * @param path            the relative path
 * @param kind            the verdict
 * @param folder          a folder (only-source/only-destination folders; everything inside is listed too)
 * @param sourceSize      bytes at the source, or -1
 * @param destinationSize bytes at the destination, or -1
 * @param sourceTime      modification time at the source (UTC), or null when unknown or not asked for
 * @param destinationTime modification time at the destination (UTC), or null
 * @param timeOrder       1: the source is newer, -1: the destination is newer, 0: the same within what both
 *                        sides can tell, or unknown
 * @param detail          for {@link Kind#PROBLEM} and {@link Kind#SKIPPED} the one reason; for
 *                        {@link Kind#CONTENT} the two digests; else ""
 */
public record Difference(String path, Kind kind, boolean folder, long sourceSize, long destinationSize,
        Instant sourceTime, Instant destinationTime, int timeOrder, String detail) {

    /** The verdicts, in the words the command line prints. */
    public enum Kind {
        /** Only the source has it. */
        ONLY_SOURCE("only-source"),
        /** Only the destination has it. */
        ONLY_DESTINATION("only-destination"),
        /** The source's copy is newer. */
        NEWER("newer"),
        /** The destination's copy is newer. */
        OLDER("older"),
        /** The sizes differ. */
        SIZE("size"),
        /** Same size, different server-side hashes. */
        CONTENT("content"),
        /** The same by the comparison asked for. */
        SAME("same"),
        /** Left alone on purpose (a symbolic link, a device): not a difference. */
        SKIPPED("skipped"),
        /** Could not be compared (a folder that cannot be listed, names that differ only in case, ...). */
        PROBLEM("problem");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Whether this verdict makes the trees differ. */
        public boolean differs() {
            return this != SAME && this != SKIPPED;
        }
    }

    public boolean sizesDiffer() {
        return sourceSize >= 0 && destinationSize >= 0 && sourceSize != destinationSize;
    }

    /** One line: {@code newer  dir/a.txt  (source ..., destination ...)}. */
    public String line() {
        StringBuilder sb = new StringBuilder(kind.label);
        sb.repeat(' ', Math.max(1, 17 - sb.length())).append(path).append(folder ? "/" : "");
        switch (kind) {
            case NEWER, OLDER -> sb.append("  (source ").append(sourceTime).append(", destination ")
                    .append(destinationTime).append(')');
            case SIZE -> sb.append("  (source ").append(sourceSize).append(" bytes, destination ")
                    .append(destinationSize).append(" bytes)");
            case ONLY_SOURCE, ONLY_DESTINATION -> {
                long size = kind == Kind.ONLY_SOURCE ? sourceSize : destinationSize;
                if (!folder && size >= 0) {
                    sb.append("  (").append(size).append(" bytes)");
                }
            }
            case CONTENT, PROBLEM, SKIPPED -> sb.append("  (").append(detail).append(')');
            case SAME -> { }
        }
        return sb.toString();
    }
}
