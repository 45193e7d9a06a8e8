package io.sitebridge.ui.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.part.ViewPart;

import io.sitebridge.core.ServerText;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.Progress;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;
import io.sitebridge.transfer.queue.TransferQueue;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.queue.QueueLabels;

/**
 * The transfer queue (the transfer bundle's, one per workbench): every item with its progress,
 * rate, ETA and state; a failed item's reason in its Details. The view only observes: queue events
 * (on the queue's thread) mark it stale and schedule one refresh through asyncExec, at most four a
 * second however many items change, so a 100,000-file queue does not flood the display.
 *
 * <p>The table is virtual: a row's text is made only when GTK shows it ({@code SWT.SetData}), from
 * the snapshot of the items the last refresh took. The snapshot is taken off the display thread (it
 * waits for the queue's lock); showing it costs O(rows) in Java (a count) and changes the table's row
 * count by at most {@link #ROWS_PER_STEP} at a time (GTK appends
 * or removes rows one by one, with a signal each): a folder that adds 100,000 files grows the table
 * over a few ticks instead of blocking the display thread for all of them at once.
 */
public class TransferQueueView extends ViewPart {

    public static final String ID = "io.sitebridge.ui.views.transferQueue";

    private static final int REPAINT_MS = 250;
    /** Rows added to or removed from the table per step; the next step follows after {@link #STEP_MS}. */
    static final int ROWS_PER_STEP = 2000;
    private static final int STEP_MS = 20;
    private static final int PROGRESS_COLUMN = 2;
    private static final int STATE_COLUMN = 3;
    private static final int DETAILS_COLUMN = 8;
    private static final String[] TITLES = { "Name", "Size", "Progress", "State", "Rate", "ETA", "From", "To",
            "Details" };
    private static final int[] WIDTHS = { 150, 65, 90, 135, 75, 45, 120, 120, 320 };

