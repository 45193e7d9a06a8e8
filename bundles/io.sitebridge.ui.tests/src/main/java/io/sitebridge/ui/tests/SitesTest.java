package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.UserFolder;
import io.sitebridge.demo.DemoServer;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.sites.SiteManagerDialog;

/**
 * The saved sites are the command line's too: FileZilla's sites imported in the site manager with
 * real input (the button, the file chooser typed into) show there, one of them logs in with its
 * imported password, the command line (a process of its own) lists a folder on it by name with no
 * password given, and a site the command line adds shows in the site manager.
 */
public class SitesTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String PASSWORD = "fz-imp\u00f6rted-pw";

    @Test
    void fileZillaSitesImportedAndSitesSharedWithTheCommandLine() throws Exception {
        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        Path home = UserFolder.current();
        assertTrue(home.startsWith(Ui.targetDir()), "the test's own user folder: " + home);
        Path serverHome = Files.createTempDirectory("sitebridge-fz");
        Files.writeString(serverHome.resolve("from-filezilla.txt"), "hello");
        DemoServer server = DemoServer.start("FZ", "127.0.0.1", "fzuser", PASSWORD, serverHome);
        Path xml = Files.createTempDirectory("sitebridge-fz-xml").resolve("sitemanager.xml");
        Files.writeString(xml, """
                <?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
                <FileZilla3 version="3.66.4" platform="*nix">
                  <Servers>
                    <Folder expanded="1">Imported
                      <Server>
                        <Host>127.0.0.1</Host><Port>%d</Port><Protocol>6</Protocol><Type>0</Type>
                        <User>fzuser</User><Pass encoding="base64">%s</Pass><Logontype>1</Logontype>
                        <PasvMode>MODE_DEFAULT</PasvMode><EncodingType>Auto</EncodingType>
                        <Name>Demo FZ</Name>
                      </Server>
                      <Server>
                        <Host>secure.example.org</Host><Port>21</Port><Protocol>4</Protocol>
                        <User>ann</User><Pass encoding="base64">%s</Pass><Logontype>1</Logontype>
                        <TimezoneOffset>120</TimezoneOffset><Name>Explicit TLS</Name>
                      </Server>
                      <Server>
                        <Host>shell.example.org</Host><Port>22</Port><Protocol>1</Protocol>
                        <User>ann</User><Logontype>1</Logontype><Name>SSH box</Name>
                      </Server>
                    </Folder>
                  </Servers>
                </FileZilla3>
                """.formatted(server.port(), b64(PASSWORD), b64("other-" + PASSWORD)));
        SiteManagerDialog[] dialog = new SiteManagerDialog[1];
        try {
            openSiteManager(dialog);
            Shell manager = Ui.sync(() -> dialog[0].getShell());

            // real input: the button, then the GTK file chooser: Ctrl+L, the path typed, Return
            Ui.click(Ui.buttonCentre(manager, SiteManagerDialog.IMPORT_LABEL));
            waitForWindow(SiteManagerDialog.IMPORT_CHOOSER_TITLE);
            Ui.sleep(500);
            Ui.key("ctrl+l");
            Ui.sleep(300);
            Ui.xdotool("type", "--delay", "20", xml.toString());
            Ui.sleep(500);
            Ui.key("Return");
            Ui.waitUntil("the import report is open", WAIT, () -> Ui.shellTitled("Imported from FileZilla") != null);
            Shell reportShell = Ui.sync(() -> Ui.shellTitled("Imported from FileZilla"));
            String report = Ui.sync(() -> findText(reportShell).getText());
            assertTrue(report.contains("imported 2 sites from " + xml + ", skipped 1"), report);
            assertTrue(report.contains("imported Imported/Demo FZ (plain FTP, password saved encrypted)"), report);
            assertTrue(report.contains("imported Imported/Explicit TLS (explicit FTPS, password saved encrypted)"),
                    report);
            assertTrue(report.contains("note: the time zone offset is not supported"), report);
            assertTrue(report.contains("skipped Imported/SSH box: SFTP (SSH) is not FTP"), report);
            Ui.sleep(300);
            Ui.screenshot("40-filezilla-import-report");
            Ui.key("Return"); // OK
            Ui.waitUntil("the report is closed", WAIT, () -> Ui.shellTitled("Imported from FileZilla") == null);

            List<String> listed = Ui.sync(() -> dialog[0].listedSites());
            assertTrue(listed.contains("Imported/Demo FZ") && listed.contains("Imported/Explicit TLS"), listed.toString());
            assertFalse(listed.contains("Imported/SSH box"), listed.toString());
            // the imported site is selected; Test Connection (real click) logs in with the imported password
            Ui.click(Ui.buttonCentre(manager, "&Test Connection"));
            Ui.join(SitebridgeJobs.FAMILY, WAIT);
            Ui.waitUntil("the connection test ends", WAIT, () -> !dialog[0].statusText().startsWith("Connecting"));
            assertTrue(Ui.sync(() -> dialog[0].statusText()).startsWith("Connected and logged in"),
                    Ui.sync(() -> dialog[0].statusText()));
            Ui.sleep(300);
            Ui.screenshot("41-site-manager-imported-sites");
            Site imported = SitebridgeUi.getDefault().sites().byName("Imported/Demo FZ").orElseThrow();
            assertEquals(PASSWORD, new String(imported.password().password()));
            assertNoPlainPassword(home, PASSWORD);
            assertNoPlainPassword(home, "other-" + PASSWORD);

            // the command line, a process of its own, uses the imported site by name: no password given, no terminal
            Cli ls = cli(home, Map.of(), "ls", "Imported/Demo FZ:/");
            assertEquals(0, ls.exit, ls.out + ls.err);
            assertTrue(ls.out.lines().anyMatch(l -> l.endsWith(" from-filezilla.txt")), ls.out);

            // a site the command line adds shows in the site manager
            Ui.click(Ui.buttonCentre(manager, org.eclipse.jface.dialogs.IDialogConstants.CLOSE_LABEL));
            Ui.waitUntil("the site manager is closed", WAIT, () -> manager.isDisposed());
            Cli add = cli(home, Map.of("SITEBRIDGE_PASSWORD", PASSWORD), "sites", "add",
                    "ftp://fzuser@127.0.0.1:" + server.port() + "/", "From the command line");
            assertEquals(0, add.exit, add.out + add.err);
            openSiteManager(dialog);
            assertTrue(Ui.sync(() -> dialog[0].listedSites()).contains("From the command line"),
                    Ui.sync(() -> dialog[0].listedSites()).toString());
            Site fromCli = SitebridgeUi.getDefault().sites().byName("From the command line").orElseThrow();
            assertEquals(server.port(), fromCli.port());
            assertEquals(PASSWORD, new String(fromCli.password().password()));
            Ui.sleep(300);
            Ui.screenshot("42-site-added-by-the-command-line");
            Ui.run(() -> dialog[0].close());
        } finally {
            Ui.run(() -> {
                if (dialog[0] != null && dialog[0].getShell() != null && !dialog[0].getShell().isDisposed()) {
                    dialog[0].close();
                }
            });
            server.close();
        }
    }

    private static void openSiteManager(SiteManagerDialog[] dialog) {
        dialog[0] = null;
        Ui.display().asyncExec(() -> {
            SiteManagerDialog d = new SiteManagerDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell());
            d.setBlockOnOpen(false);
            d.open();
            d.getShell().setLocation(60, 60);
            dialog[0] = d;
        });
        Ui.waitUntil("the site manager is open", WAIT, () -> dialog[0] != null && dialog[0].getShell() != null
                && dialog[0].getShell().isVisible());
        Ui.sleep(300);
    }

    private static Text findText(org.eclipse.swt.widgets.Composite c) {
        for (org.eclipse.swt.widgets.Control child : c.getChildren()) {
            if (child instanceof Text t && (t.getStyle() & org.eclipse.swt.SWT.MULTI) != 0) {
                return t;
            }
            if (child instanceof org.eclipse.swt.widgets.Composite inner) {
                Text t = findText(inner);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Waits for a top-level X window with this title (the GTK file chooser is no SWT shell). */
    private static void waitForWindow(String title) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = new ProcessBuilder("xdotool", "search", "--onlyvisible", "--name", title)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0 && !out.isBlank()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no window titled " + title);
    }

    record Cli(int exit, String out, String err) { }

    /**
     * Runs the command line as the start script does: a JVM of its own on a plain class path (the
     * application's, transfer and core bundles, commons-net, commons-io), stdin not a terminal.
     */
    static Cli cli(Path home, Map<String, String> env, String... args) throws Exception {
        List<String> cp = new ArrayList<>();
        for (String b : List.of("io.sitebridge.app", "io.sitebridge.transfer", "io.sitebridge.core",
                "org.apache.commons.commons-net", "org.apache.commons.commons-io")) {
            File f = FileLocator.getBundleFileLocation(Platform.getBundle(b)).orElseThrow();
            cp.add(f.isDirectory() && new File(f, "target/classes").isDirectory() ? new File(f, "target/classes").getPath()
                    : f.getPath());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, cp), "io.sitebridge.app.cli.Cli"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SITEBRIDGE_PASSWORD");
        pb.environment().put("SITEBRIDGE_HOME", home.toString());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the command line did not end: " + cmd);
        }
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static void assertNoPlainPassword(Path home, String password) throws IOException {
        byte[] plain = password.getBytes(StandardCharsets.UTF_8);
        String latin = new String(plain, StandardCharsets.ISO_8859_1);
        String base64 = b64(password);
        int scanned = 0;
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                scanned++;
                assertFalse(content.contains(latin) || content.contains(base64), "the password is readable in " + f);
            }
        }
        assertTrue(scanned >= 2, "scanned the user folder (" + scanned + " files)");
    }
}
