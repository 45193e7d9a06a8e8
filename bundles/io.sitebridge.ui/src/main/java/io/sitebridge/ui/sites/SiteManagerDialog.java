package io.sitebridge.ui.sites;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.Security;
import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;
import io.sitebridge.core.sites.SiteImport;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;

/**
 * Sites > Site Manager: the saved sites on the left, the selected one's
 * settings on the right. Add, duplicate, remove, save, and test a connection
 * (in a Job; its dialogue shows in the console), import FileZilla's sites. The sites are the
 * ones the command line uses ({@link SiteStore}); passwords are saved encrypted only.
 */
public final class SiteManagerDialog extends Dialog {

    private final SiteRegistry registry = SitebridgeUi.getDefault().sites();
    private final SiteRegistry.Listener listener = () -> getShell().getDisplay().asyncExec(this::reloadList);

    private org.eclipse.swt.widgets.List list;
    private Text name;
    private Text host;
    private Spinner port;
    private Text user;
    private Text password;
    private Combo security;
    private Combo passive;
    private Combo dataMode;
    private Text encoding;
    private Spinner maxConnections;
    private Spinner keepAlive;
    private Button fxpAllowed;
    private Button relayAllowed;
    private Label status;
    private Button removeButton;
    private Button duplicateButton;

    /** The name of the site being edited, null for a new one. */
    private String editing;
    private boolean passwordEdited;
    private boolean loading;

    public SiteManagerDialog(Shell parent) {
        super(parent);
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("Site Manager");
        shell.setImage(SitebridgeUi.getDefault().getImageRegistry().get(SitebridgeUi.IMG_SITE));
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        area.setLayout(new GridLayout(2, false));

        Composite left = new Composite(area, SWT.NONE);
        left.setLayout(new GridLayout(1, false));
        left.setLayoutData(new GridData(SWT.FILL, SWT.FILL, false, true));
        list = new org.eclipse.swt.widgets.List(left, SWT.BORDER | SWT.SINGLE | SWT.V_SCROLL);
        GridData listData = new GridData(SWT.FILL, SWT.FILL, true, true);
        listData.widthHint = 190;
        listData.heightHint = 300;
        list.setLayoutData(listData);
        list.addListener(SWT.Selection, e -> load(selectedName()));
        Composite buttons = new Composite(left, SWT.NONE);
        buttons.setLayout(new GridLayout(3, true));
        buttons.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        button(buttons, "&New", this::newSite);
        duplicateButton = button(buttons, "D&uplicate", this::duplicate);
        removeButton = button(buttons, "&Remove", this::remove);
        Button importButton = button(buttons, IMPORT_LABEL, this::importFileZilla);
        ((GridData) importButton.getLayoutData()).horizontalSpan = 3;

        Group form = new Group(area, SWT.NONE);
        form.setText("Site");
        form.setLayout(new GridLayout(2, false));
        form.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        name = field(form, "Na&me:");
        host = field(form, "&Host:");
        new Label(form, SWT.NONE).setText("&Port:");
        port = new Spinner(form, SWT.BORDER);
        port.setValues(21, 0, 65535, 0, 1, 100);
        user = field(form, "&User:");
        new Label(form, SWT.NONE).setText("Pass&word:");
        password = new Text(form, SWT.BORDER | SWT.PASSWORD);
        password.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        password.addListener(SWT.Modify, e -> passwordEdited |= !loading);
        security = combo(form, "&Security:", Security.values());
        passive = combo(form, "Passive &address:", PassiveAddressPolicy.values());
        dataMode = combo(form, "&Data connections:", DataConnectionMode.values());
        encoding = field(form, "&Encoding:");
        new Label(form, SWT.NONE).setText("Max. &connections:");
        maxConnections = new Spinner(form, SWT.BORDER);
        maxConnections.setValues(4, 1, 32, 0, 1, 4);
        new Label(form, SWT.NONE).setText("&Keep-alive (s, 0 = off):");
        keepAlive = new Spinner(form, SWT.BORDER);
        int defaultKeepAlive = (int) Site.DEFAULT_KEEP_ALIVE.toSeconds();
        keepAlive.setValues(defaultKeepAlive, 0, 3600, 0, 1, 10);
        keepAlive.setToolTipText("Seconds between NOOPs on an idle connection, so that the server does not drop it;"
                + " 0: no keep-alive (a dropped connection is reopened on next use)");
        new Label(form, SWT.NONE);
        fxpAllowed = new Button(form, SWT.CHECK);
        fxpAllowed.setText("Allow server-to-server transfers (&FXP)");
        new Label(form, SWT.NONE);
        relayAllowed = new Button(form, SWT.CHECK);
        relayAllowed.setText("Allow relaying data through this &client when FXP is refused");
        Label note = new Label(form, SWT.WRAP);
        note.setText("Sites are saved in " + registry.storeFile() + ", shared with the command line "
                + "(sitebridge sites, sitebridge ls NAME:/path). Passwords are kept there encrypted, never in clear.");
        GridData noteData = new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1);
        noteData.widthHint = 360;
        note.setLayoutData(noteData);

