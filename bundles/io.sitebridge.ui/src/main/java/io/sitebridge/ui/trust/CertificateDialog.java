package io.sitebridge.ui.trust;

import java.time.Instant;

import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

import io.sitebridge.core.trust.CertificateAsker.Answer;
import io.sitebridge.core.trust.UntrustedCertificate;

/**
 * Asks about a server certificate that the system does not trust, as browsers and FileZilla do:
 * its server, subject, issuer, validity and SHA-256 fingerprint (in read-only fields a user can
 * select and copy to compare), and three buttons: {@value #TRUST_ONCE}, {@value #TRUST_ALWAYS},
 * {@value #CANCEL} (the default: Enter or Escape never trusts by accident).
 */
public final class CertificateDialog extends MessageDialog {
    public static final String TITLE = "Untrusted Certificate";
    public static final String TRUST_ONCE = "Trust Once";
    public static final String TRUST_ALWAYS = "Always Trust This Site";
    public static final String CANCEL = IDialogConstants.CANCEL_LABEL;

    private final UntrustedCertificate certificate;

    public CertificateDialog(Shell parent, UntrustedCertificate certificate) {
        super(parent, TITLE, null, "The TLS certificate of " + certificate.site()
                + " is not trusted by this system. Anyone between you and the server could present such a certificate."
                + " Connect only if its fingerprint is the one the server's administrator gives you.",
                MessageDialog.WARNING, 2, TRUST_ONCE, TRUST_ALWAYS, CANCEL);
        this.certificate = certificate;
    }

    @Override
    protected Control createCustomArea(Composite parent) {
        return details(parent, certificate, null);
    }

    @Override
    public void create() {
        super.create();
        getButton(2).setFocus(); // not a detail field: Enter or Escape right away refuses
    }

    /**
     * The certificate's details in label/read-only field rows; with {@code pinned}, the pinned
     * fingerprint above the presented one. Subject and issuer are the server's text, made printable
     * in {@link UntrustedCertificate}.
     */
    static Composite details(Composite parent, UntrustedCertificate certificate, String pinned) {
        Composite c = new Composite(parent, SWT.NONE);
        GridLayoutFactory.swtDefaults().numColumns(2).applyTo(c);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(c);
        Instant now = Instant.now();
        row(c, "Server:", certificate.site());
        row(c, "Subject:", certificate.subject());
        row(c, "Issuer:", certificate.issuer());
        row(c, "Valid:", certificate.validity() + (certificate.validAt(now) ? ""
                : now.isAfter(certificate.notAfter()) ? "  (EXPIRED)" : "  (NOT YET VALID)"));
        if (pinned != null) {
            row(c, "Pinned SHA-256:", pinned);
            row(c, "Presented SHA-256:", certificate.fingerprint());
        } else {
            row(c, "SHA-256:", certificate.fingerprint());
        }
        return c;
    }

    private static void row(Composite c, String label, String value) {
        Label l = new Label(c, SWT.NONE);
        l.setText(label);
        Text t = new Text(c, SWT.READ_ONLY | SWT.SINGLE);
        t.setText(value);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(t); // as wide as the fingerprint: never cut
    }

    /** Opens the dialog (on the UI thread) and returns the user's answer; closing it refuses. */
    public Answer ask() {
        return switch (open()) {
            case 0 -> Answer.TRUST_ONCE;
            case 1 -> Answer.TRUST_ALWAYS;
            default -> Answer.REFUSE;
        };
    }
}
