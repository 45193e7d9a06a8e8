package io.sitebridge.ui.views;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.IAction;
import org.eclipse.jface.action.IMenuManager;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.jface.action.MenuManager;
import org.eclipse.jface.action.Separator;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DragSource;
import org.eclipse.swt.dnd.DragSourceAdapter;
import org.eclipse.swt.dnd.DragSourceEvent;
import org.eclipse.swt.dnd.DropTarget;
import org.eclipse.swt.dnd.DropTargetAdapter;
import org.eclipse.swt.dnd.DropTargetEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.IViewReference;
import org.eclipse.ui.ISharedImages;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.actions.ActionFactory;
import org.eclipse.ui.contexts.IContextService;
import org.eclipse.ui.part.ViewPart;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Endpoint;
import io.sitebridge.ui.browse.EntryListing;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.compare.CompareModel;
import io.sitebridge.ui.compare.MirrorPreviewDialog;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.dnd.EntryRefs;
import io.sitebridge.ui.dnd.EntryTransfer;
import io.sitebridge.ui.prefs.Prefs;
import io.sitebridge.transfer.op.CreateFolderOperation;
import io.sitebridge.transfer.op.DeleteOperation;
import io.sitebridge.transfer.op.DisconnectOperation;
import io.sitebridge.transfer.op.ListFolderOperation;
import io.sitebridge.transfer.op.RenameOperation;
import io.sitebridge.transfer.op.SiteOperation;
import io.sitebridge.transfer.op.TransferOperation;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;
import io.sitebridge.transfer.queue.SessionPool;
import io.sitebridge.ui.jobs.OperationJob;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.sites.SiteRegistry;
import io.sitebridge.ui.workspace.WorkspaceFolder;

/**
 * Browses one FTP site or the local file system. The Site-to-Site perspective
 * shows two of them, with the secondary ids {@link #LEFT} and {@link #RIGHT}.
 * Entries dragged (or copied) to another pane are queued as transfers: FXP
 * between two sites, upload or download with the local files. Every action is
 * an operation of {@code io.sitebridge.transfer.op} run in an {@link OperationJob}
 * (its rule: the site, so one site's operations run one at a time, from both
 * panes); the UI is updated through asyncExec. The control connections come
 * from the transfer queue's {@link SessionPool}: a site's connection limit holds
 * for both panes and the queue together.
 */
public class SiteBrowserView extends ViewPart {

    public static final String ID = "io.sitebridge.ui.views.siteBrowser";
    public static final String LEFT = "left";
    public static final String RIGHT = "right";
    public static final String CONTEXT = "io.sitebridge.ui.siteBrowserContext";
    public static final String COMPARE_TIP = "Compare the two panes' folders, recursively (both panes)";
    public static final String SYNC_TIP = "Synchronized browsing: entering a folder in one pane enters it in the other";
    public static final String MIRROR_RIGHT_TIP = "Mirror the left folder onto the right one (preview first)";
    public static final String MIRROR_LEFT_TIP = "Mirror the right folder onto the left one (preview first)";

    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final int HISTORY = 20;

    /** The pane a drag started in, so a pane ignores drops of its own entries. */
    private static SiteBrowserView dragOrigin;

    private final SiteRegistry.Listener sitesListener = () -> ui(this::refreshSiteChoices);
    /** Refreshes the pane when a transfer into the folder it shows ends (called on the queue's thread). */
    private final QueueListener queueListener = new QueueListener() {
        @Override
        public void itemChanged(QueueItem item) {
            String shown = site;
            String folder = currentPath;
            if (shown == null || folder == null || !item.state().isFinished()
                    || !Paths.parentOf(item.destinationPath()).equals(folder)) {
                return;
            }
            SitebridgeUi ui = SitebridgeUi.getDefault();
            if (ui != null && ui.endpoint(shown).map(e -> e.key().equals(item.destinationSite())).orElse(false)) {
                ui(SiteBrowserView.this::refreshSoon);
            }
        }
    };

    private final EntryListing listing = new EntryListing();
    private final LinkedList<String> history = new LinkedList<>();

    private Combo siteCombo;
    private Button connectButton;
    private Combo pathCombo;
    private Text filterText;
    private Table table;
    private Label status;
    private Clipboard clipboard;
    private boolean refreshPending;

    private IAction upAction;
    private IAction refreshAction;
    private IAction newFolderAction;
    private IAction renameAction;
    private IAction deleteAction;
    private IAction transferAction;
    private IAction copyAction;
    private IAction pasteAction;
    /** Compare mode (both panes): the verdict column, the summary bar and their actions. */
    private Label compareBar;
    private TableColumn compareColumn;
    private IAction compareAction;
    private IAction syncAction;
    private IAction mirrorToRightAction;
    private IAction mirrorToLeftAction;

    /** The queue's endpoint of the site shown (also while connecting); null when none. */
    private volatile io.sitebridge.transfer.queue.Endpoint where;
    /** The first listing of {@link #where} succeeded. */
    private volatile boolean connected;
    private volatile String site;
    private volatile String currentPath = "/";

