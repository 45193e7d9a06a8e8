package io.sitebridge.transfer.compare;

import java.util.List;
import java.util.Set;

/**
 * What {@link TreeCompare} found: every path of both trees that takes part, in walk order
 * (a folder before what it holds).
 *
 * @param entries         every verdict, the same ones included
 * @param modeUsed        the comparison that was made (TIME when HASH was asked and the servers share no hash)
 * @param hashMethod      the server-side hash command used, or null
 * @param notes           what the user should know about how it was compared (no shared hash, day-precise times, ...)
 * @param sourceComplete  every source folder was listed (deleting what the source lacks is safe only then)
 * @param sourceRootEntries how many entries the source root's listing held (before filtering)
 * @param destinationRootExists whether the destination root could be listed
 * @param keptFolders     destination folders (relative) that hold something left alone (excluded, a link,
 *                        a problem): they are never removed
 */
public record Comparison(List<Difference> entries, CompareMode modeUsed, String hashMethod, List<String> notes,
        boolean sourceComplete, int sourceRootEntries, boolean destinationRootExists, Set<String> keptFolders) {

    /** The verdicts that make the trees differ. */
    public List<Difference> differences() {
        return entries.stream().filter(d -> d.kind().differs()).toList();
    }

    public boolean equal() {
        return differences().isEmpty();
    }

    public long count(Difference.Kind kind) {
        return entries.stream().filter(d -> d.kind() == kind).count();
    }

    /** {@code 3 only-source, 1 newer, 12 same}: the verdicts that occur, in the order of {@link Difference.Kind}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Difference.Kind k : Difference.Kind.values()) {
            long n = count(k);
            if (n > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(k.label);
            }
        }
        return sb.isEmpty() ? "both trees are empty" : sb.toString();
    }
}
