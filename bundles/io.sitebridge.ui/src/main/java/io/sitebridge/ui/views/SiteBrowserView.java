package io.sitebridge.ui.views;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
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

import io.sitebridge.core.Site;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Endpoint;
import io.sitebridge.ui.browse.EntryListing;
import io.sitebridge.ui.browse.LocalFiles;
import io.sitebridge.ui.browse.PaneFiles;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.browse.RemoteFiles;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.dnd.EntryRefs;
import io.sitebridge.ui.dnd.EntryTransfer;
import io.sitebridge.ui.prefs.Prefs;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;
import io.sitebridge.ui.sites.SiteRegistry;
import io.sitebridge.ui.workspace.WorkspaceFolder;

/**
 * Browses one FTP site or the local file system. The Site-to-Site perspective
 * shows two of them, with the secondary ids {@link #LEFT} and {@link #RIGHT}.
 * Entries dragged (or copied) to another pane are queued as transfers: FXP
 * between two sites, upload or download with the local files. All file work
 * runs in Jobs, one at a time per pane; the UI is updated through asyncExec.
 */
public class SiteBrowserView extends ViewPart {

    public static final String ID = "io.sitebridge.ui.views.siteBrowser";
    public static final String LEFT = "left";
    public static final String RIGHT = "right";
    public static final String CONTEXT = "io.sitebridge.ui.siteBrowserContext";
    /** The job family of every pane's file work (tests join it). */
    public static final Object FAMILY = SiteBrowserView.class;

    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());
    private static final int HISTORY = 20;

    /** The pane a drag started in, so a pane ignores drops of its own entries. */
    private static SiteBrowserView dragOrigin;

    /** Serialises this pane's jobs: one control connection, one command at a time. */
    private final ISchedulingRule sessionRule = new ISchedulingRule() {
        @Override
        public boolean contains(ISchedulingRule rule) {
            return rule == this;
        }

        @Override
        public boolean isConflicting(ISchedulingRule rule) {
            return rule == this;
        }
    };

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

    private volatile PaneFiles files;
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

        table = new Table(parent, SWT.VIRTUAL | SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        table.setHeaderVisible(true);
        table.setLinesVisible(false);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        column("Name", 250, EntryListing.Column.NAME, SWT.LEFT);
        column("Size", 80, EntryListing.Column.SIZE, SWT.RIGHT);
        column("Modified", 125, EntryListing.Column.MODIFIED, SWT.LEFT);
        column("Permissions", 90, EntryListing.Column.PERMISSIONS, SWT.LEFT);
        column("Owner", 70, EntryListing.Column.OWNER, SWT.LEFT);
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
        item.setText(new String[] { e.name(), e.isDirectory() ? "" : Paths.humanSize(e.size()),
                e.modified() == null ? "" : MODIFIED.format(e.modified()), nonNull(e.permissions()),
                nonNull(e.owner()) });
        item.setImage(0, imageOf(e));
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
                SitebridgeUi.getDefault().getImageRegistry().getDescriptor(SitebridgeUi.IMG_REFRESH), this::refresh);
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
        boolean connected = files != null;
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
        if (files != null) {
            disconnect();
        } else if (!siteCombo.getText().isEmpty()) {
            connect(siteCombo.getText());
        }
    }

    /** Opens the named site (or {@link Endpoint#LOCAL}) in this pane, at the folder last seen there. */
    public void connect(String siteName) {
        boolean local = Endpoint.isLocal(siteName);
        Optional<Site> remote = local ? Optional.empty() : SitebridgeUi.getDefault().sites().byName(siteName);
        Optional<java.nio.file.Path> workspace = Endpoint.WORKSPACE.equals(siteName) ? WorkspaceFolder.root()
                : Optional.empty();
        if ((!local && remote.isEmpty()) || (Endpoint.WORKSPACE.equals(siteName) && workspace.isEmpty())) {
            return;
        }
        closeFiles();
        site = siteName;
        siteCombo.setText(siteName);
        status.setText("Connecting to " + siteName + "\u2026");
        setPartName(paneLabel() + " \u2013 " + siteName);
        schedule("Connecting to " + siteName, monitor -> {
            PaneFiles opened = remote.isPresent() ? RemoteFiles.open(remote.get())
                    : workspace.isPresent() ? new LocalFiles(Endpoint.WORKSPACE, workspace.get().toString())
                    : new LocalFiles();
            if (!siteName.equals(site)) {
                opened.close(); // the user chose another site meanwhile
                return;
            }
            files = opened;
            String home = opened.home();
            String last = Prefs.lastPath(siteName);
            List<RemoteEntry> entries = null;
            String path = home;
            if (last != null && !last.isEmpty() && !last.equals(home)) {
                try {
                    entries = opened.list(last);
                    path = last;
                } catch (Exception e) {
                    entries = null; // gone since: start at home
                }
            }
            if (entries == null) {
                entries = opened.list(home);
            }
            show(path, entries);
            ui(() -> {
                connectButton.setText("Disconnect");
                updateActions();
            });
        });
    }

    public void disconnect() {
        closeFiles();
        site = null;
        connectButton.setText("Connect");
        listing.setEntries(List.of());
        refreshTable();
        status.setText("Not connected");
        setPartName(paneLabel());
        updateActions();
    }

    private void closeFiles() {
        PaneFiles closing = files;
        files = null;
        if (closing != null) {
            schedule("Disconnecting from " + closing.site(), monitor -> closing.close());
        }
    }

    /** Lists {@code path} and shows it. */
    public void open(String path) {
        PaneFiles f = files;
        if (f == null || path == null || path.isEmpty()) {
            return;
        }
        schedule("Listing " + path, monitor -> show(path, f.list(path)));
    }

    public void refresh() {
        open(currentPath);
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
            PaneFiles f = files;
            String parent = Paths.parentOf(currentPath);
            if (f != null) {
                schedule("Listing " + parent, monitor -> {
                    show(parent, f.list(parent));
                    ui(() -> select(child));
                });
            }
        }
    }

    private void openSelected() {
        RemoteEntry e = firstSelected();
        if (e != null && e.isDirectory()) {
            open(Paths.child(currentPath, e.name()));
        }
    }

    private void show(String path, List<RemoteEntry> entries) {
        String siteNow = site;
        ui(() -> {
            String previous = currentPath;
            currentPath = path;
            List<String> keepSelected = path.equals(previous) ? selectedNames() : List.of();
            List<RemoteEntry> visible = entries;
            if (!Prefs.store().getBoolean(Prefs.SHOW_HIDDEN)) {
                visible = entries.stream().filter(e -> !e.name().startsWith(".")).toList();
            }
            listing.setEntries(visible);
            refreshTable();
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
        });
    }

    private void refreshTable() {
        if (table == null || table.isDisposed()) {
            return;
        }
        table.setItemCount(listing.shown().size());
        table.clearAll();
        updateStatus();
    }

    private void updateStatus() {
        if (files == null) {
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
        PaneFiles f = files;
        if (f == null) {
            return;
        }
        InputDialog d = new InputDialog(getSite().getShell(), "New Folder", "Name of the new folder in " + currentPath
                + ":", "New Folder", this::validName);
        if (d.open() != Window.OK) {
            return;
        }
        String name = d.getValue().trim();
        String folder = currentPath;
        schedule("Creating " + name, monitor -> {
            f.mkdir(Paths.child(folder, name));
            show(folder, f.list(folder));
            ui(() -> select(name));
        });
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
        PaneFiles f = files;
        if (e == null || f == null || table.getSelectionCount() != 1) {
            return;
        }
        InputDialog d = new InputDialog(getSite().getShell(), "Rename", "New name for \u201c" + e.name() + "\u201d:",
                e.name(), this::validName);
        if (d.open() != Window.OK || d.getValue().trim().equals(e.name())) {
            return;
        }
        String name = d.getValue().trim();
        String folder = currentPath;
        schedule("Renaming " + e.name(), monitor -> {
            f.rename(Paths.child(folder, e.name()), Paths.child(folder, name));
            show(folder, f.list(folder));
            ui(() -> select(name));
        });
    }

    private void deleteSelected() {
        List<RemoteEntry> selected = selectedEntries();
        PaneFiles f = files;
        if (selected.isEmpty() || f == null) {
            return;
        }
        if (Prefs.store().getBoolean(Prefs.CONFIRM_DELETE)) {
            String what = selected.size() == 1 ? "\u201c" + selected.get(0).name() + "\u201d"
                    + (selected.get(0).isDirectory() ? " and everything in it" : "")
                    : selected.size() + " entries" + (selected.stream().anyMatch(RemoteEntry::isDirectory)
                            ? " (folders with everything in them)" : "");
            MessageDialog confirm = new MessageDialog(getSite().getShell(), "Delete", null,
                    "Delete " + what + " from " + f.site() + "?\nThis cannot be undone.", MessageDialog.WARNING,
                    new String[] { "&Delete", IDialogConstants.CANCEL_LABEL }, 1);
            if (confirm.open() != 0) {
                return;
            }
        }
        String folder = currentPath;
        schedule("Deleting " + selected.size() + " entries", monitor -> {
            try {
                for (RemoteEntry e : selected) {
                    f.delete(Paths.child(folder, e.name()), e.isDirectory());
                }
            } finally {
                show(folder, f.list(folder));
            }
        });
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
        if (other == null || other.files == null) {
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

    /** Queues transfers of {@code refs} into {@code folder} of this pane. */
    public List<QueueItem> receive(EntryRefs refs, String folder) {
        String target = site;
        if (target == null || files == null) {
            status.setText("Connect to a site before dropping on this pane");
            return List.of();
        }
        SitebridgeUi ui = SitebridgeUi.getDefault();
        Optional<io.sitebridge.transfer.queue.Endpoint> from = ui.endpoint(refs.site());
        Optional<io.sitebridge.transfer.queue.Endpoint> to = ui.endpoint(target);
        if (from.isEmpty() || to.isEmpty()) {
            status.setText("Unknown site " + (from.isEmpty() ? refs.site() : target));
            return List.of();
        }
        if (Endpoint.isLocal(refs.site()) && Endpoint.isLocal(target)) {
            status.setText("Both panes show local files: open a site in one of them to transfer");
            return List.of();
        }
        ConflictRule rule = Prefs.onConflict();
        List<QueueItem> added = new ArrayList<>();
        for (EntryRefs.Ref r : refs.entries()) {
            if (refs.site().equals(target) && (Paths.parentOf(r.path()).equals(folder) || r.path().equals(folder)
                    || folder.startsWith(r.path() + "/"))) {
                continue; // onto itself or into itself
            }
            // adding only writes the queue's journal (local disk); the transfers run on the queue's threads
            added.add(ui.queue().add(from.get(), r.path(), to.get(), Paths.child(folder, Paths.nameOf(r.path())),
                    r.folder(), rule));
        }
        if (added.isEmpty()) {
            return List.of();
        }
        ui.conflicts().batch(added);
        status.setText("Queued " + added.size() + " transfer(s) from " + refs.site() + " to " + folder);
        return added;
    }

    private void initDrag() {
        DragSource source = new DragSource(table, DND.DROP_COPY | DND.DROP_MOVE);
        source.setTransfer(EntryTransfer.getInstance(), FileTransfer.getInstance());
        source.addDragListener(new DragSourceAdapter() {
            @Override
            public void dragStart(DragSourceEvent event) {
                event.doit = files != null && table.getSelectionCount() > 0;
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
                event.detail = files == null || (own && folderUnder(event) == null) ? DND.DROP_NONE : DND.DROP_COPY;
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
        return files != null;
    }

    // ---- jobs

    @FunctionalInterface
    private interface Work {
        void run(IProgressMonitor monitor) throws Exception;
    }

    private void schedule(String name, Work work) {
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    work.run(monitor);
                    return Status.OK_STATUS;
                } catch (Exception e) {
                    String message = describe(e);
                    ui(() -> status.setText("Error: " + message));
                    return new Status(IStatus.WARNING, SitebridgeUi.PLUGIN_ID, name + " failed: " + message, e);
                }
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == FAMILY;
            }
        };
        job.setRule(sessionRule);
        job.setUser(false);
        job.schedule();
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
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
        SitebridgeUi ui = SitebridgeUi.getDefault();
        if (ui != null) {
            ui.sites().removeListener(sitesListener);
            if (ui.queue() != null) {
                ui.queue().removeListener(queueListener);
            }
        }
        PaneFiles closing = files;
        files = null;
        if (closing != null) {
            Job.create("Disconnecting", m -> {
                closing.close();
            }).schedule();
        }
        if (clipboard != null) {
            clipboard.dispose();
        }
        super.dispose();
    }
}
