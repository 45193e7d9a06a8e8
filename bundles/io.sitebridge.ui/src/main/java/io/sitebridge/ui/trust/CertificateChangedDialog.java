package io.sitebridge.ui.trust;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;

import io.sitebridge.core.trust.UntrustedCertificate;

/**
 * The loud error when a server whose certificate was trusted always presents another one: both
 * fingerprints, the new certificate's details, the refusal, and how to trust the new certificate
 * deliberately. Only one button: it is no question.
 */
public final class CertificateChangedDialog extends MessageDialog {
    public static final String TITLE = "Certificate Changed: Connection Refused";

    private final UntrustedCertificate presented;
    private final String pinned;

    public CertificateChangedDialog(Shell parent, String pinned, UntrustedCertificate presented, String pinFile) {
        super(parent, TITLE, null, "WARNING: the certificate of " + presented.site()
                + " has CHANGED since you chose to trust it always. Someone may be intercepting the connection: "
                + "it was refused.\n\nOnly if the server's administrator confirms the new certificate, remove the line of "
                + presented.site() + " from " + pinFile + " (or run sitebridge ls --trust with the presented fingerprint"
                + " and the site's URL), then connect again.", MessageDialog.ERROR, 0, IDialogConstants.OK_LABEL);
        this.pinned = pinned;
        this.presented = presented;
    }

    @Override
    public void create() {
        super.create();
        getButton(0).setFocus();
    }

    @Override
    protected Control createCustomArea(Composite parent) {
        return CertificateDialog.details(parent, presented, pinned);
    }
}
