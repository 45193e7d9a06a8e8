package io.sitebridge.ui.compare;

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
import org.eclipse.swt.widgets.TableItem;

import io.sitebridge.core.ServerText;
import io.sitebridge.transfer.compare.Mirror;
import io.sitebridge.transfer.compare.MirrorPlan;
import io.sitebridge.ui.jobs.SitebridgeJobs;

/**
 * The preview of a mirror from the left pane's compared folder to the right's: every planned
 * action (create, copy, delete, keep) before anything changes, from the comparison the panes show.
 * "Mirror" asks again, with the count of files and bytes, when something is to be deleted; the
 * copies go through the transfer queue (a job of {@link SitebridgeJobs#TRANSFER}), and the panes
 * are compared again when it has finished.
 */
public final class MirrorPreviewDialog extends Dialog {
    public static final String TITLE = "Mirror Preview";

    private final CompareModel model;
    private Button deleteBox;
    private Button onlyNewerBox;
    private Table actions;
    private Label summary;
    private MirrorPlan plan;

    public MirrorPreviewDialog(Shell parent, CompareModel model) {
        super(parent);
        this.model = model;
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
        what.setText("Make " + model.rightEndpoint().displayName() + " " + model.rightRoot() + " like "
                + model.leftEndpoint().displayName() + " " + model.leftRoot() + ":");
        deleteBox = new Button(area, SWT.CHECK);
        deleteBox.setText("&Delete what only the right side has");
        deleteBox.addListener(SWT.Selection, e -> replan());
        onlyNewerBox = new Button(area, SWT.CHECK);
        onlyNewerBox.setText("Replace only with &newer files");
        onlyNewerBox.addListener(SWT.Selection, e -> replan());
        actions = new Table(area, SWT.BORDER | SWT.FULL_SELECTION | SWT.V_SCROLL);
        GridData tableData = new GridData(SWT.FILL, SWT.FILL, true, true);
        tableData.widthHint = 560;
        tableData.heightHint = 260;
        actions.setLayoutData(tableData);
        summary = new Label(area, SWT.WRAP);
        summary.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        replan();
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, "&Mirror", true);
        createButton(parent, IDialogConstants.CANCEL_ID, IDialogConstants.CANCEL_LABEL, false);
        getButton(IDialogConstants.OK_ID).setEnabled(plan != null && !plan.isEmpty());
    }

    /** The plan for the boxes as they are now. */
    public MirrorPlan plan() {
        return plan;
    }

    public Table actionTable() {
        return actions;
    }

    private void replan() {
        if (model.comparison() == null) {
            return;
        }
        plan = MirrorPlan.of(model.comparison(), deleteBox.getSelection(), onlyNewerBox.getSelection(), false);
        actions.removeAll();
        for (MirrorPlan.Action a : plan.actions()) {
            new TableItem(actions, SWT.NONE).setText(ServerText.printable(a.line()));
        }
        for (MirrorPlan.Action a : plan.kept()) {
            new TableItem(actions, SWT.NONE).setText(ServerText.printable(a.line()));
        }
        String text = plan.summary();
        if (!plan.refusals().isEmpty()) {
            text += " \u2013 " + String.join("; ", plan.refusals());
        }
        summary.setText(text);
        summary.getParent().layout(true);
        if (getButton(IDialogConstants.OK_ID) != null) {
            getButton(IDialogConstants.OK_ID).setEnabled(!plan.isEmpty());
        }
    }

    @Override
    protected void okPressed() {
        int deletions = plan.of(MirrorPlan.Type.DELETE).size() + plan.of(MirrorPlan.Type.RMDIR).size();
        if (deletions > 0 && !MessageDialog.openQuestion(getShell(), "Delete on the Right",
                "Delete " + plan.of(MirrorPlan.Type.DELETE).size() + " files (" + plan.bytes(MirrorPlan.Type.DELETE)
                        + " bytes) and " + plan.of(MirrorPlan.Type.RMDIR).size() + " folders that only "
                        + model.rightEndpoint().displayName() + " has?")) {
            return;
        }
        run(model, model.mirror(deleteBox.getSelection(), onlyNewerBox.getSelection()), plan);
        super.okPressed();
    }

    /** Carries out the plan in a job; compares again afterwards. */
    static void run(CompareModel model, Mirror mirror, MirrorPlan plan) {
        Display display = Display.getCurrent();
        Job job = new Job("Mirroring " + model.leftRoot() + " to " + model.rightRoot()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                IStatus status;
                try {
                    Mirror.Outcome o = mirror.execute(plan, line -> { });
                    status = o.ok() ? Status.OK_STATUS : Status.warning("Mirror: " + o.failed().size()
                            + " files failed" + (o.deleteFailure() == null ? "" : "; " + o.deleteFailure()));
                } catch (Exception e) {
                    status = Status.error("Mirror failed: " + e.getMessage(), e);
                }
                display.asyncExec(model::compare);
                return status;
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == SitebridgeJobs.TRANSFER || family == SitebridgeJobs.FAMILY;
            }
        };
        job.schedule();
    }
}
