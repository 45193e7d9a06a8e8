package io.sitebridge.ui.compare;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;

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
 * The compare mode of the two panes: the folders both showed when it was switched on are the
 * roots; the trees below them are compared recursively ({@link Mirror#compare}, on the queue's
 * pooled sessions, in a job of {@link SitebridgeJobs#LIST}); each pane asks {@link #mark} for the
 * verdict of its rows and {@link #summary} for its summary bar; entering a folder in one pane
 * enters the same relative folder in the other ({@link #followed}). The left pane is the source.
 * One per workbench (the Site-to-Site perspective has one pair of panes). UI thread only.
 */
public final class CompareModel {
    /** What a row shows in compare mode: its text and how it is coloured. */
    public record Mark(String text, int colour) { }

    private static final CompareModel INSTANCE = new CompareModel();

    private SiteBrowserView left;
    private SiteBrowserView right;
    private String leftRoot;
    private String rightRoot;
    private Endpoint leftEndpoint;
    private Endpoint rightEndpoint;
    private CompareMode mode = CompareMode.TIME;
    private Comparison comparison;
    private final Map<String, Difference> byPath = new HashMap<>();
    private String state = "";
    private boolean following;

    private CompareModel() {
    }

    public static CompareModel get() {
        return INSTANCE;
    }

    public boolean isActive() {
        return left != null;
    }

    public Comparison comparison() {
        return comparison;
    }

    public String leftRoot() { return leftRoot; }
    public String rightRoot() { return rightRoot; }
    public Endpoint leftEndpoint() { return leftEndpoint; }
    public Endpoint rightEndpoint() { return rightEndpoint; }

    /** Switches compare mode on for the two panes (the left one is the source) and compares. */
    public void start(SiteBrowserView leftPane, SiteBrowserView rightPane) {
        left = leftPane;
        right = rightPane;
        leftRoot = leftPane.currentPath();
        rightRoot = rightPane.currentPath();
        leftEndpoint = leftPane.endpoint();
        rightEndpoint = rightPane.endpoint();
        compare();
    }

    public void stop() {
        SiteBrowserView[] panes = {left, right};
        left = null;
        right = null;
        comparison = null;
        byPath.clear();
        state = "";
        for (SiteBrowserView p : panes) {
            if (p != null) {
                p.compareChanged();
            }
        }
    }

    /** A mirror over the compared roots, on the transfer queue. */
    public Mirror mirror(boolean delete, boolean onlyNewer) {
        return new Mirror(SitebridgeUi.getDefault().queue(), leftEndpoint, leftRoot, rightEndpoint, rightRoot,
                new Mirror.Options(mode, PathFilter.ALL, delete, onlyNewer, false));
    }

    /** Compares (again) in the background; the panes are marked when it ends. */
    public void compare() {
        if (!isActive()) {
            return;
        }
        state = "comparing\u2026";
        left.compareChanged();
        right.compareChanged();
        Mirror m = mirror(false, false);
        Display display = Display.getCurrent();
        Job job = new Job("Comparing " + leftRoot + " and " + rightRoot) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                Comparison c = null;
                String failure = null;
                try {
                    c = m.compare();
                } catch (Exception e) {
                    failure = e.getMessage();
                }
                Comparison result = c;
                String why = failure;
                display.asyncExec(() -> shown(result, why));
                return Status.OK_STATUS;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.LIST || family == SitebridgeJobs.FAMILY;
            }
        };
        job.setSystem(false);
        job.schedule();
    }

    private void shown(Comparison c, String failure) {
        if (!isActive()) {
            return;
        }
        comparison = c;
        byPath.clear();
        if (c != null) {
            for (Difference d : c.entries()) {
                byPath.put(d.path(), d);
            }
            state = "";
        } else {
            state = "cannot compare: " + failure;
        }
        left.compareChanged();
        right.compareChanged();
    }

    /** The verdict of a row of a pane, or null when the pane is not compared or the row is outside the roots. */
    public Mark mark(SiteBrowserView pane, String name) {
        if (!isActive() || comparison == null || pane != left && pane != right) {
            return null;
        }
        String rel = relative(pane == left ? leftRoot : rightRoot, pane.currentPath());
        if (rel == null) {
            return null;
        }
        Difference d = byPath.get(rel.isEmpty() ? name : rel + "/" + name);
        if (d == null) {
            return null;
        }
        boolean isLeft = pane == left;
        return switch (d.kind()) {
            case ONLY_SOURCE, ONLY_DESTINATION -> new Mark("only here", 1);
            case NEWER -> isLeft ? new Mark("newer", 2) : new Mark("older", 3);
            case OLDER -> isLeft ? new Mark("older", 3) : new Mark("newer", 2);
            case SIZE -> new Mark("size differs", 4);
            case CONTENT -> new Mark("content differs", 4);
            case SAME -> new Mark("same", 0);
            case SKIPPED -> new Mark("skipped", 0);
            case PROBLEM -> new Mark("problem", 4);
        };
    }

    /** The summary bar's text for a pane, or null when compare mode is off. */
    public String summary(SiteBrowserView pane) {
        if (!isActive() || pane != left && pane != right) {
            return null;
        }
        if (comparison == null) {
            return "Compare: " + state;
        }
        long onlyLeft = comparison.count(Difference.Kind.ONLY_SOURCE);
        long onlyRight = comparison.count(Difference.Kind.ONLY_DESTINATION);
        long newerLeft = comparison.count(Difference.Kind.NEWER);
        long newerRight = comparison.count(Difference.Kind.OLDER);
        long differ = comparison.count(Difference.Kind.SIZE) + comparison.count(Difference.Kind.CONTENT);
        long same = comparison.count(Difference.Kind.SAME);
        long problems = comparison.count(Difference.Kind.PROBLEM);
        String text = "Compare (" + comparison.modeUsed().label() + "): " + onlyLeft + " only left, " + onlyRight
                + " only right, " + newerLeft + " newer left, " + newerRight + " newer right, " + differ + " differ, "
                + same + " same" + (problems > 0 ? ", " + problems + " problems" : "");
        return comparison.notes().isEmpty() ? text : text + " \u2013 " + String.join("; ", comparison.notes());
    }

    /**
     * A pane shows another folder: the other pane enters the same folder relative to its root
     * (synchronized browsing), as long as the folder is below the pane's root.
     */
    public void followed(SiteBrowserView pane, String path) {
        if (!isActive() || following || pane != left && pane != right) {
            return;
        }
        String rel = relative(pane == left ? leftRoot : rightRoot, path);
        if (rel == null) {
            return;
        }
        SiteBrowserView other = pane == left ? right : left;
        String otherRoot = pane == left ? rightRoot : leftRoot;
        String target = rel.isEmpty() ? otherRoot : Paths.child(otherRoot, rel);
        if (target.equals(other.currentPath())) {
            other.compareChanged();
            return;
        }
        following = true;
        try {
            other.open(target);
        } finally {
            following = false;
        }
    }

    /** {@code path} relative to {@code root} ("" for the root itself), or null when it is not below it. */
    static String relative(String root, String path) {
        if (path.equals(root)) {
            return "";
        }
        String prefix = root.endsWith("/") ? root : root + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
    }
}
