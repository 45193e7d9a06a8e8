package io.sitebridge.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.core.PasswordSource;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueListener;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * Benchmark hook (issue 6, workload 4), inert unless the system property
 * {@code sitebridge.benchmark.listing} is set to {@code ftp://user@host:port/folder}. Not part of
 * the product: {@code ../run} compiles it against the product's plug-ins into a bundle of its own
 * and starts the product with it ({@link ListingHookActivator}). Once the workbench is up it opens that site in the left site browser, then opens the folder and measures,
 * from outside the view (dialogue events, job events, polling the table's item count, Paint and
 * SetData events of the table):
 * <ul>
 * <li>{@code reply_to_table_ms}: from the server's final reply to the LIST/MLSD (the whole listing
 * received) to the table showing it (item count set and the visible rows painted);</li>
 * <li>{@code entries_to_table_ms}: from the listing job's end (entries parsed) to the same point;</li>
 * <li>{@code command_to_table_ms}: from sending LIST/MLSD to the same point;</li>
 * <li>{@code heap_growth_mb}: used heap after GC, after minus before; {@code heap_peak_growth_mb}:
 * the highest used heap sampled every 5 ms meanwhile, minus the same baseline.</li>
 * </ul>
 * The figures go as {@code key=value} lines to the file named by {@code sitebridge.benchmark.out}
 * (else standard output), optionally a screenshot of the window to {@code sitebridge.benchmark.screenshot};
 * then the workbench closes. The password comes from the property
 * {@code sitebridge.benchmark.password}, else the environment variable {@code SITEBRIDGE_PASSWORD}.
 */
final class ListingBenchmark {
    static final String PROPERTY = "sitebridge.benchmark.listing";
    private static final String SITE_NAME = "Benchmark";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int QUIET_MS = 400;

    private final Display display;
    private final URI uri;
    private String folder; // not final: read by the listeners below, set in the constructor
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final Instant started = Instant.now();

    private SiteBrowserView view;
    private Table table;
    private final AtomicReference<Instant> commandSent = new AtomicReference<>();
    private final AtomicReference<Instant> finalReply = new AtomicReference<>();
    private final AtomicReference<Instant> jobDone = new AtomicReference<>();
    private volatile String listingSession;
    private volatile Instant lastPaint;
    private volatile Instant lastSetData;
    private Instant tableCount;
    private long heapBefore;
    private final AtomicLong heapPeak = new AtomicLong();
    private volatile boolean sampling;
    private boolean finished;

