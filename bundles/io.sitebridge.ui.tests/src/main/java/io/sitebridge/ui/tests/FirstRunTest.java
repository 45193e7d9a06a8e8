package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.ui.queue.QueueLabels;
import io.sitebridge.ui.sites.SiteManagerDialog;
import io.sitebridge.ui.views.SiteBrowserView;
import io.sitebridge.ui.views.TransferQueueView;

/**
 * The real application on its demo default, under Xvfb: drags with the real
 * pointer from the left pane to the right, then creates a site in the site
 * manager (checked again by {@link AfterRestartTest} in a second start).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class FirstRunTest {

    static final String FILE = "sitebridge-demo.bin";
    static final Duration WAIT = Duration.ofSeconds(30);

    static SiteBrowserView left;
    static SiteBrowserView right;
    static Path leftHome;
    static Path rightHome;

    @BeforeAll
    static void workbenchWithDemo() {
        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        left = Ui.pane(SiteBrowserView.LEFT);
        right = Ui.pane(SiteBrowserView.RIGHT);
        assertNotNull(left, "left site browser in the perspective");
        assertNotNull(right, "right site browser in the perspective");
        Ui.waitUntil("the left pane lists the demo file", WAIT, () -> Ui.lists(left, FILE));
        Ui.waitUntil("the right pane lists its inbox", WAIT, () -> Ui.lists(right, "incoming"));
        leftHome = Path.of(System.getProperty("sitebridge.demo.left.home"));
        rightHome = Path.of(System.getProperty("sitebridge.demo.right.home"));
        Ui.screenshot("01-started");
    }

    @Test
    @Order(1)
    void dragAFileFromLeftToRight() throws Exception {
        int consoleBefore = consoleText().length();
        long size = Files.size(leftHome.resolve(FILE));

        Ui.drag(Ui.rowCentre(left, FILE), Ui.emptyArea(right));

        Ui.waitUntil("the transfer is done in the queue", WAIT, () -> itemFor(FILE) != null
                && itemFor(FILE).state().isFinished());
        QueueItem item = Ui.sync(() -> itemFor(FILE));
        assertEquals(ItemState.DONE, item.state(), "queue item state; reason: " + item.reason());
        assertEquals("FXP", QueueLabels.kind(item));

        Ui.waitUntil("the right pane lists " + FILE, WAIT, () -> Ui.lists(right, FILE));
        RemoteEntry listed = Ui.sync(() -> Ui.entry(right, FILE));
        assertEquals(size, listed.size(), "size listed in the right pane");
        String sizeCell = Ui.sync(() -> {
            int i = right.shownEntries().indexOf(listed);
            return right.table().getItem(i).getText(1);
        });
        assertEquals("4.0 MB", sizeCell);

        TransferQueueView queueView = Ui.view(TransferQueueView.ID, TransferQueueView.class);
        assertNotNull(queueView, "the transfer queue view is in the perspective");
        Ui.waitUntil("the queue view shows the item done", WAIT, () -> {
            List<QueueItem> shown = queueView.shownItems();
            for (int i = 0; i < shown.size(); i++) {
                if (shown.get(i).name().equals(FILE)) {
                    TableItem row = queueView.table().getItem(i);
                    return row.getText(3).endsWith("Done") && row.getText(0).equals(FILE);
                }
            }
            return false;
        });

        assertTrue(ControlDialogue.global().flush(Duration.ofSeconds(5)));
        Ui.waitUntil("the console shows both 226 replies", WAIT, () -> {
            String t = consoleText().substring(consoleBefore);
            return t.contains("[Demo Left] < 226") && t.contains("[Demo Right] < 226");
        });
        String dialogue = Ui.sync(() -> consoleText().substring(consoleBefore));
        for (String expected : new String[] { "> PASV", "> PORT ", "> STOR /" + FILE, "> RETR /" + FILE }) {
            assertTrue(dialogue.contains(expected), "console shows " + expected + ":\n" + dialogue);
        }
        assertTrue(dialogue.lines().filter(l -> l.contains("< 226")).count() >= 2, dialogue);

        assertEquals(-1, Files.mismatch(leftHome.resolve(FILE), rightHome.resolve(FILE)),
                "bytes on the right server's disk equal the source");
        Ui.screenshot("02-after-file-drag");
    }

    @Test
    @Order(2)
    void dragAFolderOntoAFolderRow() throws Exception {
        Ui.drag(Ui.rowCentre(left, "photos"), Ui.rowCentre(right, "incoming"));

        Path copied = rightHome.resolve("incoming/photos");
        Ui.waitUntil("every file of the folder is done", WAIT, () -> {
            List<QueueItem> items = SitebridgeUi.getDefault().queue().items();
            return items.stream().anyMatch(i -> i.isFolder() && i.name().equals("photos") && i.state().isFinished())
                    && items.stream().allMatch(i -> i.state().isFinished());
        });
        List<QueueItem> items = Ui.sync(() -> SitebridgeUi.getDefault().queue().items());
        for (QueueItem i : items) {
            assertEquals(ItemState.DONE, i.state(), i + ": " + i.reason());
        }
        try (Stream<Path> files = Files.walk(leftHome.resolve("photos"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path twin = copied.resolve(leftHome.resolve("photos").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    assertTrue(Files.isDirectory(twin), twin + " is a folder");
                } else {
                    assertEquals(-1, Files.mismatch(p, twin), twin + " has the source's bytes");
                }
            }
        }
        // into the inbox with a real double-click: the copied folder is there
        Ui.doubleClick(Ui.rowCentre(right, "incoming"));
        Ui.waitUntil("the right pane shows /incoming", WAIT,
                () -> right.currentPath().equals("/incoming") && Ui.lists(right, "photos"));
        Ui.sleep(500);
        Ui.screenshot("03-after-folder-drag");
    }

    @Test
    @Order(3)
    void createASiteInTheSiteManager() throws Exception {
        Site demo = SitebridgeUi.getDefault().sites().byName("Demo Left").orElseThrow();
        String password = new String(demo.password().password());
        SiteManagerDialog[] dialog = new SiteManagerDialog[1];
        Ui.display().asyncExec(() -> {
            dialog[0] = new SiteManagerDialog(PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell());
            dialog[0].setBlockOnOpen(false);
            dialog[0].open();
        });
        Ui.waitUntil("the site manager is open", WAIT, () -> dialog[0] != null && dialog[0].getShell() != null);
        Ui.run(() -> {
            dialog[0].newSite();
            dialog[0].setFields("Test Site", demo.host(), demo.port(), demo.user(), password);
            dialog[0].testConnectionNow();
        });
        Ui.waitUntil("Test Connection reports", WAIT, () -> !dialog[0].statusText().startsWith("Connecting"));
        assertTrue(Ui.sync(() -> dialog[0].statusText()).startsWith("Connected and logged in"),
                Ui.sync(() -> dialog[0].statusText()));
        Ui.screenshot("04-site-manager");
        assertTrue(Ui.sync(() -> dialog[0].save()), () -> Ui.sync(() -> dialog[0].statusText()));
        Ui.run(() -> dialog[0].close());

        Site saved = SitebridgeUi.getDefault().sites().byName("Test Site").orElseThrow();
        assertEquals(password, new String(saved.password().password()), "password read back from secure storage");
        // for the second start: what to look for
        Files.writeString(Ui.targetDir().resolve("saved-site.properties"),
                "port=" + demo.port() + "\npassword=" + password + "\nrun=" + UUID.randomUUID() + "\n",
                StandardCharsets.UTF_8);
    }

    static QueueItem itemFor(String name) {
        return SitebridgeUi.getDefault().queue().items().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElse(null);
    }

    static String consoleText() {
        ControlDialogueConsole console = ControlDialogueConsole.get();
        return console == null ? "" : console.getDocument().get();
    }

    static void write(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }
}
