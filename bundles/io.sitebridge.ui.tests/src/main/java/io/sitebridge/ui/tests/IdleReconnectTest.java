package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.demo.DemoServer;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * A pane left idle past the server's idle timeout (the server closes the connection) and
 * keep-alive off: a refresh with F5 and a double-click into a folder, real input both, still
 * list, in the same folder with the selection kept, and the console says the pane reconnected.
 */
public class IdleReconnectTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int SERVER_IDLE = 2;
    static final String NOTE = "the server closed the idle connection; reconnected";

    @Test
    void anIdlePaneReconnectsAfterTheServersIdleTimeout() throws Exception {
        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        SiteBrowserView left = Ui.pane(SiteBrowserView.LEFT);
        Path home = Files.createTempDirectory("sitebridge-idle");
        Files.createDirectories(home.resolve("pub/inner"));
        for (String name : List.of("alpha.txt", "beta.txt", "gamma.txt")) {
            Files.writeString(home.resolve("pub").resolve(name), name);
        }
        Files.writeString(home.resolve("pub/inner/deep.txt"), "deep");
        DemoServer server = DemoServer.start("Idle", "127.0.0.1", "idle", "idle-pw", home, SERVER_IDLE);
        Site site = Site.builder("127.0.0.1").name("Idle").port(server.port()).user("idle").password("idle-pw")
                .keepAlive(Duration.ZERO).build();
        SitebridgeUi.getDefault().sites().addDemoSite("idle-test", site);
        try {
            Ui.run(() -> left.connect("Idle"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            Ui.run(() -> left.open("/pub"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, "beta.txt")), "the pane shows /pub");
            Ui.click(Ui.rowCentre(left, "beta.txt")); // real input: the selection, and the focus for F5
            Ui.waitUntil("beta.txt is selected", WAIT, () -> selected(left).equals(List.of("beta.txt")));
            int consoleBefore = Ui.sync(() -> FirstRunTest.consoleText().length());

            Ui.sleep(SERVER_IDLE * 1000 + 2000); // the server closes the pane's connection meanwhile
            Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.key("F5"));
            assertEquals("/pub", Ui.sync(left::currentPath), "the same folder");
            assertEquals(List.of("alpha.txt", "beta.txt", "gamma.txt", "inner"),
                    Ui.sync(() -> left.shownEntries().stream().map(RemoteEntry::name).sorted().toList()));
            assertEquals(List.of("beta.txt"), Ui.sync(() -> selected(left)), "the selection is kept");
            assertFalse(Ui.sync(left::statusText).startsWith("Error"), Ui.sync(left::statusText));
            assertTrue(ControlDialogue.global().flush(Duration.ofSeconds(5)));
            Ui.waitUntil("the console shows the reconnect note", WAIT,
                    () -> FirstRunTest.consoleText().substring(consoleBefore).contains("[Idle] * " + NOTE));
            Ui.sleep(300);
            Ui.screenshot("30-idle-pane-reconnected");

            Ui.sleep(SERVER_IDLE * 1000 + 2000); // and again, then into a folder with a double-click
            int before = Ui.sync(() -> FirstRunTest.consoleText().length());
            Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(left, "inner")));
            assertEquals("/pub/inner", Ui.sync(left::currentPath));
            assertTrue(Ui.sync(() -> Ui.lists(left, "deep.txt")), "the folder's listing appears");
            assertTrue(ControlDialogue.global().flush(Duration.ofSeconds(5)));
            Ui.waitUntil("the console shows the second reconnect", WAIT,
                    () -> FirstRunTest.consoleText().substring(before).contains("[Idle] * " + NOTE));
            String dialogue = Ui.sync(() -> FirstRunTest.consoleText().substring(consoleBefore));
            System.out.println("idle pane, the console since the first pause:\n" + dialogue);
        } finally {
            Ui.run(() -> left.connect("Demo Left"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            server.close();
        }
    }

    private static List<String> selected(SiteBrowserView pane) {
        int[] rows = pane.table().getSelectionIndices();
        List<RemoteEntry> shown = pane.shownEntries();
        return java.util.Arrays.stream(rows).mapToObj(i -> shown.get(i).name()).sorted().toList();
    }
}
