package io.sitebridge.ui.compare;

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
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;

import io.sitebridge.core.ServerText;
import io.sitebridge.transfer.compare.Comparison;
import io.sitebridge.transfer.compare.Mirror;
import io.sitebridge.transfer.compare.MirrorPlan;
import io.sitebridge.transfer.compare.PathFilter;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.ui.browse.Paths;
import io.sitebridge.ui.jobs.SitebridgeJobs;

/**
 * The preview of a mirror of one pane's folder onto the other's: compares the trees as they are
 * now (in a job), lists every planned action ({@link MirrorPlan}, the same plan the command line's
 * {@code --dry-run} prints) with the options only-newer and delete, asks again with the count of
 * files and bytes when something is to be deleted, and then runs the mirror ({@link Mirror#execute}:
 * the copies go through the transfer queue) in a job of {@link SitebridgeJobs#MIRROR}.
 */
public final class MirrorPreviewDialog extends Dialog {
    public static final String TITLE = "Mirror Preview";
    public static final String CONFIRM_TITLE = "Delete on the Destination";
    public static final String MIRROR_LABEL = "&Mirror";
    public static final String DELETE_LABEL = "&Delete what only the destination has";
    public static final String ONLY_NEWER_LABEL = "Replace only with &newer files";
    public static final String CONFIRM_LABEL = "&Delete and Mirror";
    public static final String EXCLUDE_LABEL = "Leave out:";
    public static final String INCLUDE_LABEL = "Only:";
    public static final String APPLY_LABEL = "&Compare Again";

    private final Endpoint source;
    private final String sourceRoot;
    private final Endpoint destination;
    private final String destinationRoot;
    /** Runs on the UI thread when the mirror has ended (with a line saying how). */
    private final java.util.function.Consumer<String> done;

    private Button deleteBox;
    private Button onlyNewerBox;
    private org.eclipse.swt.widgets.Text excludeText;
    private org.eclipse.swt.widgets.Text includeText;
    private Label filterProblem;
    /** Include/exclude patterns of this preview (glob syntax of --include/--exclude), on top of the skip lists. */
    private PathFilter filter = PathFilter.ALL;
    private Table actions;
    private Label summary;
    private Comparison comparison;
    private MirrorPlan plan;

