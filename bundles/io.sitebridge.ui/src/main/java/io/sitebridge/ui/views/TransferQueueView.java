package io.sitebridge.ui.views;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.queue.ConflictDialog;
import io.sitebridge.ui.queue.QueueItem;
import io.sitebridge.ui.queue.QueueState;
import io.sitebridge.ui.queue.TransferQueue;

/**
 * The transfer queue: every item with its progress, rate, ETA and state; a
 * failed item's reason in its Details. Repaints at most four times a second
 * however many items change, so a 1000-file queue does not flood the display.
 */
public class TransferQueueView extends ViewPart {

    public static final String ID = "io.sitebridge.ui.views.transferQueue";

    private static final int REPAINT_MS = 250;
    private static final int PROGRESS_COLUMN = 2;
    private static final int STATE_COLUMN = 3;
    private static final int DETAILS_COLUMN = 8;
    private static final String[] TITLES = { "Name", "Size", "Progress", "State", "Rate", "ETA", "From", "To",
            "Details" };
    private static final int[] WIDTHS = { 150, 65, 90, 125, 75, 45, 120, 120, 320 };

    private final TransferQueue.Listener listener = new TransferQueue.Listener() {
        @Override
        public void itemsChanged() {
            dirty = true;
        }

        @Override
        public void itemChanged(QueueItem item) {
            dirty = true;
        }
    };

    private volatile boolean dirty = true;
    private Table table;
    private List<QueueItem> items = List.of();
    private Color barColour;
    private Color failedColour;
    private final Runnable tick = this::tick;

    @Override
    public void createPartControl(Composite parent) {
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
            table.setToolTipText(item != null && item.getData() instanceof QueueItem q && !q.detail().isEmpty()
                    ? q.detail() : null);
        });
        createActions();
        TransferQueue queue = SitebridgeUi.getDefault().queue();
        queue.addListener(listener);
        queue.setConflictResolver(ConflictDialog.resolverOn(parent.getDisplay()));
        parent.getDisplay().timerExec(REPAINT_MS, tick);
    }

    private void createActions() {
        ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
        TransferQueue queue = SitebridgeUi.getDefault().queue();
        IAction cancel = action("Cancel", images.getImageDescriptor(ISharedImages.IMG_ELCL_STOP),
                () -> queue.cancel(selected()));
        IAction retry = action("Retry", SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_REFRESH),
                () -> queue.retry(selected()));
        IAction remove = action("Remove", images.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVE),
                () -> queue.remove(selected()));
        IAction clear = action("Clear Finished", images.getImageDescriptor(ISharedImages.IMG_ELCL_REMOVEALL),
                queue::clearFinished);
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
        menu.add(clear);
        table.setMenu(menu.createContextMenu(table));
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

    private List<QueueItem> selected() {
        List<QueueItem> list = new ArrayList<>();
        for (int i : table.getSelectionIndices()) {
            if (i < items.size()) {
                list.add(items.get(i));
            }
        }
        return list;
    }

    private void tick() {
        if (table == null || table.isDisposed()) {
            return;
        }
        if (dirty) {
            dirty = false;
            List<QueueItem> now = SitebridgeUi.getDefault().queue().items();
            if (now.size() != items.size()) {
                table.setItemCount(now.size());
            }
            items = now;
            table.clearAll();
            setContentDescription(summary(now));
        }
        table.getDisplay().timerExec(REPAINT_MS, tick);
    }

    private static String summary(List<QueueItem> items) {
        int[] counts = new int[QueueState.values().length];
        for (QueueItem i : items) {
            counts[i.state().ordinal()]++;
        }
        if (items.isEmpty()) {
            return "Drag files or folders from one site pane to the other to queue transfers.";
        }
        StringBuilder sb = new StringBuilder();
        for (QueueState s : QueueState.values()) {
            if (counts[s.ordinal()] > 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(counts[s.ordinal()]).append(' ')
                        .append(s.label().toLowerCase(Locale.ROOT));
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
        row.setText(new String[] { q.name(), q.isFolder() ? "" : Paths.humanSize(q.size()), "",
                q.kind().label() + ": " + q.state().label(), rate(q), eta(q), q.from().site() + " " + q.from().parent(),
                q.to().site() + " " + q.to().parent(), q.detail() });
        row.setForeground(STATE_COLUMN, q.state() == QueueState.FAILED ? failedColour : null);
        row.setForeground(DETAILS_COLUMN, q.state() == QueueState.FAILED ? failedColour : null);
    }

    private static String rate(QueueItem q) {
        double r = q.bytesPerSecond();
        if (r <= 0 || q.isFolder() || (q.state() != QueueState.RUNNING && q.state() != QueueState.DONE)) {
            return "";
        }
        return Paths.humanSize((long) r) + "/s";
    }

    private static String eta(QueueItem q) {
        long s = q.etaSeconds();
        if (s < 0) {
            return "";
        }
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
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
        double f = q.fraction();
        Color oldBg = gc.getBackground();
        Color oldFg = gc.getForeground();
        Display d = table.getDisplay();
        gc.setForeground(d.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        gc.drawRectangle(x, y, w - 1, h - 1);
        if (f > 0) {
            gc.setBackground(q.state() == QueueState.FAILED ? failedColour : barColour);
            gc.fillRectangle(x + 1, y + 1, (int) ((w - 2) * f), h - 2);
        }
        String label = q.isFolder() ? (q.state() == QueueState.DONE ? "listed" : "")
                : f >= 0 ? Math.round(f * 100) + "%" : q.state() == QueueState.RUNNING ? "\u2026" : "";
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
        if (ui != null) {
            ui.queue().removeListener(listener);
        }
        super.dispose();
    }
}
