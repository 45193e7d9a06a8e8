package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.trust.CertificateDialog;
import io.sitebridge.ui.views.SiteBrowserView;

/** The application started again: the certificate the first run pinned ("Always Trust") connects without a question. */
public class CertificateAfterRestartTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aPinnedCertificateReconnectsSilentlyAfterARestart() throws Exception {
        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        Properties first = new Properties();
        try (var in = Files.newBufferedReader(Ui.targetDir().resolve(CertificateTrustUiTest.PROPERTIES))) {
            first.load(in);
        }
        int port = Integer.parseInt(first.getProperty("port"));
        String fp = first.getProperty("fingerprint");
        assertEquals(Optional.of(fp), CertificatePins.inUserFolder().pinned("127.0.0.1:" + port), "the pin is kept");

        try (FtpsTestServer server = FtpsTestServer.start("127.0.0.1", port, Path.of(first.getProperty("keystore")),
                Path.of(first.getProperty("home")))) {
            Site site = CertificateTrustUiTest.site(port);
            SitebridgeUi.getDefault().sites().addDemoSite("certificate-test", site);
            SiteBrowserView left = Ui.pane(SiteBrowserView.LEFT);
            try {
                Ui.run(() -> left.connect(CertificateTrustUiTest.SITE));
                Ui.waitUntil("the pane lists the site or a certificate question is up", WAIT,
                        () -> Ui.shellTitled(CertificateDialog.TITLE) != null
                                || (left.isConnected() && Ui.lists(left, "hello.txt")));
                assertNull(Ui.sync(() -> Ui.shellTitled(CertificateDialog.TITLE)), "asked about a pinned certificate");
                assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, "hello.txt")));
                Ui.sleep(300);
                Ui.screenshot("43-pinned-certificate-after-restart");
            } finally {
                Ui.run(() -> {
                    Shell s = Ui.shellTitled(CertificateDialog.TITLE);
                    if (s != null) {
                        s.close();
                    }
                });
                Ui.run(() -> left.connect("Demo Left"));
                Ui.join(SitebridgeJobs.LIST, WAIT);
            }
        }
    }
}
