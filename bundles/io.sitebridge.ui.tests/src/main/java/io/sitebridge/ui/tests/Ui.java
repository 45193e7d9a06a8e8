package io.sitebridge.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * Drives the running workbench from the test thread: reads widgets on the UI
 * thread, waits with deadlines while the UI thread pumps events, and moves the
 * real X pointer with xdotool (a real drag; Display.post cannot start one).
 */
final class Ui {

    private Ui() {
    }

    static Display display() {
        return PlatformUI.getWorkbench().getDisplay();
    }

    static <T> T sync(Supplier<T> s) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        display().syncExec(() -> {
            try {
                result.set(s.get());
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    static void run(Runnable r) {
        sync(() -> {
            r.run();
            return null;
        });
    }

    /** Waits until {@code condition} (evaluated on the UI thread) holds; fails with {@code what} otherwise. */
    static void waitUntil(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(sync(condition))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            sleep(100);
        }
    }

    /**
     * Waits until no job of {@code family} (see {@code SitebridgeJobs}) is left, the follow-up jobs
     * they schedule included, and then until the UI thread has run what they handed it with
     * asyncExec: their results are on screen when this returns. Call it from the test thread
     * after something that schedules the jobs synchronously (a call through {@link #run}).
     */
    static void join(Object family, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        NullProgressMonitor untilDeadline = new NullProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return System.nanoTime() > deadline;
            }
        };
        do {
            try {
                Job.getJobManager().join(family, untilDeadline);
            } catch (OperationCanceledException e) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for the jobs of "
                        + family + ": " + Arrays.toString(Job.getJobManager().find(family)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            sync(() -> null); // after the asyncExecs the jobs posted (one queue, in order)
        } while (Job.getJobManager().find(family).length > 0); // a result on screen scheduled another
    }

    /**
     * Runs real input (a drag, a double-click, a key) that makes the UI schedule a job of
     * {@code family} once the X events are dispatched, waits until one is scheduled, then
     * {@link #join}s the family.
     */
    static void afterJobs(Object family, Duration timeout, Runnable input) {
        CountDownLatch scheduled = new CountDownLatch(1);
        JobChangeAdapter listener = new JobChangeAdapter() {
            @Override
            public void scheduled(IJobChangeEvent event) {
                if (event.getJob().belongsTo(family)) {
                    scheduled.countDown();
                }
            }
        };
        Job.getJobManager().addJobChangeListener(listener);
        try {
            input.run();
            if (!scheduled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("No job of " + family + " within " + timeout.toSeconds() + " s of the input");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            Job.getJobManager().removeJobChangeListener(listener);
        }
        join(family, timeout);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static SiteBrowserView pane(String id) {
        return sync(() -> {
            IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
            IViewPart view = page.findView(SiteBrowserView.ID + ":" + id);
            return view instanceof SiteBrowserView v ? v : null;
        });
    }

    static <T extends IViewPart> T view(String id, Class<T> type) {
        return sync(() -> {
            IViewPart view = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage().findView(id);
            return type.isInstance(view) ? type.cast(view) : null;
        });
    }

    static boolean lists(SiteBrowserView pane, String name) {
        return pane.shownEntries().stream().anyMatch(e -> e.name().equals(name));
    }

    static RemoteEntry entry(SiteBrowserView pane, String name) {
        return pane.shownEntries().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /** The middle of the row showing {@code name}, in display coordinates (a bit right of the icon). */
    static Point rowCentre(SiteBrowserView pane, String name) {
        return sync(() -> {
            Table t = pane.table();
            List<RemoteEntry> shown = pane.shownEntries();
            for (int i = 0; i < shown.size(); i++) {
                if (shown.get(i).name().equals(name)) {
                    t.showItem(t.getItem(i));
                    Rectangle r = t.getItem(i).getBounds(0);
                    return t.toDisplay(r.x + Math.min(60, r.width / 2), r.y + r.height / 2);
                }
            }
            throw new AssertionError(name + " is not listed in " + pane.currentPath());
        });
    }

    /** A point in the table below its last row. */
    static Point emptyArea(SiteBrowserView pane) {
        return sync(() -> {
            Table t = pane.table();
            Rectangle area = t.getClientArea();
            return t.toDisplay(area.x + area.width / 2, area.y + area.height - 25);
        });
    }

    // ---- real pointer input

    static void xdotool(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "xdotool";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new AssertionError("xdotool " + String.join(" ", args) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new AssertionError("xdotool is needed for real pointer input (apt-get install xdotool)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Selects the row with a click, waits so GTK does not take the press as a
     * double-click, then presses, moves in steps and releases on the target.
     */
    static void drag(Point from, Point to) {
        xdotool("mousemove", "--sync", str(from.x), str(from.y));
        xdotool("click", "1");
        sleep(700);
        xdotool("mousedown", "1");
        int steps = 24;
        for (int i = 1; i <= steps; i++) {
            int x = from.x + (to.x - from.x) * i / steps;
            int y = from.y + (to.y - from.y) * i / steps;
            xdotool("mousemove", str(x), str(y));
            sleep(25);
        }
        sleep(300);
        xdotool("mouseup", "1");
    }

    static void click(Point at) {
        xdotool("mousemove", "--sync", str(at.x), str(at.y));
        sleep(150);
        xdotool("click", "1");
    }

    /** A real key press (xdotool key names: Escape, Return, alt+s, ...) to the window that has the focus. */
    static void key(String keys) {
        xdotool("key", "--clearmodifiers", keys);
    }

    /** Real typing of {@code text} into the widget that has the focus. */
    static void type(String text) {
        xdotool("type", "--delay", "20", text);
    }

    /** The visible shell with this title, or null. Call on the UI thread. */
    static Shell shellTitled(String title) {
        for (Shell s : display().getShells()) {
            if (!s.isDisposed() && s.isVisible() && title.equals(s.getText())) {
                return s;
            }
        }
        return null;
    }

    /** The centre of the button labelled {@code text} (with its mnemonic &) in a shell, in display coordinates. */
    static Point buttonCentre(Shell shell, String text) {
        return sync(() -> {
            Button b = findButton(shell, text);
            if (b == null) {
                throw new AssertionError("no button " + text + " in " + shell.getText());
            }
            Rectangle r = b.getBounds();
            return b.getParent().toDisplay(r.x + r.width / 2, r.y + r.height / 2);
        });
    }

    private static Button findButton(Composite c, String text) {
        for (Control child : c.getChildren()) {
            if (child instanceof Button b && text.equals(b.getText())) {
                return b;
            }
            if (child instanceof Composite inner) {
                Button b = findButton(inner, text);
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }

    /** The centre of the visible tool item with this tooltip in the workbench window, in display coordinates. */
    static Point toolItemCentre(String tooltip) {
        return sync(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            ToolItem item = findToolItem(shell, tooltip);
            if (item == null) {
                throw new AssertionError("no tool item " + tooltip);
            }
            Rectangle r = item.getBounds();
            return item.getParent().toDisplay(r.x + r.width / 2, r.y + r.height / 2);
        });
    }

    private static ToolItem findToolItem(Composite c, String tooltip) {
        for (Control child : c.getChildren()) {
            if (!child.isVisible()) {
                continue;
            }
            if (child instanceof ToolBar bar) {
                for (ToolItem i : bar.getItems()) {
                    if (tooltip.equals(i.getToolTipText())) {
                        return i;
                    }
                }
            } else if (child instanceof Composite inner) {
                ToolItem i = findToolItem(inner, tooltip);
                if (i != null) {
                    return i;
                }
            }
        }
        return null;
    }

    static void doubleClick(Point at) {
        xdotool("mousemove", "--sync", str(at.x), str(at.y));
        xdotool("click", "--repeat", "2", "--delay", "80", "1");
    }

    private static String str(int i) {
        return Integer.toString(i);
    }

    // ---- screenshots

    static Path targetDir() {
        return Path.of(System.getProperty("sitebridge.test.target", "target"));
    }

    /** Saves the whole screen under target/screenshots/NAME.png. */
    static Path screenshot(String name) {
        Path dir = targetDir().resolve("screenshots");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Path file = dir.resolve(name + ".png");
        run(() -> {
            Display d = display();
            Rectangle bounds = d.getBounds();
            for (Shell shell : d.getShells()) {
                if (!shell.isDisposed() && shell.isVisible()) {
                    shell.update(); // paint what changed since the last event loop pass
                }
            }
            Image image = new Image(d, bounds.width, bounds.height);
            GC gc = new GC(d);
            try {
                gc.copyArea(image, 0, 0);
                ImageData data = image.getImageData();
                ImageLoader loader = new ImageLoader();
                loader.data = new ImageData[] { data };
                loader.save(file.toString(), SWT.IMAGE_PNG);
            } finally {
                gc.dispose();
                image.dispose();
            }
        });
        return file;
    }
}