    private final Map<Long, Progress> progress = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** A snapshot of the items is being taken for the display thread. */
    private final AtomicBoolean fetching = new AtomicBoolean();
    /** Takes the queue's snapshots off the display thread (one daemon thread, idle most of the time). */
    private static final java.util.concurrent.ExecutorService SNAPSHOTS = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("sitebridge-queue-view").unstarted(r));
    private final QueueListener listener = new QueueListener() {
        @Override
        public void itemAdded(QueueItem item) {
            changed();
        }

        @Override
        public void itemChanged(QueueItem item) {
            if (item.state().isFinished()) {
                progress.remove(item.id()); // its rate and ETA are shown no more: nothing kept per finished file
            }
            changed();
        }

        @Override
        public void itemRemoved(QueueItem item) {
            progress.remove(item.id());
            changed();
        }

        @Override
        public void progress(Progress p) {
            progress.put(p.itemId(), p);
            changed();
        }
    };

    private Display display;
    private Table table;
    private List<QueueItem> items = List.of();
    private long lastRefresh;
    private Color barColour;
    private Color failedColour;

    @Override
    public void createPartControl(Composite parent) {
        display = parent.getDisplay();
        parent.setLayout(new FillLayout());
        table = new Table(parent, SWT.VIRTUAL | SWT.MULTI | SWT.FULL_SELECTION);
        table.setHeaderVisible(true);
        for (int i = 0; i < TITLES.length; i++) {
            TableColumn c = new TableColumn(table, i == 1 || i == 4 || i == 5 ? SWT.RIGHT : SWT.LEFT);
            c.setText(TITLES[i]);
            c.setWidth(WIDTHS[i]);
        }
        barColour = new Color(0x4C, 0x9A, 0x2A);
        failedColour = new Color(0xC6, 0x28, 0x28);
        table.addListener(SWT.SetData, e -> fill((TableItem) e.item, e.index));
        table.addListener(SWT.EraseItem, this::eraseProgress);
        table.addListener(SWT.PaintItem, this::paintProgress);
        table.addListener(SWT.MouseHover, e -> {
            TableItem item = table.getItem(new Point(e.x, e.y));
            table.setToolTipText(item != null && item.getData() instanceof QueueItem q && !q.reason().isEmpty()
                    ? toolTip(q) : null);
        });
        createActions();
        queue().addListener(listener);
        SitebridgeUi.getDefault().failItemsOfUnknownSites();
        refresh();
    }

    private static TransferQueue queue() {
        return SitebridgeUi.getDefault().queue();
    }

    /** The item's reason and, on lines of their own, what it says under it (remedies, clean-up). */
    static String toolTip(QueueItem q) {
        StringBuilder b = new StringBuilder(ServerText.printable(q.reason()));
        for (String line : q.details()) {
            b.append('\n').append(ServerText.printable(line));
        }
        return b.toString();
    }

    private void createActions() {
        ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
        IAction cancel = action("Cancel", images.getImageDescriptor(ISharedImages.IMG_ELCL_STOP),
                () -> queue().cancel(selected()));
        IAction retry = action("Retry", SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_REFRESH),
                () -> queue().retry(selected()));
        IAction remove = action("Remove", images.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVE),
                () -> queue().remove(selected()));
        IAction clear = action("Clear Finished", images.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVEALL),
                () -> queue().clearFinished());
        IAction clearData = action("Allow Clear FXP Data Between These Sites", null, this::allowClearDataAndRetry);
        IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
        toolbar.add(cancel);
        toolbar.add(retry);
        toolbar.add(remove);
        toolbar.add(new Separator());
        toolbar.add(clear);
        MenuManager menu = new MenuManager();
        menu.add(cancel);
        menu.add(retry);
        menu.add(remove);
        menu.add(new Separator());
        menu.add(clearData);
        menu.add(new Separator());
        menu.add(clear);
        table.setMenu(menu.createContextMenu(table));
    }

    /**
     * For the selected transfers that failed because protected FXP was impossible (both servers use
     * TLS, neither can be the TLS client of the data connection): asks once per pair of sites whether
     * the file data may go between the two servers unencrypted (PROT C; the control connections stay
     * encrypted), remembers the answer for the pair, and retries them.
     */
    private void allowClearDataAndRetry() {
        SitebridgeUi ui = SitebridgeUi.getDefault();
        List<Long> retry = new ArrayList<>();
        java.util.Map<String, Boolean> asked = new java.util.HashMap<>();
        for (int i : table.getSelectionIndices()) {
            QueueItem item = i < items.size() ? items.get(i) : null;
            if (item == null || item.problem() != io.sitebridge.transfer.TransferException.Reason.TLS_FXP_IMPOSSIBLE) {
                continue;
            }
            var src = ui.siteByKey(item.sourceSite());
            var dst = ui.siteByKey(item.destinationSite());
            if (src.isEmpty() || dst.isEmpty()) {
                continue;
            }
            String pair = src.get().name() + " -> " + dst.get().name();
            boolean yes = asked.computeIfAbsent(pair, p -> org.eclipse.jface.dialogs.MessageDialog.openQuestion(
                    table.getShell(), "Allow Clear FXP Data", "Both " + src.get().name() + " and " + dst.get().name()
                            + " use TLS, but neither can be the TLS client of the data connection (no SSCN or CPSV),"
                            + " so their files cannot go from server to server encrypted.\n\nLet the file data"
                            + " between them go unencrypted (PROT C) from now on? The logins and commands stay"
                            + " encrypted.\n\n" + p));
            if (yes) {
                queue().strategies().allowClearData(src.get(), dst.get(), true);
                retry.add(item.id());
            }
        }
        if (asked.isEmpty()) {
            org.eclipse.jface.dialogs.MessageDialog.openInformation(table.getShell(), "Allow Clear FXP Data",
                    "Select a transfer that failed because protected FXP was impossible.");
        }
        queue().retry(retry);
    }

    private static IAction action(String text, ImageDescriptor image, Runnable run) {
        Action a = new Action(text) {
            @Override
            public void run() {
                run.run();
            }
        };
        a.setToolTipText(text);
        a.setImageDescriptor(image);
        return a;
    }

    /** The ids of the selected rows (the queue's operations take ids). */
    private List<Long> selected() {
        List<Long> ids = new ArrayList<>();
        for (int i : table.getSelectionIndices()) {
            if (i < items.size()) {
                ids.add(items.get(i).id());
            }
        }
        return ids;
    }

    /** On the queue's event thread: one refresh scheduled at a time, and not sooner than REPAINT_MS after the last. */
    private void changed() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        Display d = display;
        if (d == null || d.isDisposed()) {
            return;
        }
        d.asyncExec(() -> {
            long wait = REPAINT_MS - (System.currentTimeMillis() - lastRefresh);
            if (wait > 0) {
                d.timerExec((int) wait, this::refresh);
            } else {
                refresh();
            }
        });
    }

    /**
     * On the display thread, at most every REPAINT_MS: asks for the items. The snapshot is taken on
     * the view's own thread, never here: it waits for the queue's lock, which a folder of 100,000
     * files being queued or removed holds for a while.
     */
    private void refresh() {
        scheduled.set(false); // events from now on schedule the next refresh
        if (table == null || table.isDisposed()) {
            return;
        }
        lastRefresh = System.currentTimeMillis();
        if (!fetching.compareAndSet(false, true)) {
            changed(); // a snapshot is on its way; another follows it
            return;
        }
        Display d = display;
        SNAPSHOTS.execute(() -> {
            List<QueueItem> now;
            try {
                now = queue().items();
            } finally {
                fetching.set(false);
            }
            if (!d.isDisposed()) {
                d.asyncExec(() -> show(now));
            }
        });
    }

    /** On the display thread: the table shows {@code now} (its row count a step closer to it). */
    private void show(List<QueueItem> now) {
        if (table == null || table.isDisposed()) {
            return;
        }
        int rows = table.getItemCount();
        int want = now.size();
        if (rows != want) {
            // Rows past the end of the items (while the table shrinks in steps) stay blank: fill() skips them.
            int step = Math.max(-ROWS_PER_STEP, Math.min(ROWS_PER_STEP, want - rows));
            table.setItemCount(rows + step);
            if (rows + step != want) {
                display.timerExec(STEP_MS, () -> {
                    if (items == now) {
                        show(now); // unless a newer snapshot came meanwhile (it goes on stepping itself)
                    }
                });
            }
        }
        items = now;
        table.clearAll();
        String summary = summary(now);
        if (!summary.equals(getContentDescription())) {
            setContentDescription(summary); // lays the view out again: only when the words change
        }
    }

    private static String summary(List<QueueItem> items) {
        if (items.isEmpty()) {
            return "Drag files or folders from one pane to the other to queue transfers.";
        }
        int[] counts = new int[ItemState.values().length];
        for (QueueItem i : items) {
            counts[i.state().ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        for (ItemState s : ItemState.values()) {
            if (counts[s.ordinal()] > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(counts[s.ordinal()]).append(' ')
                        .append(s.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sb.toString();
    }

    private void fill(TableItem row, int index) {
        if (index >= items.size()) {
            return;
        }
        QueueItem q = items.get(index);
        row.setData(q);
        ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
        row.setImage(0, images.getImage(q.isFolder() ? ISharedImages.IMG_OBJ_FOLDER : ISharedImages.IMG_OBJ_FILE));
        row.setText(new String[] { ServerText.printable(q.name()), q.isFolder() || q.size() < 0 ? "" : Paths.humanSize(q.size()), "",
                QueueLabels.kind(q) + ": " + QueueLabels.state(q.state()), rate(q), eta(q),
                QueueLabels.where(q.sourceSite(), q.sourcePath()),
                QueueLabels.where(q.destinationSite(), q.destinationPath()), ServerText.printable(q.reason()) });
        boolean failed = q.state() == ItemState.FAILED;
        row.setForeground(STATE_COLUMN, failed ? failedColour : null);
        row.setForeground(DETAILS_COLUMN, failed ? failedColour : null);
    }

    private String rate(QueueItem q) {
        Progress p = progress.get(q.id());
        if (p == null || p.bytesPerSecond() <= 0 || q.isFolder()
                || (q.state() != ItemState.RUNNING && q.state() != ItemState.DONE)) {
            return "";
        }
        return Paths.humanSize((long) p.bytesPerSecond()) + "/s";
    }

    private String eta(QueueItem q) {
        Progress p = progress.get(q.id());
        long s = p == null || q.state() != ItemState.RUNNING ? -1 : p.etaSeconds();
        if (s < 0) {
            return "";
        }
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /** 0..1, or -1 when it cannot be known. */
    private double fraction(QueueItem q) {
        if (q.state() == ItemState.DONE) {
            return 1;
        }
        if (q.state() == ItemState.SKIPPED) {
            return -1; // nothing was meant to move: no bar
        }
        Progress p = progress.get(q.id());
        long bytes = p != null && q.state() == ItemState.RUNNING ? p.bytes() : q.bytes();
        long total = q.size() > 0 ? q.size() : p != null ? p.total() : -1;
        return total > 0 ? Math.min(1, (double) bytes / total) : -1;
    }

    private void eraseProgress(Event e) {
        if (e.index == PROGRESS_COLUMN) {
            e.detail &= ~SWT.FOREGROUND;
        }
    }

    private void paintProgress(Event e) {
        if (e.index != PROGRESS_COLUMN || !(e.item.getData() instanceof QueueItem q)) {
            return;
        }
        GC gc = e.gc;
        Rectangle cell = ((TableItem) e.item).getBounds(PROGRESS_COLUMN);
        int x = cell.x + 3;
        int y = cell.y + 3;
        int w = cell.width - 6;
        int h = cell.height - 6;
        double f = fraction(q);
        Color oldBg = gc.getBackground();
        Color oldFg = gc.getForeground();
        Display d = table.getDisplay();
        gc.setForeground(d.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(x, y, w - 1, h - 1);
        if (f > 0) {
            gc.setBackground(q.state() == ItemState.FAILED ? failedColour : barColour);
            gc.fillRectangle(x + 1, y + 1, (int) ((w - 2) * f), h - 2);
        }
        String label = q.isFolder() ? (q.state() == ItemState.DONE ? "100%" : "") // a folder is done with all its files
                : f >= 0 ? Math.round(f * 100) + "%" : q.state() == ItemState.RUNNING ? "\u2026" : "";
        Point extent = gc.textExtent(label);
        gc.setForeground(d.getSystemColor(f > 0.5 ? SWT.COLOR_WHITE : SWT.COLOR_BLACK));
        gc.drawText(label, x + (w - extent.x) / 2, y + (h - extent.y) / 2, true);
        gc.setBackground(oldBg);
        gc.setForeground(oldFg);
    }

    /** The items as shown, index for index with the table's rows. */
    public List<QueueItem> shownItems() {
        return items;
    }

    public Table table() {
        return table;
    }

    @Override
    public void setFocus() {
        table.setFocus();
    }

    @Override
    public void dispose() {
        SitebridgeUi ui = SitebridgeUi.getDefault();
        if (ui != null && ui.queue() != null) {
            ui.queue().removeListener(listener);
        }
        super.dispose();
    }
}