    public MirrorPreviewDialog(Shell parent, Endpoint source, String sourceRoot, Endpoint destination,
            String destinationRoot, java.util.function.Consumer<String> done) {
        super(parent);
        this.source = source;
        this.sourceRoot = sourceRoot;
        this.destination = destination;
        this.destinationRoot = destinationRoot;
        this.done = done;
        setShellStyle(getShellStyle() | SWT.RESIZE);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText(TITLE);
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        area.setLayout(new GridLayout(1, false));
        Label what = new Label(area, SWT.WRAP);
        GridData whatData = new GridData(SWT.FILL, SWT.TOP, true, false);
        whatData.widthHint = 700;
        what.setLayoutData(whatData);
        what.setText(ServerText.printable("Make " + destination.displayName() + " " + destinationRoot + " like "
                + source.displayName() + " " + sourceRoot + ":"));
        onlyNewerBox = new Button(area, SWT.CHECK);
        onlyNewerBox.setText(ONLY_NEWER_LABEL);
        onlyNewerBox.addListener(SWT.Selection, e -> replan());
        deleteBox = new Button(area, SWT.CHECK);
        deleteBox.setText(DELETE_LABEL);
        deleteBox.addListener(SWT.Selection, e -> replan());
        Composite patterns = new Composite(area, SWT.NONE);
        patterns.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        patterns.setLayout(new GridLayout(3, false));
        new Label(patterns, SWT.NONE).setText(EXCLUDE_LABEL);
        excludeText = new org.eclipse.swt.widgets.Text(patterns, SWT.BORDER);
        excludeText.setMessage("patterns separated by spaces, e.g. *.tmp cache/**");
        excludeText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        Button apply = new Button(patterns, SWT.PUSH);
        apply.setText(APPLY_LABEL);
        apply.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false, 1, 2));
        new Label(patterns, SWT.NONE).setText(INCLUDE_LABEL);
        includeText = new org.eclipse.swt.widgets.Text(patterns, SWT.BORDER);
        includeText.setMessage("empty: every file");
        includeText.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filterProblem = new Label(area, SWT.WRAP);
        filterProblem.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        apply.addListener(SWT.Selection, e -> applyPatterns(parent.getDisplay()));
        excludeText.addListener(SWT.DefaultSelection, e -> applyPatterns(parent.getDisplay()));
        includeText.addListener(SWT.DefaultSelection, e -> applyPatterns(parent.getDisplay()));
        actions = new Table(area, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        actions.setHeaderVisible(true);
        for (String[] c : new String[][] {{"Action", "80"}, {"Path", "300"}, {"Size", "90"}, {"Why", "200"}}) {
            TableColumn col = new TableColumn(actions, SWT.LEFT);
            col.setText(c[0]);
            col.setWidth(Integer.parseInt(c[1]));
        }
        GridData tableData = new GridData(SWT.FILL, SWT.FILL, true, true);
        tableData.widthHint = 700;
        tableData.heightHint = 280;
        actions.setLayoutData(tableData);
        summary = new Label(area, SWT.WRAP);
        GridData summaryData = new GridData(SWT.FILL, SWT.TOP, true, false);
        summaryData.widthHint = 700;
        summary.setLayoutData(summaryData);
        summary.setText("Comparing\u2026");
        compare(parent.getDisplay());
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, MIRROR_LABEL, true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        getButton(IDialogConstants.OK_ID).setEnabled(false);
    }

    /** The patterns typed, as the command line's --exclude and --include take them; compares again. */
    void applyPatterns(Display display) {
        try {
            filter = PathFilter.of(words(includeText.getText()), words(excludeText.getText()));
            filterProblem.setText("");
        } catch (IllegalArgumentException e) {
            filterProblem.setText(ServerText.printable("Not a pattern: " + e.getMessage()));
            return;
        }
        comparison = null;
        plan = null;
        actions.removeAll();
        getButton(IDialogConstants.OK_ID).setEnabled(false);
        summary.setText("Comparing\u2026");
        compare(display);
    }

    private static java.util.List<String> words(String text) {
        return java.util.Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private void compare(Display display) {
        PathFilter patterns = filter;
        Job job = new Job("Comparing for the mirror preview") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                Comparison c = null;
                String why = null;
                try {
                    c = CompareModel.mirror(source, sourceRoot, destination, destinationRoot, patterns).compare();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    why = "interrupted";
                } catch (Exception e) {
                    why = e.getMessage() == null ? e.toString() : e.getMessage();
                }
                Comparison result = c;
                String reason = why;
                display.asyncExec(() -> compared(result, reason));
                return Status.OK_STATUS;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.COMPARE || family == SitebridgeJobs.FAMILY;
            }
        };
        job.schedule();
    }

    private void compared(Comparison c, String why) {
        if (actions == null || actions.isDisposed()) {
            return;
        }
        if (c == null) {
            summary.setText(ServerText.printable("Cannot compare: " + why));
            summary.getParent().layout(true);
            return;
        }
        comparison = c;
        replan();
    }

    private void replan() {
        if (comparison == null) {
            return;
        }
        plan = MirrorPlan.of(comparison, deleteBox.getSelection(), onlyNewerBox.getSelection(), false);
        actions.removeAll();
        for (MirrorPlan.Action a : plan.actions()) {
            row(a);
        }
        for (MirrorPlan.Action a : plan.kept()) {
            row(a);
        }
        String text = plan.summary() + " (by " + (comparison.hashMethod() != null ? "hash, "
                + comparison.hashMethod() : "size and time") + ")";
        for (String r : plan.refusals()) {
            text += " \u2013 " + r;
        }
        for (String n : comparison.notes()) {
            text += " \u2013 " + n;
        }
        summary.setText(ServerText.printable(text));
        summary.getParent().layout(true);
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(!plan.isEmpty());
        }
    }

    private void row(MirrorPlan.Action a) {
        boolean folder = a.type() == MirrorPlan.Type.MKDIR || a.type() == MirrorPlan.Type.RMDIR;
        new TableItem(actions, SWT.NONE).setText(new String[] {a.type().label,
            ServerText.printable(a.path() + (folder ? "/" : "")), a.bytes() >= 0 ? Paths.humanSize(a.bytes()) : "",
            ServerText.printable(a.why())});
    }

    /** The plan for the options as they are now (null while comparing). UI thread. */
    public MirrorPlan plan() {
        return plan;
    }

    /** The preview's rows: action, path, size, why. UI thread. */
    public List<String[]> rows() {
        return java.util.Arrays.stream(actions.getItems())
                .map(i -> new String[] {i.getText(0), i.getText(1), i.getText(2), i.getText(3)}).toList();
    }

    /** The "Leave out" field (tests type into it). */
    public org.eclipse.swt.widgets.Text excludeField() {
        return excludeText;
    }

    public String summaryText() {
        return summary.getText();
    }

    @Override
    protected void okPressed() {
        if (plan == null || plan.isEmpty()) {
            return;
        }
        int files = plan.of(MirrorPlan.Type.DELETE).size();
        int folders = plan.of(MirrorPlan.Type.RMDIR).size();
        if (files + folders > 0) {
            String question = ServerText.printable("Delete " + files + (files == 1 ? " file" : " files") + " ("
                    + Paths.humanSize(plan.bytes(MirrorPlan.Type.DELETE)) + ", " + plan.bytes(MirrorPlan.Type.DELETE)
                    + " bytes) and " + folders + (folders == 1 ? " folder" : " folders") + " that only "
                    + destination.displayName() + " " + destinationRoot + " has?\n\nThis cannot be undone.");
            MessageDialog confirm = new MessageDialog(getShell(), CONFIRM_TITLE, null, question,
                    MessageDialog.WARNING, 1, CONFIRM_LABEL, IDialogConstants.CANCEL_LABEL);
            if (confirm.open() != 0) {
                return;
            }
        }
        run(plan, getShell().getDisplay());
        super.okPressed();
    }

    /** Carries out the plan in a job (copies through the queue); {@link #done} hears how it went. */
    private void run(MirrorPlan chosen, Display display) {
        Mirror mirror = CompareModel.mirror(source, sourceRoot, destination, destinationRoot, filter);
        String name = "Mirroring " + source.displayName() + " " + sourceRoot + " to " + destination.displayName()
                + " " + destinationRoot;
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                String line;
                IStatus status;
                try {
                    Mirror.Outcome o = mirror.execute(chosen, text -> { });
                    line = "Mirror: " + o.copied() + " copied, " + o.deleted() + " deleted"
                            + (o.failed().isEmpty() ? "" : ", " + o.failed().size() + " failed (see the queue)")
                            + (o.deleteFailure() == null ? "" : "; " + o.deleteFailure());
                    status = o.ok() ? Status.OK_STATUS : Status.warning(line);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    line = "Mirror interrupted";
                    status = Status.CANCEL_STATUS;
                } catch (Exception e) {
                    line = "Mirror failed: " + e.getMessage();
                    status = Status.warning(line, e);
                }
                String said = line;
                display.asyncExec(() -> done.accept(said));
                return status;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.MIRROR || family == SitebridgeJobs.FAMILY;
            }
        };
        job.schedule();
    }
}
