package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.UserFolder;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.core.trust.CertificateTrust;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.trust.CertificateDialog;
import io.sitebridge.ui.trust.UiCertificateAsker;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * An FTPS site whose self-signed certificate no trust store knows, connected in a pane with real
 * clicks: the certificate dialog shows server, subject, issuer, validity and SHA-256 (screenshot);
 * "Trust Once" connects and holds for the run without pinning; "Always Trust This Site" pins (the
 * file the command line shares; {@code AfterRestartTest}'s sibling {@link CertificateAfterRestartTest}
 * reconnects silently after the restart); the same server with another certificate is refused
 * with an error dialog naming both fingerprints.
 */
public class CertificateTrustUiTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SITE = "Secure";
    static final String PROPERTIES = "ftps-site.properties";

    @Test
    void anUntrustedCertificateIsAskedAboutTrustedAndAChangedOneRefused() throws Exception {
        Path userFolder = UserFolder.current();
        assertNotNull(System.getProperty(UserFolder.PROPERTY), "the UI tests name their own user folder");
        assertTrue(userFolder.toAbsolutePath().startsWith(Ui.targetDir().toAbsolutePath()),
                "the user folder is under target/, never the real one: " + userFolder);
        Path pinFile = CertificatePins.inUserFolder().file();
        Files.deleteIfExists(pinFile);
        CertificateTrust.forgetTrustedOnce();

        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);

        Path tls = Ui.targetDir().resolve("tls");
        Path storeA = FtpsTestServer.keyStore(tls.resolve("a.p12"), "Sitebridge Test Server");
        // the same name on another key: only the fingerprint tells them apart
        Path storeB = FtpsTestServer.keyStore(tls.resolve("b.p12"), "Sitebridge Test Server");
        String fpA = FtpsTestServer.fingerprint(storeA);
        String fpB = FtpsTestServer.fingerprint(storeB);
        Path home = Ui.targetDir().resolve("ftps-home");
        Files.createDirectories(home.resolve("pub"));
        Files.writeString(home.resolve("hello.txt"), "hello over TLS");

        FtpsTestServer server = FtpsTestServer.start("127.0.0.1", 0, storeA, home);
        int port = server.port();
        String key = "127.0.0.1:" + port;
        Site site = site(port);
        SitebridgeUi.getDefault().sites().addDemoSite("certificate-test", site);
        SiteBrowserView left = Ui.pane(SiteBrowserView.LEFT);
        try {
            // 1. asked, with everything a user needs to decide
            Ui.run(() -> left.connect(SITE));
            Shell dialog = waitForShell(CertificateDialog.TITLE);
            String shown = Ui.sync(() -> texts(dialog));
            assertTrue(shown.contains(fpA), shown);
            assertTrue(shown.contains(key), shown);
            assertTrue(shown.contains("CN=Sitebridge Test Server,O=Sitebridge UI tests"), shown);
            assertTrue(shown.matches("(?s).*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC to \\d{4}-.*"), shown);
            Ui.sleep(400);
            Path shot = Ui.screenshot("40-untrusted-certificate");
            System.out.println("certificate dialog: " + shot);
            Ui.click(Ui.buttonCentre(dialog, CertificateDialog.TRUST_ONCE));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, "hello.txt")), Ui.sync(left::statusText));
            assertFalse(Files.exists(pinFile), "trust once pins nothing");

            // 2. trust once holds for the run: a new connection is not asked about
            reconnect(left, site);
            assertNull(Ui.sync(() -> Ui.shellTitled(CertificateDialog.TITLE)), "asked again after Trust Once");

            // 3. a new run (trust once forgotten): asked again; Always Trust pins it
            Ui.run(left::disconnect);
            Ui.join(SitebridgeJobs.LIST, WAIT);
            CertificateTrust.forgetTrustedOnce();
            Ui.run(() -> left.connect(SITE));
            Shell again = waitForShell(CertificateDialog.TITLE);
            Ui.click(Ui.buttonCentre(again, CertificateDialog.TRUST_ALWAYS));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, "hello.txt")), Ui.sync(left::statusText));
            assertEquals(Optional.of(fpA), CertificatePins.inUserFolder().pinned(key));
            assertTrue(Files.readString(pinFile).contains(key + " " + fpA), Files.readString(pinFile));
            Properties p = new Properties();
            p.setProperty("port", Integer.toString(port));
            p.setProperty("keystore", storeA.toString());
            p.setProperty("fingerprint", fpA);
            p.setProperty("home", home.toString());
            try (Writer w = Files.newBufferedWriter(Ui.targetDir().resolve(PROPERTIES))) {
                p.store(w, "the FTPS site whose certificate the first run pinned");
            }

            // 4. pinned: silent, in a new run too
            CertificateTrust.forgetTrustedOnce();
            reconnect(left, site);
            assertNull(Ui.sync(() -> Ui.shellTitled(CertificateDialog.TITLE)), "asked about a pinned certificate");

            // 5. the same server and port with another certificate: refused, loudly, both fingerprints shown
            Ui.run(left::disconnect);
            Ui.join(SitebridgeJobs.LIST, WAIT);
            server.close();
            server = FtpsTestServer.start("127.0.0.1", port, storeB, home);
            Ui.run(() -> left.connect(SITE));
            Shell error = waitForShell(UiCertificateAsker.CHANGED_TITLE);
            String warning = Ui.sync(() -> texts(error));
            assertTrue(warning.contains("Pinned SHA-256:\n" + fpA + "\n"), warning);
            assertTrue(warning.contains("Presented SHA-256:\n" + fpB + "\n"), warning);
            assertTrue(warning.contains("CHANGED"), warning);
            assertNull(Ui.sync(() -> Ui.shellTitled(CertificateDialog.TITLE)), "a changed pin is no question");
            Ui.sleep(400);
            Ui.screenshot("41-certificate-changed");
            Ui.click(Ui.buttonCentre(error, "OK"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertFalse(Ui.sync(left::isConnected), "refused");
            String status = Ui.sync(left::statusText);
            assertTrue(status.startsWith("Error") && status.contains("CHANGED") && status.contains(fpB), status);
            assertEquals(Optional.of(fpA), CertificatePins.inUserFolder().pinned(key), "the pin stays");
            assertTrue(ControlDialogue.global().flush(Duration.ofSeconds(5)));
            Ui.waitUntil("the console says why", WAIT, () -> FirstRunTest.consoleText()
                    .contains("[" + SITE + "] * REFUSED: the certificate of " + key + " has CHANGED"));
            Ui.sleep(300);
            Ui.screenshot("42-certificate-changed-refused");
        } finally {
            Ui.run(() -> {
                for (Shell s : Ui.display().getShells()) {
                    if (CertificateDialog.TITLE.equals(s.getText()) || UiCertificateAsker.CHANGED_TITLE.equals(s.getText())) {
                        s.close();
                    }
                }
            });
            Ui.run(() -> left.connect("Demo Left"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            server.close();
        }
    }

    static Site site(int port) {
        return Site.builder("127.0.0.1").name(SITE).port(port).user(FtpsTestServer.USER)
                .password(FtpsTestServer.PASSWORD).security(Security.EXPLICIT_TLS).keepAlive(Duration.ZERO).build();
    }

    /**
     * Leaves the site (its pooled sessions closed), opens it again: a new TLS handshake. Returns once
     * the pane lists, or a certificate dialog is up (the caller asserts which).
     */
    static void reconnect(SiteBrowserView pane, Site site) {
        Ui.run(pane::disconnect);
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertEquals(0, SitebridgeUi.getDefault().queue().sessions().openSessions(site), "no session left to reuse");
        Ui.run(() -> pane.connect(SITE));
        Ui.waitUntil("the pane lists the site or a certificate question is up", WAIT,
                () -> Ui.shellTitled(CertificateDialog.TITLE) != null
                        || (pane.isConnected() && Ui.lists(pane, "hello.txt")));
    }

    static Shell waitForShell(String title) {
        Ui.waitUntil("the dialog " + title + " is open", WAIT, () -> Ui.shellTitled(title) != null);
        return Ui.sync(() -> Ui.shellTitled(title));
    }

    /** Every label's and text field's text in the shell, one per line. Call on the UI thread. */
    static String texts(Composite c) {
        StringBuilder b = new StringBuilder();
        for (Control child : c.getChildren()) {
            if (child instanceof Label l) {
                b.append(l.getText()).append('\n');
            } else if (child instanceof Text t) {
                b.append(t.getText()).append('\n');
            }
            if (child instanceof Composite inner) {
                b.append(texts(inner));
            }
        }
        return b.toString();
    }
}
