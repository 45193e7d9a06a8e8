package io.sitebridge.ui.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;

import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.transfer.compare.CompareMode;
import io.sitebridge.transfer.compare.Comparison;
import io.sitebridge.transfer.compare.Difference;
import io.sitebridge.transfer.compare.Mirror;
import io.sitebridge.transfer.compare.PathFilter;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * The two panes' compare mode and synchronized browsing (one pair of panes per workbench).
 *
 * <p>Compare mode: the folders both panes showed when it was switched on are the roots; the trees
 * below them are compared recursively by {@link Mirror#compare} (the compare package, on the
 * queue's pooled sessions, in a job of {@link SitebridgeJobs#COMPARE}), by server-side hash where
 * both servers share one, else by size and time (the comparison's notes say so). The left pane is
 * the comparison's source. Each pane asks {@link #verdict} for its rows and {@link #summary} for its
 * summary bar; this class only keeps the result and renders it into words.
 *
 * <p>Synchronized browsing: entering a folder (or going up) in one pane enters the same folder,
 * relative to the folders both showed when it was switched on, in the other.
 *
 * <p>UI thread only.
 */
public final class CompareModel {

    /** What a row shows in compare mode; the text does not depend on the colour. */
    public enum Verdict {
        ONLY_HERE("+ only here", 0xd0f0d0),
        NEWER("> newer", 0xfff4c4),
        OLDER("< older", 0xe0e0ff),
        SIZE("\u2260 size differs", 0xffd6d6),
        CONTENT("\u2260 content differs", 0xffd6d6),
        DIFFERS_INSIDE("\u2260 differs inside", 0xffe8e0),
        SAME("= same", -1),
        SKIPPED("\u2013 skipped", -1),
        PROBLEM("! problem", 0xffb0b0);

        public final String text;
        /** The row's background as 0xRRGGBB, or -1 for the table's own. */
        public final int rgb;

        Verdict(String text, int rgb) {
            this.text = text;
            this.rgb = rgb;
        }
    }

    private static final CompareModel INSTANCE = new CompareModel();

    private SiteBrowserView left;
    private SiteBrowserView right;

    // compare mode
    private boolean comparing;
    private String leftRoot;
    private String rightRoot;
    private Endpoint leftEndpoint;
    private Endpoint rightEndpoint;
    private Comparison comparison;
    private String failure;
    private int generation;
    private final Map<String, Difference> byPath = new HashMap<>();
    /** Folders (relative, "" the root) that hold a difference somewhere below. */
    private final Set<String> differsInside = new HashSet<>();

    // synchronized browsing
    private boolean syncing;
    private String syncLeftRoot;
    private String syncRightRoot;
    /** The folder a pane was sent to by synchronized browsing, which it does not pass on again. */
    private final Map<SiteBrowserView, String> followed = new HashMap<>();

    private CompareModel() {
    }

    public static CompareModel get() {
        return INSTANCE;
    }

    // ---- compare mode

    public boolean isComparing() {
        return comparing;
    }

    /** The comparison shown (left is the source), or null while it runs or when it failed. */
    public Comparison comparison() {
        return comparison;
    }

    public String leftRoot() {
        return leftRoot;
    }

    public String rightRoot() {
        return rightRoot;
    }

    /** Switches compare mode on for the two panes, with the folders they show as roots, and compares. */
    public void startComparing(SiteBrowserView leftPane, SiteBrowserView rightPane) {
        left = leftPane;
        right = rightPane;
        comparing = true;
        leftRoot = leftPane.currentPath();
        rightRoot = rightPane.currentPath();
        leftEndpoint = leftPane.endpoint();
        rightEndpoint = rightPane.endpoint();
        compare();
    }

    public void stopComparing() {
        comparing = false;
        generation++;
        comparison = null;
        failure = null;
        byPath.clear();
        differsInside.clear();
        changed();
    }

    /** Compares (again) in the background; the panes are marked when it ends. */
    public void compare() {
        if (!comparing) {
            return;
        }
        int mine = ++generation;
        comparison = null;
        failure = null;
        byPath.clear();
        differsInside.clear();
        changed();
        Display display = Display.getCurrent();
        Job job = new Job("Comparing " + leftRoot + " with " + rightRoot) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                Comparison c = null;
                String why = null;
                try {
                    c = mirror(leftEndpoint, leftRoot, rightEndpoint, rightRoot).compare();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    why = "interrupted";
                } catch (Exception e) {
                    why = e.getMessage() == null ? e.toString() : e.getMessage();
                }
                Comparison result = c;
                String reason = why;
                display.asyncExec(() -> shown(mine, result, reason));
                return Status.OK_STATUS;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.COMPARE || family == SitebridgeJobs.FAMILY;
            }
        };
        job.schedule();
    }

    /**
     * A mirror (or comparison) of one tree onto another on the transfer queue: by server-side hash
     * where both share one, else by size and time. The comparison also asks for times (the option
     * named only-newer does that) so that a pane can say which side is newer in every mode; what a
     * mirror does is decided by its {@code MirrorPlan}, not by these options.
     */
    static Mirror mirror(Endpoint source, String sourceRoot, Endpoint destination, String destinationRoot) {
        return mirror(source, sourceRoot, destination, destinationRoot, PathFilter.ALL);
    }

    /** As above, with the user's include/exclude patterns ({@code patterns}) on top of the skip lists. */
    static Mirror mirror(Endpoint source, String sourceRoot, Endpoint destination, String destinationRoot,
            PathFilter patterns) {
        return new Mirror(SitebridgeUi.getDefault().queue(), source, sourceRoot, destination, destinationRoot,
                new Mirror.Options(CompareMode.HASH, skipped(patterns, source, destination), false, true, false));
    }

    /**
     * What the user's skip lists leave out (the global one and the saved sites' own, shared with
     * {@code sitebridge skip}): neither copied nor deleted. A list that cannot be read stops the
     * comparison: a mirror without it could delete what the user meant to keep out of it.
     */
    private static PathFilter skipped(PathFilter patterns, Endpoint source, Endpoint destination) {
        try {
            SavedSites saved = SavedSites.current();
            java.util.List<String> names = saved.names(); // a pane's site that is not saved has only the global list
            return patterns.excluding(saved.skipPatterns(
                    names.contains(source.displayName()) ? source.displayName() : null,
                    names.contains(destination.displayName()) ? destination.displayName() : null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the skip lists: " + e.getMessage(), e);
        }
    }

    private void shown(int mine, Comparison c, String why) {
        if (!comparing || mine != generation) {
            return; // switched off, or compared again meanwhile
        }
        comparison = c;
        failure = why;
        if (c != null) {
            for (Difference d : c.entries()) {
                byPath.put(d.path(), d);
                if (d.kind().differs()) {
                    for (String p = parent(d.path()); ; p = parent(p)) {
                        differsInside.add(p);
                        if (p.isEmpty()) {
                            break;
                        }
                    }
                }
            }
        }
        changed();
    }

    /** The verdict for a row of a pane, or null when there is none (not compared, outside the roots). */
    public Verdict verdict(SiteBrowserView pane, String name, boolean folder) {
        String rel = comparedFolder(pane);
        if (rel == null || comparison == null) {
            return null;
        }
        String path = rel.isEmpty() ? name : rel + "/" + name;
        Difference d = byPath.get(path);
        boolean isLeft = pane == left;
        if (d == null) {
            if (!folder) {
                return null; // not compared (our own unfinished copy, say)
            }
            return differsInside.contains(path) ? Verdict.DIFFERS_INSIDE : Verdict.SAME;
        }
        return switch (d.kind()) {
            case ONLY_SOURCE, ONLY_DESTINATION -> Verdict.ONLY_HERE;
            case NEWER -> isLeft ? Verdict.NEWER : Verdict.OLDER;
            case OLDER -> isLeft ? Verdict.OLDER : Verdict.NEWER;
            case SIZE -> Verdict.SIZE;
            case CONTENT -> Verdict.CONTENT;
            case SAME -> Verdict.SAME;
            case SKIPPED -> Verdict.SKIPPED;
            case PROBLEM -> Verdict.PROBLEM;
        };
    }

    /** The text of a row's compare cell: the verdict, and which side is newer when that is known and more. */
    public String cellText(SiteBrowserView pane, String name, boolean folder) {
        Verdict v = verdict(pane, name, folder);
        if (v == null) {
            return "";
        }
        if (v == Verdict.SIZE || v == Verdict.CONTENT) {
            String rel = comparedFolder(pane);
            Difference d = byPath.get(rel.isEmpty() ? name : rel + "/" + name);
            int order = pane == left ? d.timeOrder() : -d.timeOrder();
            return v.text + (order > 0 ? ", newer here" : order < 0 ? ", older here" : "");
        }
        return v.text;
    }

    /** The folder a pane shows relative to its compared root, or null (not compared, or outside the root). */
    private String comparedFolder(SiteBrowserView pane) {
        if (!comparing || pane != left && pane != right) {
            return null;
        }
        return relative(pane == left ? leftRoot : rightRoot, pane.currentPath());
    }

    /** The summary bar's text for a pane, or null when compare mode is off. */
    public String summary(SiteBrowserView pane) {
        if (!comparing || pane != left && pane != right) {
            return null;
        }
        String roots = leftRoot + " \u2194 " + rightRoot;
        if (failure != null) {
            return "Cannot compare " + roots + ": " + failure;
        }
        if (comparison == null) {
            return "Comparing " + roots + "\u2026";
        }
        Comparison c = comparison;
        long differ = c.count(Difference.Kind.SIZE) + c.count(Difference.Kind.CONTENT);
        StringBuilder sb = new StringBuilder();
        sb.append(c.count(Difference.Kind.ONLY_SOURCE)).append(" only left \u00b7 ")
                .append(c.count(Difference.Kind.ONLY_DESTINATION)).append(" only right \u00b7 ")
                .append(c.count(Difference.Kind.NEWER)).append(" newer left \u00b7 ")
                .append(c.count(Difference.Kind.OLDER)).append(" newer right \u00b7 ")
                .append(differ).append(" differ \u00b7 ")
                .append(c.count(Difference.Kind.SAME)).append(" same");
        long skipped = c.count(Difference.Kind.SKIPPED);
        if (skipped > 0) {
            sb.append(" \u00b7 ").append(skipped).append(" skipped");
        }
        long problems = c.count(Difference.Kind.PROBLEM);
        if (problems > 0) {
            sb.append(" \u00b7 ").append(problems).append(" problems");
        }
        sb.append(c.equal() ? " \u2013 the trees are equal" : "");
        sb.append(" (by ").append(c.hashMethod() != null ? "hash, " + c.hashMethod() : "size and time").append(')');
        if (comparedFolder(pane) == null) {
            sb.append(" \u2013 this pane is outside the compared folder ")
                    .append(pane == left ? leftRoot : rightRoot);
        }
        for (String note : c.notes()) {
            sb.append(" \u2013 ").append(note);
        }
        return sb.toString();
    }

    /** A pane is about to show another site: compare mode and synchronized browsing end. */
    public void paneLeavesSite(SiteBrowserView pane) {
        if (pane != left && pane != right) {
            return;
        }
        if (comparing) {
            stopComparing();
        }
        if (syncing) {
            stopSyncing();
        }
    }

    // ---- synchronized browsing

    public boolean isSyncing() {
        return syncing;
    }

    public void startSyncing(SiteBrowserView leftPane, SiteBrowserView rightPane) {
        left = leftPane;
        right = rightPane;
        syncing = true;
        syncLeftRoot = leftPane.currentPath();
        syncRightRoot = rightPane.currentPath();
        followed.clear();
        changed();
    }

    public void stopSyncing() {
        syncing = false;
        followed.clear();
        changed();
    }

    /**
     * A pane shows another folder (on the UI thread, after its listing): the other pane enters the
     * same folder relative to the roots; a folder below the compared roots also gets its marks.
     */
    public void folderShown(SiteBrowserView pane, String path) {
        if (pane != left && pane != right) {
            return;
        }
        if (syncing && !path.equals(followed.remove(pane))) {
            String rel = relative(pane == left ? syncLeftRoot : syncRightRoot, path);
            SiteBrowserView other = pane == left ? right : left;
            if (rel != null && other != null) {
                String otherRoot = pane == left ? syncRightRoot : syncLeftRoot;
                String target = rel.isEmpty() ? otherRoot : Paths.child(otherRoot, rel);
                if (!target.equals(other.currentPath())) {
                    followed.put(other, target);
                    other.follow(target);
                }
            }
        }
        if (comparing) {
            pane.compareChanged();
        }
    }

    /** The other pane could not enter the folder: it stays where it is and says so. */
    public void followFailed(SiteBrowserView pane, String target) {
        followed.remove(pane, target);
    }

    private void changed() {
        for (SiteBrowserView p : new SiteBrowserView[] {left, right}) {
            if (p != null) {
                p.compareChanged();
            }
        }
    }

    /** {@code path} relative to {@code root} ("" for the root itself), or null when it is not below it. */
    static String relative(String root, String path) {
        if (root == null || path == null) {
            return null;
        }
        if (path.equals(root)) {
            return "";
        }
        String prefix = root.endsWith("/") ? root : root + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
    }

    private static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}
