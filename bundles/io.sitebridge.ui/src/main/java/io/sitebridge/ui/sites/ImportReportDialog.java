package io.sitebridge.ui.sites;

import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.sites.SiteImport;

/** What an import did: the sites imported (with what was not kept of each) and the ones skipped, with why. */
final class ImportReportDialog extends Dialog {

    static final String TITLE = "Imported from FileZilla";

    private final SiteImport.Report report;
    private Text text;

    ImportReportDialog(Shell parent, SiteImport.Report report) {
        super(parent);
        this.report = report;
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
        Label summary = new Label(area, SWT.WRAP);
        summary.setText(summary(report));
        summary.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
        text = new Text(area, SWT.BORDER | SWT.MULTI | SWT.READ_ONLY | SWT.V_SCROLL | SWT.H_SCROLL);
        // names from the file are already without control characters; line breaks are ours
        StringBuilder sb = new StringBuilder();
        for (String line : report.text().split(System.lineSeparator())) {
            sb.append(ServerText.printable(line)).append(System.lineSeparator());
        }
        text.setText(sb.toString());
        GridData data = new GridData(SWT.FILL, SWT.FILL, true, true);
        data.widthHint = 720;
        data.heightHint = 260;
        text.setLayoutData(data);
        return area;
    }

    static String summary(SiteImport.Report r) {
        int n = r.imported().size();
        return (n == 1 ? "1 site was" : n + " sites were") + " imported"
                + (r.skipped().isEmpty() ? "." : "; " + r.skipped().size() + " skipped (see why below).")
                + " Passwords are saved encrypted, never in a plain file.";
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, IDialogConstants.OK_ID, IDialogConstants.OK_LABEL, true);
    }

    /** For tests: the report as shown. */
    String shownText() {
        return text.getText();
    }
}