    @Override
    public void createPartControl(Composite parent) {
        ControlDialogueConsole.install();
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.verticalSpacing = 2;
        parent.setLayout(layout);

        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        GridLayout barLayout = new GridLayout(3, false);
        barLayout.marginHeight = 2;
        bar.setLayout(barLayout);
        new Label(bar, SWT.NONE).setText("Site:");
        siteCombo = new Combo(bar, SWT.READ_ONLY);
        siteCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        siteCombo.addListener(SWT.Selection, e -> {
            String chosen = siteCombo.getText();
            if (!chosen.isEmpty() && !chosen.equals(site)) {
                connect(chosen);
            }
        });
        connectButton = new Button(bar, SWT.PUSH);
        connectButton.setText("Connect");
        connectButton.addListener(SWT.Selection, e -> toggleConnection());

        Composite pathBar = new Composite(parent, SWT.NONE);
        pathBar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        GridLayout pathLayout = new GridLayout(2, false);
        pathLayout.marginHeight = 0;
        pathBar.setLayout(pathLayout);
        pathCombo = new Combo(pathBar, SWT.DROP_DOWN);
        pathCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        pathCombo.setToolTipText("Path (Enter to go; the list holds the folders visited)");
        pathCombo.addListener(SWT.DefaultSelection, e -> open(pathCombo.getText().trim()));
        pathCombo.addListener(SWT.Selection, e -> open(pathCombo.getText().trim()));
        filterText = new Text(pathBar, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        GridData filterData = new GridData(SWT.FILL, SWT.CENTER, false, false);
        filterData.widthHint = 140;
        filterText.setLayoutData(filterData);
        filterText.setMessage("Filter (*.jpg)");
        filterText.addListener(SWT.Modify, e -> {
            listing.setFilter(filterText.getText());
            refreshTable();
        });

        compareBar = new Label(parent, SWT.WRAP);
        GridData compareData = new GridData(SWT.FILL, SWT.TOP, true, false);
        compareData.horizontalIndent = 4;
        compareData.widthHint = 100; // wraps in the pane's width instead of widening it
        compareData.exclude = true;
        compareBar.setLayoutData(compareData);
        compareBar.setVisible(false);

        table = new Table(parent, SWT.VIRTUAL | SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        table.setHeaderVisible(true);
        table.setLinesVisible(false);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        column("Name", 250, EntryListing.Column.NAME, SWT.LEFT);
        column("Size", 80, EntryListing.Column.SIZE, SWT.RIGHT);
        column("Modified", 125, EntryListing.Column.MODIFIED, SWT.LEFT);
        column("Permissions", 90, EntryListing.Column.PERMISSIONS, SWT.LEFT);
        column("Owner", 70, EntryListing.Column.OWNER, SWT.LEFT);
        compareColumn = new TableColumn(table, SWT.LEFT);
        compareColumn.setText("Compare");
        compareColumn.setWidth(0);
        compareColumn.setResizable(false);
        table.setSortColumn(table.getColumn(0));
        table.setSortDirection(SWT.UP);
        table.addListener(SWT.SetData, e -> fill((TableItem) e.item, e.index));
        table.addListener(SWT.DefaultSelection, e -> openSelected());
        table.addListener(SWT.Selection, e -> updateActions());
        table.addListener(SWT.KeyDown, e -> {
            if (e.keyCode == SWT.BS) {
                goUp();
            }
        });

        status = new Label(parent, SWT.NONE);
        GridData statusData = new GridData(SWT.FILL, SWT.BOTTOM, true, false);
        statusData.horizontalIndent = 4;
        status.setLayoutData(statusData);
        status.setText("Not connected");

        clipboard = new Clipboard(parent.getDisplay());
        createActions();
        contributeToBars();
        initDrag();
        initDrop();

        SitebridgeUi ui = SitebridgeUi.getDefault();
        ui.sites().addListener(sitesListener);
        ui.queue().addListener(queueListener);
        ui.failItemsOfUnknownSites();
        IContextService contexts = getSite().getService(IContextService.class);
        if (contexts != null) {
            contexts.activateContext(CONTEXT);
        }
        refreshSiteChoices();
        String pane = getViewSite().getSecondaryId();
        setPartName(paneLabel());
        Optional<Site> initial = pane == null ? Optional.empty() : ui.sites().defaultFor(pane);
        initial.ifPresent(s -> connect(s.name()));
        updateActions();
    }

    private String paneLabel() {
        String pane = getViewSite().getSecondaryId();
        return RIGHT.equals(pane) ? "Right" : LEFT.equals(pane) ? "Left" : "Site Browser";
    }

    private void column(String title, int width, EntryListing.Column sort, int align) {
        TableColumn column = new TableColumn(table, align);
        column.setText(title);
        column.setWidth(width);
        column.setMoveable(true);
        column.addListener(SWT.Selection, e -> {
            listing.sortBy(sort);
            table.setSortColumn(column);
            table.setSortDirection(listing.ascending() ? SWT.UP : SWT.DOWN);
            refreshTable();
        });
    }

    private void fill(TableItem item, int index) {
        RemoteEntry e = listing.shown(index);
        if (e == null) {
            return;
        }
        item.setData(e);
        item.setText(new String[] { ServerText.printable(e.name()), e.isDirectory() ? "" : Paths.humanSize(e.size()),
                e.modified() == null ? "" : MODIFIED.format(e.modified()), ServerText.printable(nonNull(e.permissions())),
                ServerText.printable(nonNull(e.owner())), "" });
        item.setImage(0, imageOf(e));
        CompareModel model = CompareModel.get();
        item.setText(5, model.cellText(this, e.name(), e.isDirectory()));
        item.setBackground(CompareColours.of(item.getDisplay(), model.verdict(this, e.name(), e.isDirectory())));
    }

    private static Image imageOf(RemoteEntry e) {
        ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
        if (e.isDirectory()) {
            return images.getImage(ISharedImages.IMG_OBJ_FOLDER);
        }
        if (e.isLink()) {
            return images.getImage(ISharedImages.IMG_OBJ_ELEMENT);
        }
        return images.getImage(ISharedImages.IMG_OBJ_FILE);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    // ---- actions, menus, toolbars

    private void createActions() {
        ISharedImages images = PlatformUI.getWorkbench().getSharedImages();
        upAction = action("Up", "Go to the parent folder (Backspace)", images.getImageDescriptor(ISharedImages.IMG_TOOL_UP), this::goUp);
        refreshAction = action("Refresh", "List the folder again (F5)",
                SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_REFRESH), this::refreshByUser);
        newFolderAction = action("New Folder\u2026", "Create a folder here",
                SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_NEW_FOLDER), this::newFolder);
        renameAction = action("Rename\u2026", "Rename the selected entry (F2)",
                SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_RENAME), this::renameSelected);
        deleteAction = action("Delete", "Delete the selected entries (Delete)",
                images.getImageDescriptor(ISharedImages.IMG_TOOL_DELETE), this::deleteSelected);
        transferAction = action("Transfer to Other Pane", "Copy the selection to the other pane's folder (F6)",
                SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_TRANSFER),
                this::transferToOtherPane);
        transferAction.setActionDefinitionId("io.sitebridge.ui.transferToOtherPane");
        copyAction = action("Copy", "Copy references to the selected entries",
                images.getImageDescriptor(ISharedImages.IMG_TOOL_COPY), this::copySelection);
        pasteAction = action("Paste", "Transfer the copied entries into this folder",
                images.getImageDescriptor(ISharedImages.IMG_TOOL_PASTE), this::paste);
        compareAction = new Action("Compare Panes", IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                toggleCompare(isChecked());
            }
        };
        compareAction.setToolTipText(COMPARE_TIP);
        compareAction.setImageDescriptor(images.getImageDescriptor(ISharedImages.IMG_OBJ_ELEMENT));
        syncAction = new Action("Synchronized Browsing", IAction.AS_CHECK_BOX) {
            @Override
            public void run() {
                toggleSync(isChecked());
            }
        };
        syncAction.setToolTipText(SYNC_TIP);
        syncAction.setImageDescriptor(images.getImageDescriptor(ISharedImages.IMG_ELCL_SYNCED));
        mirrorToRightAction = action("Mirror Left \u2192 Right\u2026", MIRROR_RIGHT_TIP,
                images.getImageDescriptor(ISharedImages.IMG_TOOL_FORWARD), () -> openMirrorPreview(true));
        mirrorToLeftAction = action("Mirror Right \u2192 Left\u2026", MIRROR_LEFT_TIP,
                images.getImageDescriptor(ISharedImages.IMG_TOOL_BACK), () -> openMirrorPreview(false));
    }

    private static IAction action(String text, String tooltip, org.eclipse.jface.resource.ImageDescriptor image,
            Runnable run) {
        Action a = new Action(text) {
            @Override
            public void run() {
                run.run();
            }
        };
        a.setToolTipText(tooltip);
        if (image != null) {
            a.setImageDescriptor(image);
        }
        return a;
    }

    private void contributeToBars() {
        IToolBarManager toolbar = getViewSite().getActionBars().getToolBarManager();
        toolbar.add(upAction);
        toolbar.add(refreshAction);
        toolbar.add(new Separator());
        toolbar.add(newFolderAction);
        toolbar.add(renameAction);
        toolbar.add(deleteAction);
        toolbar.add(new Separator());
        toolbar.add(transferAction);
        toolbar.add(new Separator());
        toolbar.add(compareAction);
        toolbar.add(syncAction);
        toolbar.add(mirrorToRightAction);
        toolbar.add(mirrorToLeftAction);
        IMenuManager viewMenu = getViewSite().getActionBars().getMenuManager();
        viewMenu.add(compareAction);
        viewMenu.add(syncAction);
        viewMenu.add(new Separator());
        viewMenu.add(mirrorToRightAction);
        viewMenu.add(mirrorToLeftAction);

        var bars = getViewSite().getActionBars();
        bars.setGlobalActionHandler(ActionFactory.COPY.getId(), copyAction);
        bars.setGlobalActionHandler(ActionFactory.PASTE.getId(), pasteAction);
        bars.setGlobalActionHandler(ActionFactory.DELETE.getId(), deleteAction);
        bars.setGlobalActionHandler(ActionFactory.RENAME.getId(), renameAction);
        bars.setGlobalActionHandler(ActionFactory.REFRESH.getId(), refreshAction);
        bars.setGlobalActionHandler(ActionFactory.SELECT_ALL.getId(), action("Select All", null, null, table::selectAll));
        bars.updateActionBars();

        MenuManager menu = new MenuManager("#SiteBrowser");
        menu.setRemoveAllWhenShown(true);
        menu.addMenuListener(this::fillContextMenu);
        table.setMenu(menu.createContextMenu(table));
    }

    private void fillContextMenu(IMenuManager menu) {
        updateActions();
        IAction open = action("Open", null, null, this::openSelected);
        RemoteEntry first = firstSelected();
        open.setEnabled(first != null && first.isDirectory());
        menu.add(open);
        menu.add(transferAction);
        menu.add(new Separator());
        menu.add(copyAction);
        menu.add(pasteAction);
        menu.add(new Separator());
        menu.add(newFolderAction);
        menu.add(renameAction);
        menu.add(deleteAction);
        menu.add(new Separator());
        menu.add(upAction);
        menu.add(refreshAction);
    }

    private void updateActions() {
        if (table == null || table.isDisposed()) {
            return;
        }
        int selected = table.getSelectionCount();
        upAction.setEnabled(connected && !"/".equals(currentPath));
        refreshAction.setEnabled(connected);
        newFolderAction.setEnabled(connected);
        renameAction.setEnabled(connected && selected == 1);
        deleteAction.setEnabled(connected && selected > 0);
        transferAction.setEnabled(connected && selected > 0);
        copyAction.setEnabled(connected && selected > 0);
        pasteAction.setEnabled(connected);
    }

    // ---- connecting and listing

    private void refreshSiteChoices() {
        if (siteCombo == null || siteCombo.isDisposed()) {
            return;
        }
        List<String> names = new ArrayList<>();
        names.add(Endpoint.LOCAL);
        if (WorkspaceFolder.available()) {
            names.add(Endpoint.WORKSPACE);
        }
        for (Site s : SitebridgeUi.getDefault().sites().all()) {
            names.add(s.name());
        }
        siteCombo.setItems(names.toArray(String[]::new));
        String shown = site;
        if (shown != null) {
            siteCombo.setText(shown);
            if (!names.contains(shown)) {
                disconnect(); // the site was removed
            }
        }
    }

    private void toggleConnection() {
        if (connected) {
            disconnect();
        } else if (!siteCombo.getText().isEmpty()) {
            connect(siteCombo.getText());
        }
    }

    /** Opens the named site (or {@link Endpoint#LOCAL}) in this pane, at the folder last seen there. */
    public void connect(String siteName) {
        boolean local = Endpoint.isLocal(siteName);
        SitebridgeUi ui = SitebridgeUi.getDefault();
        Optional<Site> remote = local ? Optional.empty() : ui.sites().byName(siteName);
        Optional<java.nio.file.Path> workspace = Endpoint.WORKSPACE.equals(siteName) ? WorkspaceFolder.root()
                : Optional.empty();
        if ((!local && remote.isEmpty()) || (Endpoint.WORKSPACE.equals(siteName) && workspace.isEmpty())) {
            return;
        }
        io.sitebridge.transfer.queue.Endpoint target = remote.map(io.sitebridge.transfer.queue.Endpoint::of)
                .orElse(io.sitebridge.transfer.queue.Endpoint.local());
        String start = workspace.map(java.nio.file.Path::toString).orElse(null);
        CompareModel.get().paneLeavesSite(this);
        logOut(where, target);
        where = target;
        connected = false;
        site = siteName;
        siteCombo.setText(siteName);
        status.setText("Connecting to " + siteName + "\u2026");
        setPartName(paneLabel() + " \u2013 " + siteName);
        updateActions();
        String last = Prefs.lastPath(siteName);
        ListFolderOperation op = last != null && !last.isEmpty() && !last.equals(start)
                ? new ListFolderOperation(pool(), target, last, start)
                : new ListFolderOperation(pool(), target, start);
        Runnable connectedNow = () -> {
            connected = true;
            connectButton.setText("Disconnect");
            updateActions();
        };
        run("Connecting to " + siteName, SitebridgeJobs.LIST, op)
                .onSuccess(() -> show(target, op.folder(), op.entries(), connectedNow)).schedule();
    }

    public void disconnect() {
        CompareModel.get().paneLeavesSite(this);
        logOut(where, null);
        where = null;
        connected = false;
        site = null;
        connectButton.setText("Connect");
        listing.setEntries(List.of());
        refreshTable();
        status.setText("Not connected");
        setPartName(paneLabel());
        updateActions();
    }

    /** Closes the pool's idle sessions to the site the pane leaves (unless it opens the same site again). */
    private void logOut(io.sitebridge.transfer.queue.Endpoint leaving, io.sitebridge.transfer.queue.Endpoint next) {
        if (leaving instanceof io.sitebridge.transfer.queue.Endpoint.Remote
                && (next == null || !next.key().equals(leaving.key()))) {
            new OperationJob("Disconnecting from " + leaving.displayName(), SitebridgeJobs.LIST,
                    new DisconnectOperation(pool(), leaving)).schedule();
        }
    }

    private static SessionPool pool() {
        return SitebridgeUi.getDefault().queue().sessions();
    }

    /** Lists {@code path} and shows it. */
    public void open(String path) {
        list(where, path, null);
    }

    /**
     * Lists {@code folder} of {@code w} in a job, shows it, then runs {@code afterShown} (on the UI
     * thread); nothing when the pane shows another site by now (a follow-up of an older job).
     */
    private void list(io.sitebridge.transfer.queue.Endpoint w, String folder, Runnable afterShown) {
        if (w == null || w != where || !connected || folder == null || folder.isEmpty()) {
            return;
        }
        ListFolderOperation op = new ListFolderOperation(pool(), w, folder);
        run("Listing " + folder, SitebridgeJobs.LIST, op)
                .onSuccess(() -> show(w, op.folder(), op.entries(), afterShown)).schedule();
    }

    public void refresh() {
        open(currentPath);
    }

    /** Refresh (F5): the listing, and in compare mode the comparison too. */
    private void refreshByUser() {
        refresh();
        CompareModel model = CompareModel.get();
        if (model.isComparing() && model.summary(this) != null) {
            model.compare();
        }
    }

    private void refreshSoon() {
        if (refreshPending) {
            return;
        }
        refreshPending = true;
        table.getDisplay().timerExec(300, () -> {
            refreshPending = false;
            if (!table.isDisposed()) {
                refresh();
            }
        });
    }

    private void goUp() {
        if (!"/".equals(currentPath)) {
            String child = Paths.nameOf(currentPath);
            list(where, Paths.parentOf(currentPath), () -> select(child));
        }
    }

    private void openSelected() {
        RemoteEntry e = firstSelected();
        if (e != null && e.isDirectory()) {
            open(Paths.child(currentPath, e.name()));
        }
    }

    /**
     * Shows the entries of {@code path} (on the UI thread, from a job) and then runs {@code afterShown}
     * (may be null), unless the pane shows another site by then (a listing that ends after the user
     * chose another site is dropped).
     */
    private void show(io.sitebridge.transfer.queue.Endpoint listed, String path, List<RemoteEntry> entries,
            Runnable afterShown) {
        ui(() -> {
            if (where != listed) {
                return;
            }
            String siteNow = site;
            String previous = currentPath;
            currentPath = path;
            List<String> keepSelected = path.equals(previous) ? selectedNames() : List.of();
            List<RemoteEntry> visible = entries;
            if (!Prefs.store().getBoolean(Prefs.SHOW_HIDDEN)) {
                visible = entries.stream().filter(e -> !e.name().startsWith(".")).toList();
            }
            listing.setEntries(visible);
            refreshTable();
            if (!path.equals(previous)) {
                CompareModel.get().folderShown(this, path);
            }
            table.deselectAll(); // the rows are other entries now: keep only what was selected by name
            for (String name : keepSelected) {
                int i = listing.indexOf(name);
                if (i >= 0) {
                    table.select(i);
                }
            }
            pathCombo.setText(path);
            history.remove(path);
            history.addFirst(path);
            while (history.size() > HISTORY) {
                history.removeLast();
            }
            pathCombo.setItems(history.toArray(String[]::new));
            pathCombo.setText(path);
            if (siteNow != null) {
                Prefs.rememberPath(siteNow, path);
            }
            updateActions();
            if (afterShown != null) {
                afterShown.run();
            }
        });
    }

    private void refreshTable() {
        if (table == null || table.isDisposed()) {
            return;
        }
        table.setItemCount(listing.shown().size());
        table.clearAll();
        updateStatus();
        updateCompareBar();
    }

    // ---- compare mode, synchronized browsing, mirror

    private void toggleCompare(boolean on) {
        CompareModel model = CompareModel.get();
        if (!on) {
            model.stopComparing();
            return;
        }
        SiteBrowserView[] pair = pair();
        if (pair == null) {
            compareAction.setChecked(false);
            return;
        }
        model.startComparing(pair[0], pair[1]);
    }

    private void toggleSync(boolean on) {
        CompareModel model = CompareModel.get();
        if (!on) {
            model.stopSyncing();
            return;
        }
        SiteBrowserView[] pair = pair();
        if (pair == null) {
            syncAction.setChecked(false);
            return;
        }
        model.startSyncing(pair[0], pair[1]);
    }

    /** {left, right} when both panes show a site, else null (and the status says why). */
    private SiteBrowserView[] pair() {
        SiteBrowserView other = otherPane();
        if (other == null || !connected || !other.connected) {
            status.setText("Open a site in both panes first");
            return null;
        }
        boolean left = !RIGHT.equals(getViewSite().getSecondaryId());
        return left ? new SiteBrowserView[] {this, other} : new SiteBrowserView[] {other, this};
    }

    /** Opens the mirror preview: left to right ({@code toRight}) or right to left, of the compared folders. */
    private void openMirrorPreview(boolean toRight) {
        SiteBrowserView[] pair = pair();
        if (pair == null) {
            return;
        }
        CompareModel model = CompareModel.get();
        // In compare mode the compared folders, else the folders the panes show.
        String leftRoot = model.isComparing() ? model.leftRoot() : pair[0].currentPath;
        String rightRoot = model.isComparing() ? model.rightRoot() : pair[1].currentPath;
        SiteBrowserView from = toRight ? pair[0] : pair[1];
        SiteBrowserView to = toRight ? pair[1] : pair[0];
        new MirrorPreviewDialog(getSite().getShell(), from.where, toRight ? leftRoot : rightRoot, to.where,
                toRight ? rightRoot : leftRoot, line -> {
                    for (SiteBrowserView p : pair) {
                        if (!p.table.isDisposed()) {
                            String said = ServerText.printable(line);
                            p.status.setText(said);
                            p.list(p.where, p.currentPath, () -> p.status.setText(said)); // after the listing's own line
                        }
                    }
                    model.compare();
                }).open();
    }

    /**
     * Enters {@code path} because the other pane entered the same folder (synchronized browsing);
     * when it cannot, the pane stays where it is and its status line says so.
     */
    public void follow(String path) {
        io.sitebridge.transfer.queue.Endpoint w = where;
        if (w == null || !connected) {
            return;
        }
        ListFolderOperation op = new ListFolderOperation(pool(), w, path);
        new OperationJob("Listing " + path, SitebridgeJobs.LIST, op)
                .onSuccess(() -> show(w, op.folder(), op.entries(), null))
                .onFailure(message -> ui(() -> {
                    CompareModel.get().followFailed(this, path);
                    if (where == w) {
                        status.setText(ServerText.printable("Synchronized browsing: cannot enter " + path + " here ("
                                + message + ")"));
                    }
                })).schedule();
    }

    /** Compare mode or synchronized browsing changed, or the comparison ended: the actions, column, bar and rows follow. */
    public void compareChanged() {
        if (table == null || table.isDisposed()) {
            return;
        }
        CompareModel model = CompareModel.get();
        boolean on = model.summary(this) != null;
        compareAction.setChecked(model.isComparing());
        syncAction.setChecked(model.isSyncing());
        if (on && compareColumn.getWidth() == 0) {
            compareColumn.setWidth(150);
            compareColumn.setResizable(true);
            table.setColumnOrder(new int[] {0, 5, 1, 2, 3, 4}); // the verdict next to the name
        } else if (!on && compareColumn.getWidth() != 0) {
            compareColumn.setWidth(0);
            compareColumn.setResizable(false);
            table.setColumnOrder(new int[] {0, 1, 2, 3, 4, 5});
        }
        table.clearAll();
        updateCompareBar();
    }

    private void updateCompareBar() {
        String text = CompareModel.get().summary(this);
        boolean on = text != null;
        String shown = on ? ServerText.printable(text) : "";
        if (compareBar.getVisible() != on || !compareBar.getText().equals(shown)) {
            compareBar.setVisible(on);
            ((GridData) compareBar.getLayoutData()).exclude = !on;
            compareBar.setText(shown);
            compareBar.getParent().layout(true); // the wrapped text may take another number of lines
        }
        compareBar.setToolTipText(on ? ServerText.printable(text) : null);
    }

    /** The summary bar's text in compare mode ("" when off). UI thread. */
    public String compareBarText() {
        return compareBar.getVisible() ? compareBar.getText() : "";
    }

    /** The compare column's text of the row showing {@code name} ("" when none). UI thread. */
    public String compareText(String name) {
        RemoteEntry e = listing.shown().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        return e == null ? "" : CompareModel.get().cellText(this, e.name(), e.isDirectory());
    }

    /** The verdict of the row showing {@code name}, or null. UI thread. */
    public CompareModel.Verdict compareVerdict(String name) {
        RemoteEntry e = listing.shown().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
        return e == null ? null : CompareModel.get().verdict(this, e.name(), e.isDirectory());
    }

    /** The queue's endpoint of the site shown, or null. */
    public io.sitebridge.transfer.queue.Endpoint endpoint() {
        return where;
    }

    private void updateStatus() {
        if (where == null) {
            return;
        }
        long folders = 0;
        long fileCount = 0;
        long bytes = 0;
        for (RemoteEntry e : listing.all()) {
            if (e.isDirectory()) {
                folders++;
            } else {
                fileCount++;
                bytes += Math.max(0, e.size());
            }
        }
        String text = folders + " folder(s), " + fileCount + " file(s), " + Paths.humanSize(bytes);
        if (listing.shown().size() != listing.all().size()) {
            text += " \u2013 " + listing.shown().size() + " shown by the filter";
        }
        status.setText(text);
    }

    private void select(String name) {
        int i = listing.indexOf(name);
        if (i >= 0) {
            table.setSelection(i);
            table.showSelection();
        }
        updateActions();
    }

    // ---- file operations

    private void newFolder() {
        io.sitebridge.transfer.queue.Endpoint w = where;
        if (w == null || !connected) {
            return;
        }
        InputDialog d = new InputDialog(getSite().getShell(), "New Folder", "Name of the new folder in " + currentPath
                + ":", "New Folder", this::validName);
        if (d.open() != Window.OK) {
            return;
        }
        String name = d.getValue().trim();
        String folder = currentPath;
        run("Creating " + name, SitebridgeJobs.CHANGE, new CreateFolderOperation(pool(), w, Paths.child(folder, name)))
                .onSuccess(() -> list(w, folder, () -> select(name))).schedule();
    }

    private String validName(String name) {
        String n = name.trim();
        if (n.isEmpty()) {
            return "Enter a name";
        }
        if (n.contains("/") || n.indexOf('\r') >= 0 || n.indexOf('\n') >= 0 || n.equals(".") || n.equals("..")) {
            return "A name cannot contain a slash or a line break";
        }
        return null;
    }

    private void renameSelected() {
        RemoteEntry e = firstSelected();
        io.sitebridge.transfer.queue.Endpoint w = where;
        if (e == null || w == null || !connected || table.getSelectionCount() != 1) {
            return;
        }
        InputDialog d = new InputDialog(getSite().getShell(), "Rename", "New name for \u201c" + e.name() + "\u201d:",
                e.name(), this::validName);
        if (d.open() != Window.OK || d.getValue().trim().equals(e.name())) {
            return;
        }
        String name = d.getValue().trim();
        String folder = currentPath;
        run("Renaming " + e.name(), SitebridgeJobs.CHANGE,
                new RenameOperation(pool(), w, Paths.child(folder, e.name()), Paths.child(folder, name)))
                .onSuccess(() -> list(w, folder, () -> select(name))).schedule();
    }

    private void deleteSelected() {
        List<RemoteEntry> selected = selectedEntries();
        io.sitebridge.transfer.queue.Endpoint w = where;
        if (selected.isEmpty() || w == null || !connected) {
            return;
        }
        if (Prefs.store().getBoolean(Prefs.CONFIRM_DELETE)) {
            String what = selected.size() == 1 ? "\u201c" + selected.get(0).name() + "\u201d"
                    + (selected.get(0).isDirectory() ? " and everything in it" : "")
                    : selected.size() + " entries" + (selected.stream().anyMatch(RemoteEntry::isDirectory)
                            ? " (folders with everything in them)" : "");
            MessageDialog confirm = new MessageDialog(getSite().getShell(), "Delete", null,
                    "Delete " + what + " from " + site + "?\nThis cannot be undone.", MessageDialog.WARNING,
                    new String[] { "&Delete", IDialogConstants.CANCEL_LABEL }, 1);
            if (confirm.open() != 0) {
                return;
            }
        }
        String folder = currentPath;
        List<DeleteOperation.Target> targets = selected.stream().map(e -> DeleteOperation.Target.of(folder, e)).toList();
        String[] failure = new String[1];
        // the folder is listed again either way (part may be gone); a failure is shown after that listing
        run("Deleting " + selected.size() + " entries", SitebridgeJobs.CHANGE, new DeleteOperation(pool(), w, targets))
                .onFailure(message -> failure[0] = message)
                .always(() -> list(w, folder, () -> {
                    if (failure[0] != null) {
                        status.setText("Error: " + failure[0]);
                    }
                })).schedule();
    }

    // ---- transfers: drag and drop, copy and paste, "transfer to other pane"

    private EntryRefs selectionRefs() {
        List<EntryRefs.Ref> refs = new ArrayList<>();
        for (RemoteEntry e : selectedEntries()) {
            refs.add(new EntryRefs.Ref(Paths.child(currentPath, e.name()), e.isDirectory(), e.isDirectory() ? -1 : e.size()));
        }
        String s = site == null ? "" : site;
        String key = SitebridgeUi.getDefault().sites().byName(s).map(Site::key).orElse(s);
        String pane = getViewSite().getSecondaryId();
        return new EntryRefs(pane == null ? "" : pane, s, key, refs);
    }

    /** Queues the selected entries for the other pane's current folder. */
    public void transferToOtherPane() {
        SiteBrowserView other = otherPane();
        if (other == null || !other.connected) {
            status.setText("Open a site in the other pane first");
            return;
        }
        EntryRefs refs = selectionRefs();
        if (!refs.entries().isEmpty()) {
            other.receive(refs, other.currentPath);
        }
    }

    private SiteBrowserView otherPane() {
        IWorkbenchPage page = getSite().getPage();
        String mine = getViewSite().getSecondaryId();
        String wanted = LEFT.equals(mine) ? RIGHT : RIGHT.equals(mine) ? LEFT : null;
        for (IViewReference ref : page.getViewReferences()) {
            if (!ID.equals(ref.getId())) {
                continue;
            }
            if (wanted == null ? !java.util.Objects.equals(ref.getSecondaryId(), mine) : wanted.equals(ref.getSecondaryId())) {
                if (ref.getView(false) instanceof SiteBrowserView v) {
                    return v;
                }
            }
        }
        return null;
    }

    private void copySelection() {
        EntryRefs refs = selectionRefs();
        if (refs.entries().isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (EntryRefs.Ref r : refs.entries()) {
            text.append(r.path()).append(System.lineSeparator());
        }
        clipboard.setContents(new Object[] { refs, text.toString() },
                new Transfer[] { EntryTransfer.getInstance(), TextTransfer.getInstance() });
        status.setText(refs.entries().size() + " entr" + (refs.entries().size() == 1 ? "y" : "ies")
                + " copied: paste in the other pane to transfer");
    }

    private void paste() {
        if (clipboard.getContents(EntryTransfer.getInstance()) instanceof EntryRefs refs) {
            receive(refs, currentPath);
        } else if (clipboard.getContents(FileTransfer.getInstance()) instanceof String[] paths) {
            receive(localRefs(paths), currentPath);
        }
    }

    private static EntryRefs localRefs(String[] paths) {
        List<EntryRefs.Ref> refs = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            long size = -1;
            try {
                size = Files.isDirectory(path) ? -1 : Files.size(path);
            } catch (java.io.IOException e) {
                // unknown size: the transfer finds out
            }
            refs.add(new EntryRefs.Ref(p, Files.isDirectory(path), size));
        }
        return new EntryRefs("", Endpoint.LOCAL, Endpoint.LOCAL, refs);
    }

    /** Queues transfers of {@code refs} into {@code folder} of this pane (in a job: adding writes the queue's journal). */
    public void receive(EntryRefs refs, String folder) {
        String target = site;
        if (target == null || !connected) {
            status.setText("Connect to a site before dropping on this pane");
            return;
        }
        SitebridgeUi ui = SitebridgeUi.getDefault();
        Optional<io.sitebridge.transfer.queue.Endpoint> from = ui.endpoint(refs.site());
        Optional<io.sitebridge.transfer.queue.Endpoint> to = ui.endpoint(target);
        if (from.isEmpty() || to.isEmpty()) {
            status.setText("Unknown site " + (from.isEmpty() ? refs.site() : target));
            return;
        }
        if (Endpoint.isLocal(refs.site()) && Endpoint.isLocal(target)) {
            status.setText("Both panes show local files: open a site in one of them to transfer");
            return;
        }
        List<TransferOperation.Source> sources = refs.entries().stream()
                .map(r -> new TransferOperation.Source(r.path(), r.folder())).toList();
        TransferOperation op = new TransferOperation(ui.queue(), from.get(), sources, to.get(), folder,
                Prefs.onConflict());
        run("Queueing transfers to " + target, SitebridgeJobs.TRANSFER, op).onSuccess(() -> {
            List<QueueItem> added = op.added();
            if (added.isEmpty()) {
                return;
            }
            ui.conflicts().batch(added);
            ui(() -> status.setText("Queued " + added.size() + " transfer(s) from " + refs.site() + " to " + folder));
        }).schedule();
    }

    private void initDrag() {
        DragSource source = new DragSource(table, DND.DROP_COPY | DND.DROP_MOVE);
        source.setTransfer(EntryTransfer.getInstance(), FileTransfer.getInstance());
        source.addDragListener(new DragSourceAdapter() {
            @Override
            public void dragStart(DragSourceEvent event) {
                event.doit = connected && table.getSelectionCount() > 0;
                if (event.doit) {
                    dragOrigin = SiteBrowserView.this;
                }
            }

            @Override
            public void dragSetData(DragSourceEvent event) {
                EntryRefs refs = selectionRefs();
                if (EntryTransfer.getInstance().isSupportedType(event.dataType)) {
                    event.data = refs;
                } else if (FileTransfer.getInstance().isSupportedType(event.dataType) && Endpoint.isLocal(site)) {
                    event.data = refs.entries().stream().map(EntryRefs.Ref::path).toArray(String[]::new);
                } else {
                    event.doit = false;
                }
            }

            @Override
            public void dragFinished(DragSourceEvent event) {
                dragOrigin = null;
            }
        });
    }

    private void initDrop() {
        DropTarget target = new DropTarget(table, DND.DROP_COPY | DND.DROP_MOVE | DND.DROP_DEFAULT);
        target.setTransfer(EntryTransfer.getInstance(), FileTransfer.getInstance());
        target.addDropListener(new DropTargetAdapter() {
            @Override
            public void dragEnter(DropTargetEvent event) {
                accept(event);
            }

            @Override
            public void dragOperationChanged(DropTargetEvent event) {
                accept(event);
            }

            @Override
            public void dragOver(DropTargetEvent event) {
                accept(event);
                event.feedback = DND.FEEDBACK_SCROLL | (folderUnder(event) != null ? DND.FEEDBACK_SELECT : 0);
            }

            @Override
            public void drop(DropTargetEvent event) {
                RemoteEntry folder = folderUnder(event);
                String into = folder == null ? currentPath : Paths.child(currentPath, folder.name());
                if (event.data instanceof EntryRefs refs) {
                    receive(refs, into);
                } else if (event.data instanceof String[] paths) {
                    receive(localRefs(paths), into);
                }
            }

            private void accept(DropTargetEvent event) {
                boolean own = dragOrigin == SiteBrowserView.this;
                // never a move: the source stays where it is
                event.detail = !connected || (own && folderUnder(event) == null) ? DND.DROP_NONE : DND.DROP_COPY;
            }
        });
    }

    private RemoteEntry folderUnder(DropTargetEvent event) {
        if (event.item instanceof TableItem item && !item.isDisposed()) {
            RemoteEntry e = listing.shown(table.indexOf(item));
            return e != null && e.isDirectory() ? e : null;
        }
        return null;
    }

    // ---- selection helpers and accessors (also for tests)

    private RemoteEntry firstSelected() {
        int i = table.getSelectionIndex();
        return listing.shown(i);
    }

    private List<RemoteEntry> selectedEntries() {
        List<RemoteEntry> list = new ArrayList<>();
        for (int i : table.getSelectionIndices()) {
            RemoteEntry e = listing.shown(i);
            if (e != null) {
                list.add(e);
            }
        }
        return list;
    }

    private List<String> selectedNames() {
        return selectedEntries().stream().map(RemoteEntry::name).toList();
    }

    public Table table() {
        return table;
    }

    /** The entries as shown (filtered and sorted), index for index with the table's rows. */
    public List<RemoteEntry> shownEntries() {
        return listing.shown();
    }

    /** The status line under the table (call on the UI thread). */
    public String statusText() {
        return status.getText();
    }

    public String siteName() {
        return site;
    }

    /** What the site combo offers (call on the UI thread). */
    public List<String> siteChoices() {
        return List.of(siteCombo.getItems());
    }

    public String currentPath() {
        return currentPath;
    }

    public boolean isConnected() {
        return connected;
    }

    // ---- jobs

    /**
     * A job for {@code op} whose failure shows in the status line while the pane still shows the
     * same site (set other callbacks, then schedule it).
     */
    private OperationJob run(String name, Object kind, SiteOperation op) {
        io.sitebridge.transfer.queue.Endpoint shown = where;
        return new OperationJob(name, kind, op).onFailure(message -> ui(() -> {
            if (where == shown) {
                status.setText("Error: " + message);
            }
        }));
    }

    private void ui(Runnable r) {
        Table t = table;
        if (t == null || t.isDisposed()) {
            return;
        }
        t.getDisplay().asyncExec(() -> {
            if (!t.isDisposed()) {
                r.run();
            }
        });
    }

    @Override
    public void setFocus() {
        table.setFocus();
    }

    @Override
    public void dispose() {
        CompareModel.get().paneLeavesSite(this);
        SitebridgeUi ui = SitebridgeUi.getDefault();
        if (ui != null) {
            ui.sites().removeListener(sitesListener);
            if (ui.queue() != null) {
                ui.queue().removeListener(queueListener);
            }
        }
        where = null;
        connected = false;
        if (clipboard != null) {
            clipboard.dispose();
        }
        super.dispose();
    }
}