    private ListingBenchmark(Display display, URI uri) {
        this.display = display;
        this.uri = uri;
        String p = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
                : URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8);
        this.folder = p;
    }

    /**
     * Called once by the bundle activator; does nothing without the property. Otherwise waits (on a
     * daemon thread) for the workbench, then runs the measurement on its UI thread.
     */
    static void installIfRequested() {
        String url = System.getProperty(PROPERTY);
        if (url == null || url.isBlank()) {
            return;
        }
        URI uri = URI.create(url.trim());
        Thread waiter = new Thread(() -> {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!PlatformUI.isWorkbenchRunning() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!PlatformUI.isWorkbenchRunning()) {
                System.err.println("sitebridge benchmark: the workbench did not start");
                return;
            }
            Display display = PlatformUI.getWorkbench().getDisplay();
            ListingBenchmark b = new ListingBenchmark(display, uri);
            display.asyncExec(b::waitForWorkbench);
        }, "sitebridge-benchmark");
        waiter.setDaemon(true);
        waiter.start();
    }

    // ---- steps, all on the UI thread

    private void waitForWorkbench() {
        if (timedOut("the workbench did not start")) {
            return;
        }
        SiteBrowserView left = leftPane();
        if (left == null || left.table() == null) {
            display.timerExec(100, this::waitForWorkbench);
            return;
        }
        view = left;
        table = left.table();
        Site site = site();
        SitebridgeUi.getDefault().sites().addDemoSite(SiteBrowserView.LEFT, site);
        view.connect(site.name());
        display.timerExec(50, this::waitForConnection);
    }

    private void waitForConnection() {
        if (timedOut("could not connect")) {
            return;
        }
        if (!view.isConnected() || Job.getJobManager().find(SitebridgeJobs.LIST).length > 0) {
            display.timerExec(50, this::waitForConnection);
            return;
        }
        // Connected and the first folder is shown: the baseline, then the measured listing.
        heapBefore = usedAfterGc();
        figures.put("heap_before_mb", mb(heapBefore));
        heapPeak.set(heapBefore);
        startSampler();
        table.addListener(SWT.Paint, e -> lastPaint = Instant.now());
        table.addListener(SWT.SetData, e -> lastSetData = Instant.now());
        ControlDialogue.global().addListener(dialogueListener);
        Job.getJobManager().addJobChangeListener(jobListener);
        view.open(folder);
        display.timerExec(2, this::waitForTable);
    }

    private void waitForTable() {
        if (timedOut("the listing did not show")) {
            return;
        }
        boolean shown = jobDone.get() != null && folder.equals(view.currentPath()) && table.getItemCount() > 0
                && table.getItemCount() == view.shownEntries().size();
        if (!shown) {
            display.timerExec(2, this::waitForTable);
            return;
        }
        tableCount = Instant.now();
        // Let the rows be painted, then take the last Paint/SetData of the table after the count was set.
        display.timerExec(QUIET_MS, this::measured);
    }

    private void measured() {
        sampling = false;
        Instant painted = tableCount;
        for (Instant t : new Instant[] { lastPaint, lastSetData }) {
            if (t != null && t.isAfter(painted)) {
                painted = t;
            }
        }
        figures.put("rows", Integer.toString(table.getItemCount()));
        figures.put("first_row", table.getItemCount() > 0 ? table.getItem(table.getTopIndex()).getText(0) : "");
        figures.put("painted_after_count", Boolean.toString(
                (lastPaint != null && lastPaint.isAfter(tableCount))
                        || (lastSetData != null && lastSetData.isAfter(tableCount))));
        put("reply_to_table_ms", finalReply.get(), painted);
        put("entries_to_table_ms", jobDone.get(), painted);
        put("command_to_table_ms", commandSent.get(), painted);
        put("command_to_reply_ms", commandSent.get(), finalReply.get());
        put("reply_to_entries_ms", finalReply.get(), jobDone.get());
        put("entries_to_count_ms", jobDone.get(), tableCount);
        screenshot();
        long after = usedAfterGc();
        figures.put("heap_after_mb", mb(after));
        figures.put("heap_growth_mb", mb(after - heapBefore));
        figures.put("heap_peak_growth_mb", mb(heapPeak.get() - heapBefore));
        finish(null);
    }

    /** With {@code -Dsitebridge.benchmark.screenshot=FILE.png}: the window as measured, for the record. */
    private void screenshot() {
        String file = System.getProperty("sitebridge.benchmark.screenshot");
        if (file == null || file.isBlank()) {
            return;
        }
        Shell shell = table.getShell();
        Rectangle r = shell.getBounds();
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, r.x, r.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] { image.getImageData() };
            loader.save(file, SWT.IMAGE_PNG);
        } catch (RuntimeException e) {
            figures.put("screenshot_error", String.valueOf(e.getMessage()));
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    // ---- observers

    private final DialogueListener dialogueListener = e -> {
        String text = e.text();
        if (e.direction() == Direction.SENT && commandSent.get() == null
                && (text.startsWith("LIST") || text.startsWith("MLSD")) && text.contains(folder)) {
            listingSession = e.sessionId();
            commandSent.set(e.time());
        } else if (e.direction() == Direction.RECEIVED && e.sessionId().equals(listingSession)
                && finalReply.get() == null && (text.startsWith("226") || text.startsWith("250"))) {
            finalReply.set(e.time());
        }
    };

    private final JobChangeAdapter jobListener = new JobChangeAdapter() {
        @Override
        public void done(IJobChangeEvent event) {
            if (event.getJob().belongsTo(SitebridgeJobs.LIST) && event.getJob().getName().contains(folder)) {
                jobDone.compareAndSet(null, Instant.now());
            }
        }
    };

    private void startSampler() {
        sampling = true;
        Thread t = new Thread(() -> {
            Runtime rt = Runtime.getRuntime();
            while (sampling) {
                long used = rt.totalMemory() - rt.freeMemory();
                heapPeak.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sitebridge-benchmark-heap");
        t.setDaemon(true);
        t.start();
    }

    // ---- helpers

    private SiteBrowserView leftPane() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return null;
        }
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = window == null ? null : window.getActivePage();
        if (page == null) {
            return null;
        }
        IViewReference ref = page.findViewReference(SiteBrowserView.ID, SiteBrowserView.LEFT);
        return ref != null && ref.getView(true) instanceof SiteBrowserView v ? v : null;
    }

    private Site site() {
        String user = "anonymous";
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            if (parts.length > 1) {
                password = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            }
        }
        if (password == null) {
            password = System.getProperty("sitebridge.benchmark.password", System.getenv("SITEBRIDGE_PASSWORD"));
        }
        return Site.builder(uri.getHost()).name(SITE_NAME).port(uri.getPort() > 0 ? uri.getPort() : 21).user(user)
                .password(PasswordSource.of(password == null ? "" : password)).build();
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private void put(String key, Instant from, Instant to) {
        figures.put(key, from == null || to == null ? "n/a"
                : String.format(Locale.ROOT, "%.1f", Duration.between(from, to).toNanos() / 1e6));
    }

    private boolean timedOut(String what) {
        if (Duration.between(started, Instant.now()).compareTo(TIMEOUT) > 0) {
            finish(what + " within " + TIMEOUT.toSeconds() + " s");
            return true;
        }
        return false;
    }

    private void finish(String error) {
        if (finished) {
            return;
        }
        finished = true;
        sampling = false;
        ControlDialogue.global().removeListener(dialogueListener);
        Job.getJobManager().removeJobChangeListener(jobListener);
        if (error != null) {
            figures.put("error", error);
        }
        StringBuilder text = new StringBuilder();
        figures.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        String out = System.getProperty("sitebridge.benchmark.out");
        try {
            if (out == null || out.isBlank()) {
                System.out.print(text);
            } else {
                Files.writeString(Path.of(out), text);
            }
        } catch (IOException e) {
            System.err.println("sitebridge benchmark: cannot write " + out + ": " + e);
        }
        PlatformUI.getWorkbench().close();
    }
}
