package io.sitebridge.ui.trust;

import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.core.trust.CertificateAsker;
import io.sitebridge.core.trust.CertificateTrust;
import io.sitebridge.core.trust.UntrustedCertificate;

/**
 * The application's answers about untrusted certificates: the {@link CertificateDialog}, and a loud
 * error dialog naming both fingerprints when a pinned server presents another certificate (refused,
 * never a question). Called on the connecting job's thread: the dialogs open on the UI thread with
 * {@code syncExec}, the network work stays in the job. Without a workbench (no display) it refuses.
 */
public final class UiCertificateAsker implements CertificateAsker {
    public static final String CHANGED_TITLE = CertificateChangedDialog.TITLE;

    @Override
    public Answer ask(UntrustedCertificate certificate) {
        AtomicReference<Answer> answer = new AtomicReference<>(Answer.REFUSE);
        onUiThread(shell -> answer.set(new CertificateDialog(shell, certificate).ask()));
        return answer.get();
    }

    @Override
    public boolean replacePin(String pinned, UntrustedCertificate presented) {
        String file = CertificateTrust.pins().file().toString();
        onUiThread(shell -> new CertificateChangedDialog(shell, pinned, presented, file).open());
        return false;
    }

    private static void onUiThread(java.util.function.Consumer<Shell> dialog) {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        if (display.isDisposed()) {
            return;
        }
        display.syncExec(() -> {
            IWorkbenchWindow w = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
            Shell shell = w != null ? w.getShell() : display.getActiveShell();
            dialog.accept(shell);
        });
    }
}