        status = new Label(area, SWT.WRAP);
        status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));

        registry.addListener(listener);
        area.addListener(SWT.Dispose, e -> registry.removeListener(listener));
        registry.reload(); // the command line may have changed the saved sites meanwhile
        reloadList();
        if (list.getItemCount() > 0) {
            list.select(0);
            load(selectedName());
        } else {
            newSite();
        }
        String problem = registry.storeProblem();
        if (problem != null) {
            status.setText("The saved sites cannot be read, and nothing is saved over them: "
                    + ServerText.printable(problem));
        }
        return area;
    }

    /** The label of the button that imports FileZilla's sites. */
    public static final String IMPORT_LABEL = "Import from &FileZilla\u2026";
    /** The title of the file chooser it opens. */
    public static final String IMPORT_CHOOSER_TITLE = "Choose FileZilla's sitemanager.xml";

    private void importFileZilla() {
        FileDialog chooser = new FileDialog(getShell(), SWT.OPEN);
        chooser.setText(IMPORT_CHOOSER_TITLE);
        chooser.setFilterExtensions(new String[] {"*.xml", "*"});
        chooser.setFilterNames(new String[] {"FileZilla site manager (*.xml)", "All files"});
        Path usual = fileZillaFolder();
        if (usual != null) {
            chooser.setFilterPath(usual.toString());
            chooser.setFileName("sitemanager.xml");
        }
        String chosen = chooser.open();
        if (chosen == null) {
            return;
        }
        SiteImport.Report report;
        try {
            report = registry.importFileZilla(Path.of(chosen));
        } catch (IOException | RuntimeException e) {
            status.setText("Nothing imported: " + ServerText.printable(String.valueOf(e.getMessage())));
            status.getParent().layout();
            return;
        }
        reloadList();
        if (!report.imported().isEmpty()) {
            String first = report.imported().get(0).name();
            List<Site> all = registry.all();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).name().equals(first)) {
                    list.select(i);
                    list.showSelection();
                    load(first);
                }
            }
        }
        status.setText(ImportReportDialog.summary(report));
        status.getParent().layout();
        new ImportReportDialog(getShell(), report).open();
    }

    /** Where FileZilla keeps sitemanager.xml on this system, if that folder exists. */
    private static Path fileZillaFolder() {
        String home = System.getProperty("user.home");
        String appData = System.getenv("APPDATA");
        String config = System.getenv("XDG_CONFIG_HOME");
        for (Path p : new Path[] {appData == null ? null : Path.of(appData, "FileZilla"),
                Path.of(config == null || config.isBlank() ? home + "/.config" : config, "filezilla"),
                Path.of(home, ".filezilla")}) {
            if (p != null && Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    private static Button button(Composite parent, String text, Runnable run) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        b.addListener(SWT.Selection, e -> run.run());
        return b;
    }

    private static Text field(Composite parent, String label) {
        new Label(parent, SWT.NONE).setText(label);
        Text t = new Text(parent, SWT.BORDER);
        GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
        data.widthHint = 240;
        t.setLayoutData(data);
        return t;
    }

    private static Combo combo(Composite parent, String label, Enum<?>[] values) {
        new Label(parent, SWT.NONE).setText(label);
        Combo c = new Combo(parent, SWT.READ_ONLY);
        for (Enum<?> v : values) {
            c.add(v.name());
        }
        c.select(0);
        return c;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.CLIENT_ID + 1, "&Test Connection", false);
        createButton(parent, IDialogConstants.CLIENT_ID + 2, "Sa&ve", true);
        createButton(parent, IDialogConstants.CLOSE_ID, IDialogConstants.CLOSE_LABEL, false);
    }

    @Override
    protected void buttonPressed(int id) {
        if (id == IDialogConstants.CLIENT_ID + 1) {
            testConnection();
        } else if (id == IDialogConstants.CLIENT_ID + 2) {
            save();
        } else if (id == IDialogConstants.CLOSE_ID) {
            close();
        } else {
            super.buttonPressed(id);
        }
    }

    private String selectedName() {
        int i = list.getSelectionIndex();
        if (i < 0) {
            return null;
        }
        List<Site> sites = registry.all();
        return i < sites.size() ? sites.get(i).name() : null;
    }

    private void reloadList() {
        if (list == null || list.isDisposed()) {
            return;
        }
        list.removeAll();
        int select = -1;
        for (Site s : registry.all()) {
            if (s.name().equals(editing)) {
                select = list.getItemCount();
            }
            list.add(s.name() + (registry.isDemo(s.name()) ? "  (demo)" : ""));
        }
        if (select >= 0) {
            list.select(select);
        }
    }

    private void load(String siteName) {
        Site s = siteName == null ? null : registry.byName(siteName).orElse(null);
        if (s == null) {
            return;
        }
        loading = true;
        try {
            editing = s.name();
            name.setText(s.name());
            host.setText(s.host());
            port.setSelection(s.port());
            user.setText(s.user());
            password.setText(registry.isDemo(s.name()) || registry.storedPassword(s.name()).length > 0 ? "********" : "");
            passwordEdited = false;
            security.setText(s.security().name());
            passive.setText(s.passiveAddressPolicy().name());
            dataMode.setText(s.dataConnectionMode().name());
            encoding.setText(s.encoding().name());
            maxConnections.setSelection(s.maxConnections());
            keepAlive.setSelection((int) s.keepAlive().toSeconds());
            fxpAllowed.setSelection(s.fxpAllowed());
            relayAllowed.setSelection(s.relayAllowed());
            status.setText(registry.isDemo(s.name()) ? "A site of the embedded demo: saving it keeps it after the demo is gone." : "");
        } finally {
            loading = false;
        }
        removeButton.setEnabled(true);
        duplicateButton.setEnabled(true);
    }

    /** Starts a new site with empty settings. */
    public void newSite() {
        loading = true;
        try {
            editing = null;
            list.deselectAll();
            name.setText(registry.uniqueName("New site"));
            host.setText("");
            port.setSelection(21);
            user.setText("anonymous");
            password.setText("");
            passwordEdited = true;
            security.setText(Security.PLAIN.name());
            passive.setText(PassiveAddressPolicy.CONTROL_ADDRESS.name());
            dataMode.setText(DataConnectionMode.AUTO.name());
            encoding.setText("UTF-8");
            maxConnections.setSelection(4);
            keepAlive.setSelection((int) Site.DEFAULT_KEEP_ALIVE.toSeconds());
            fxpAllowed.setSelection(true);
            relayAllowed.setSelection(true);
            status.setText("Enter the new site's settings and press Save.");
        } finally {
            loading = false;
        }
        removeButton.setEnabled(false);
        duplicateButton.setEnabled(false);
        name.setFocus();
        name.selectAll();
    }

    private void duplicate() {
        String original = editing;
        if (original == null) {
            return;
        }
        char[] pw = registry.byName(original).map(s -> s.password().password()).orElse(new char[0]);
        editing = null;
        list.deselectAll();
        name.setText(registry.uniqueName(original + " copy"));
        loading = true;
        password.setText(new String(pw));
        loading = false;
        passwordEdited = true;
        removeButton.setEnabled(false);
        duplicateButton.setEnabled(false);
        status.setText("A copy of \u201c" + original + "\u201d: change what differs and press Save.");
    }

    private void remove() {
        String victim = editing;
        if (victim == null || !MessageDialog.openConfirm(getShell(), "Remove Site",
                "Remove the site \u201c" + victim + "\u201d and its saved password?")) {
            return;
        }
        try {
            registry.remove(victim);
            editing = null;
            if (list.getItemCount() > 0) {
                list.select(0);
                load(selectedName());
            } else {
                newSite();
            }
        } catch (IOException e) {
            status.setText("Could not remove: " + e.getMessage());
        }
    }

    /** Builds the site from the form; throws with a message for the user when something is wrong. */
    private Site fromForm(boolean withTypedPassword) {
        String n = name.getText().trim();
        if (n.isEmpty()) {
            throw new IllegalArgumentException("Give the site a name");
        }
        String h = host.getText().trim();
        if (h.isEmpty()) {
            throw new IllegalArgumentException("Enter the host name or address");
        }
        Site.Builder b = Site.builder(h).name(n).port(port.getSelection()).user(user.getText().trim())
                .security(Security.valueOf(security.getText()))
                .passiveAddressPolicy(PassiveAddressPolicy.valueOf(passive.getText()))
                .dataConnectionMode(DataConnectionMode.valueOf(dataMode.getText()))
                .encoding(Charset.forName(encoding.getText().trim().isEmpty() ? "UTF-8" : encoding.getText().trim()))
                .maxConnections(maxConnections.getSelection())
                .keepAlive(java.time.Duration.ofSeconds(keepAlive.getSelection()))
                .fxpAllowed(fxpAllowed.getSelection())
                .relayAllowed(relayAllowed.getSelection());
        if (withTypedPassword && passwordEdited) {
            b.password(password.getText());
        } else if (editing != null) {
            String old = editing;
            b.password(() -> registry.byName(old).map(s -> s.password().password()).orElse(new char[0]));
        }
        return b.build();
    }

    /** Saves the form as a site (new or changed). */
    public boolean save() {
        try {
            Site site = fromForm(true);
            registry.save(editing, site, passwordEdited ? password.getText().toCharArray() : null);
            editing = site.name();
            passwordEdited = false;
            reloadList();
            status.setText("Saved \u201c" + site.name() + "\u201d.");
            removeButton.setEnabled(true);
            duplicateButton.setEnabled(true);
            return true;
        } catch (IOException | RuntimeException e) {
            status.setText("Not saved: " + e.getMessage());
            return false;
        }
    }

    private void testConnection() {
        Site site;
        try {
            site = fromForm(true);
        } catch (RuntimeException e) {
            status.setText(e.getMessage());
            return;
        }
        status.setText("Connecting to " + site.host() + ":" + site.port() + "\u2026");
        // a session of its own, outside the pool: it tests the form's settings, not a saved site
        Job test = new Job("Testing " + site.name()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                report(tryLogin(site));
                return Status.OK_STATUS;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.FAMILY;
            }
        };
        test.schedule();
    }

    private static String tryLogin(Site site) {
        try (FtpSession s = FtpSession.open(site, ControlDialogue.global())) {
            return "Connected and logged in; home folder " + s.pwd()
                    + (s.features().isEmpty() ? "" : "; features: " + String.join(" ", s.features().stream()
                            .filter(f -> f.indexOf(' ') < 0).sorted().limit(14).toList()));
        } catch (Exception e) {
            return "Failed: " + (e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private void report(String text) {
        if (!status.isDisposed()) {
            status.getDisplay().asyncExec(() -> {
                if (!status.isDisposed()) {
                    status.setText(text);
                    status.getParent().layout();
                }
            });
        }
    }

    // ---- for tests: fill the form as a user would

    public void setFields(String siteName, String siteHost, int sitePort, String siteUser, String sitePassword) {
        name.setText(siteName);
        host.setText(siteHost);
        port.setSelection(sitePort);
        user.setText(siteUser);
        password.setText(sitePassword);
    }

    /** Presses "Test Connection". */
    public void testConnectionNow() {
        testConnection();
    }

    public String statusText() {
        return status.getText();
    }

    /** The names in the list of sites, as shown. */
    public List<String> listedSites() {
        return List.of(list.getItems());
    }
}
