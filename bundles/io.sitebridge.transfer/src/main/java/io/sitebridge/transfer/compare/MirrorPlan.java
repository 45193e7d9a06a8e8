package io.sitebridge.transfer.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every change a mirror will make, decided from a {@link Comparison} before anything changes:
 * the preview ({@code --dry-run}) prints exactly this, and {@link Mirror} carries out exactly this.
 *
 * @param actions  folders to create and files to copy (parents first), then files and folders to
 *                 delete (deepest first)
 * @param kept     differences left as they are, each with why (a newer destination file under
 *                 {@code --only-newer}, ...)
 * @param refusals why nothing is deleted although {@code --delete} was asked (empty when deleting is allowed)
 */
public record MirrorPlan(List<Action> actions, List<Action> kept, List<String> refusals) {

    /** What a mirror does to the destination. */
    public enum Type {
        MKDIR("mkdir"), COPY("copy"), DELETE("delete"), RMDIR("rmdir"), KEEP("keep");

        public final String label;

        Type(String label) {
            this.label = label;
        }
    }

    /**
     * One change.
     *
     * @param path  relative to both roots
     * @param bytes the file's size (copy: at the source, delete: at the destination), or -1
     * @param why   the comparison's verdict that asks for it
     */
    public record Action(Type type, String path, long bytes, String why) {
        public String line() {
            StringBuilder sb = new StringBuilder(type.label);
            sb.repeat(' ', Math.max(1, 8 - sb.length())).append(path)
                    .append(type == Type.MKDIR || type == Type.RMDIR ? "/" : "");
            if (bytes >= 0) {
                sb.append("  (").append(bytes).append(" bytes, ").append(why).append(')');
            } else if (!why.isEmpty()) {
                sb.append("  (").append(why).append(')');
            }
            return sb.toString();
        }
    }

    /**
     * Decides what to do.
     *
     * @param delete           delete what only the destination has
     * @param onlyNewer        copy a file the destination has only when the source's is newer
     * @param allowEmptySource delete even when the source folder's listing came back empty
     */
    public static MirrorPlan of(Comparison c, boolean delete, boolean onlyNewer, boolean allowEmptySource) {
        List<Action> make = new ArrayList<>();
        List<Action> remove = new ArrayList<>();
        List<Action> kept = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        if (delete && !c.sourceComplete()) {
            refusals.add("part of the source could not be listed: nothing is deleted");
        }
        if (delete && c.sourceRootEntries() == 0 && !allowEmptySource) {
            refusals.add("the source folder is empty (or its listing came back empty): nothing is deleted "
                    + "(--allow-empty-source deletes anyway)");
        }
        boolean deleting = delete && refusals.isEmpty();
        for (Difference d : c.entries()) {
            String why = d.kind().label;
            switch (d.kind()) {
                case ONLY_SOURCE -> make.add(new Action(d.folder() ? Type.MKDIR : Type.COPY, d.path(),
                        d.folder() ? -1 : d.sourceSize(), why));
                case NEWER -> make.add(new Action(Type.COPY, d.path(), d.sourceSize(), why));
                case SIZE, CONTENT -> {
                    if (onlyNewer && d.timeOrder() <= 0 && d.sourceTime() != null && d.destinationTime() != null) {
                        kept.add(new Action(Type.KEEP, d.path(), -1, why + ", the source's is not newer (--only-newer)"));
                    } else {
                        make.add(new Action(Type.COPY, d.path(), d.sourceSize(), why));
                    }
                }
                case OLDER -> {
                    if (onlyNewer) {
                        kept.add(new Action(Type.KEEP, d.path(), -1, "the destination's is newer (--only-newer)"));
                    } else {
                        // Only where the destination can take the source's time (else the comparison calls
                        // a same-size newer copy the same): a mirror's own copies have their source's time.
                        make.add(new Action(Type.COPY, d.path(), d.sourceSize(), d.sizesDiffer()
                                ? "older, size differs" : "older"));
                    }
                }
                case ONLY_DESTINATION -> {
                    if (deleting && !(d.folder() && c.keptFolders().contains(d.path()))) {
                        remove.add(new Action(d.folder() ? Type.RMDIR : Type.DELETE, d.path(),
                                d.folder() ? -1 : d.destinationSize(), why));
                    } else if (!delete) {
                        kept.add(new Action(Type.KEEP, d.path(), -1, "only at the destination (no --delete)"));
                    } else if (deleting) {
                        kept.add(new Action(Type.KEEP, d.path(), -1, "holds something left alone"));
                    }
                }
                case SAME, SKIPPED, PROBLEM -> { }
            }
        }
        // Deepest first, a folder after what it holds.
        remove.sort(Comparator.comparingInt((Action a) -> depth(a.path())).reversed()
                .thenComparing(a -> a.type() == Type.RMDIR ? 1 : 0).thenComparing(Action::path));
        List<Action> all = new ArrayList<>(make);
        all.addAll(remove);
        return new MirrorPlan(List.copyOf(all), List.copyOf(kept), List.copyOf(refusals));
    }

    public List<Action> of(Type type) {
        return actions.stream().filter(a -> a.type() == type).toList();
    }

    public long bytes(Type type) {
        return of(type).stream().mapToLong(a -> Math.max(0, a.bytes())).sum();
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** {@code 3 copies (12 345 bytes), 1 folder to create, 2 deletions (10 bytes)}. */
    public String summary() {
        if (actions.isEmpty()) {
            return "nothing to do";
        }
        List<String> parts = new ArrayList<>();
        int mk = of(Type.MKDIR).size();
        int cp = of(Type.COPY).size();
        int del = of(Type.DELETE).size();
        int rd = of(Type.RMDIR).size();
        if (mk > 0) {
            parts.add(mk + (mk == 1 ? " folder" : " folders") + " to create");
        }
        if (cp > 0) {
            parts.add(cp + (cp == 1 ? " file" : " files") + " to copy (" + bytes(Type.COPY) + " bytes)");
        }
        if (del > 0) {
            parts.add(del + (del == 1 ? " file" : " files") + " to delete (" + bytes(Type.DELETE) + " bytes)");
        }
        if (rd > 0) {
            parts.add(rd + (rd == 1 ? " folder" : " folders") + " to remove");
        }
        return String.join(", ", parts);
    }

    private static int depth(String path) {
        return (int) path.chars().filter(ch -> ch == '/').count();
    }
}
