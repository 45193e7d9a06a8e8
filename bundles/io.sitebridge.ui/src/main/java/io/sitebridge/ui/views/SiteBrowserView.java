package io.sitebridge.ui.views;

import java.text.DecimalFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.part.ViewPart;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.sites.SiteRegistry;

/**
 * Browses one FTP site. The Site-to-Site perspective shows two of them, with
 * the secondary ids {@link #LEFT} and {@link #RIGHT}. All network work runs in
 * Jobs, one at a time per view; the UI is updated through asyncExec.
 */
public class SiteBrowserView extends ViewPart {

    public static final String ID = "io.sitebridge.ui.views.siteBrowser";
    public static final String LEFT = "left";
    public static final String RIGHT = "right";

    private static final DateTimeFormatter MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.systemDefault());

    /** Serialises this view's jobs: one control connection, one command at a time. */
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

    private final SiteRegistry.Listener sitesListener = () -> runInUi(this::refreshSiteChoices);

    private Combo siteCombo;
    private Button connectButton;
    private Text pathText;
    private TableViewer viewer;
    private Label status;

    private volatile FtpSession session;
    private volatile String currentPath = "/";

    @Override
    public void createPartControl(Composite parent) {
        ControlDialogueConsole.install();
        parent.setLayout(new GridLayout(1, false));

        Composite bar = new Composite(parent, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        bar.setLayout(new GridLayout(5, false));
        new Label(bar, SWT.NONE).setText("Site:");
        siteCombo = new Combo(bar, SWT.READ_ONLY);
        siteCombo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        connectButton = new Button(bar, SWT.PUSH);
        connectButton.setText("Connect");
        connectButton.addListener(SWT.Selection, e -> toggleConnection());
        Button up = new Button(bar, SWT.PUSH);
        up.setText("Up");
        up.addListener(SWT.Selection, e -> open(parentOf(currentPath)));
        Button refresh = new Button(bar, SWT.PUSH);
        refresh.setText("Refresh");
        refresh.addListener(SWT.Selection, e -> open(currentPath));

        pathText = new Text(parent, SWT.BORDER | SWT.SINGLE);
        pathText.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        pathText.addListener(SWT.DefaultSelection, e -> open(pathText.getText()));

        viewer = new TableViewer(parent, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        column("Name", 260, e -> e.isDirectory() ? e.name() + "/" : e.name());
        column("Size", 90, e -> e.isDirectory() ? "" : humanSize(e.size()));
        column("Modified", 130, e -> e.modified() == null ? "" : MODIFIED.format(e.modified()));
        column("Permissions", 100, RemoteEntry::permissions);
        column("Owner", 80, RemoteEntry::owner);
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.addDoubleClickListener(e -> {
            Object first = ((IStructuredSelection) e.getSelection()).getFirstElement();
            if (first instanceof RemoteEntry entry && entry.isDirectory()) {
                open(child(currentPath, entry.name()));
            }
        });

        status = new Label(parent, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.BOTTOM, true, false));
        status.setText("Not connected");

        SiteRegistry sites = SitebridgeUi.getDefault().sites();
        sites.addListener(sitesListener);
        refreshSiteChoices();
        String pane = getViewSite().getSecondaryId();
        setPartName(RIGHT.equals(pane) ? "Right Site" : LEFT.equals(pane) ? "Left Site" : "Site Browser");
        Optional<Site> initial = pane == null ? Optional.empty() : sites.defaultFor(pane);
        initial.ifPresent(site -> {
            siteCombo.setText(site.name());
            connect(site);
        });
    }

    private void column(String title, int width, java.util.function.Function<RemoteEntry, String> text) {
        TableViewerColumn column = new TableViewerColumn(viewer, SWT.NONE);
        column.getColumn().setText(title);
        column.getColumn().setWidth(width);
        column.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((RemoteEntry) element);
            }
        });
    }

    private void refreshSiteChoices() {
        if (siteCombo == null || siteCombo.isDisposed()) {
            return;
        }
        String selected = siteCombo.getText();
        List<String> names = new ArrayList<>();
        for (Site s : SitebridgeUi.getDefault().sites().all()) {
            names.add(s.name());
        }
        siteCombo.setItems(names.toArray(String[]::new));
        siteCombo.setText(selected);
    }

    private void toggleConnection() {
        if (session != null) {
            disconnect();
            return;
        }
        SitebridgeUi.getDefault().sites().byName(siteCombo.getText()).ifPresent(this::connect);
    }

    private void connect(Site site) {
        status.setText("Connecting to " + site.name() + "…");
        schedule("Connecting to " + site.name(), monitor -> {
            FtpSession opened = FtpSession.open(site, ControlDialogue.global());
            session = opened;
            String home = opened.pwd();
            List<RemoteEntry> entries = opened.list(home);
            show(home, entries);
            runInUi(() -> connectButton.setText("Disconnect"));
        });
    }

    private void disconnect() {
        FtpSession closing = session;
        session = null;
        connectButton.setText("Connect");
        viewer.setInput(List.of());
        status.setText("Not connected");
        if (closing != null) {
            schedule("Disconnecting from " + closing.site().name(), monitor -> closing.close());
        }
    }

    private void open(String path) {
        FtpSession s = session;
        if (s == null) {
            return;
        }
        schedule("Listing " + path, monitor -> show(path, s.list(path)));
    }

    private void show(String path, List<RemoteEntry> entries) {
        List<RemoteEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((RemoteEntry e) -> !e.isDirectory())
                .thenComparing(RemoteEntry::name, String.CASE_INSENSITIVE_ORDER));
        currentPath = path;
        runInUi(() -> {
            pathText.setText(path);
            viewer.setInput(sorted);
            long files = sorted.stream().filter(e -> !e.isDirectory()).count();
            status.setText(sorted.size() + " entries (" + files + " files) in " + path);
        });
    }

    @FunctionalInterface
    private interface SessionWork {
        void run(IProgressMonitor monitor) throws Exception;
    }

    private void schedule(String name, SessionWork work) {
        Job job = Job.create(name, monitor -> {
            try {
                work.run(monitor);
                return Status.OK_STATUS;
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                runInUi(() -> status.setText("Error: " + message));
                return new Status(IStatus.WARNING, SitebridgeUi.PLUGIN_ID, name + " failed: " + message, e);
            }
        });
        job.setRule(sessionRule);
        job.setUser(false);
        job.schedule();
    }

    private void runInUi(Runnable r) {
        if (viewer == null) {
            return;
        }
        Table table = viewer.getTable();
        if (table.isDisposed()) {
            return;
        }
        table.getDisplay().asyncExec(() -> {
            if (!table.isDisposed()) {
                r.run();
            }
        });
    }

    static String parentOf(String path) {
        if (path == null || path.equals("/") || path.isEmpty()) {
            return "/";
        }
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    static String child(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    static String humanSize(long bytes) {
        if (bytes < 0) {
            return "";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = { "KB", "MB", "GB", "TB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return new DecimalFormat(value < 10 ? "0.0" : "0").format(value) + " " + units[unit];
    }

    @Override
    public void setFocus() {
        viewer.getControl().setFocus();
    }

    @Override
    public void dispose() {
        SitebridgeUi.getDefault().sites().removeListener(sitesListener);
        FtpSession closing = session;
        session = null;
        if (closing != null) {
            Job.create("Disconnecting", m -> {
                closing.close();
            }).schedule();
        }
        super.dispose();
    }
}
