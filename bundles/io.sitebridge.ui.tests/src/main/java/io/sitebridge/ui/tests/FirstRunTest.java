package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.DND;
import org.eclipse.swt.dnd.DragSource;
import org.eclipse.swt.dnd.DragSourceAdapter;
import org.eclipse.swt.dnd.DragSourceEvent;
import org.eclipse.swt.dnd.FileTransfer;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.Platform;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.demo.DemoServer;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.ui.browse.Endpoint;
import io.sitebridge.ui.queue.ConflictDialog;
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
        Ui.join(SitebridgeJobs.LIST, WAIT); // the panes connect to the demo sites when they open
        assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, FILE)), "the left pane lists the demo file");
        assertTrue(Ui.sync(() -> right.isConnected() && Ui.lists(right, "incoming")), "the right pane lists its inbox");
        leftHome = Path.of(System.getProperty("sitebridge.demo.left.home"));
        rightHome = Path.of(System.getProperty("sitebridge.demo.right.home"));
        Ui.screenshot("01-started");
    }

    @Test
    @Order(1)
    void dragAFileFromLeftToRight() throws Exception {
        int consoleBefore = consoleText().length();
        long size = Files.size(leftHome.resolve(FILE));

        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.drag(Ui.rowCentre(left, FILE), Ui.emptyArea(right)));
        assertNotNull(Ui.sync(() -> itemFor(FILE)), "the drop queued the file");

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
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT,
                () -> Ui.drag(Ui.rowCentre(left, "photos"), Ui.rowCentre(right, "incoming")));

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
        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(right, "incoming")));
        assertEquals("/incoming", Ui.sync(() -> right.currentPath()));
        assertTrue(Ui.sync(() -> Ui.lists(right, "photos")), "the right pane lists the copied folder");
        Ui.sleep(500);
        Ui.screenshot("03-after-folder-drag");
    }

    @Test
    @Order(3)
    void conflictPromptRenameWithAClickThenSkipWithAKey() throws Exception {
        Ui.run(() -> right.open("/"));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertTrue(Ui.sync(() -> right.currentPath().equals("/") && Ui.lists(right, FILE)), "the right pane shows /");
        long size = Files.size(leftHome.resolve(FILE));

        long after = lastId();
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.drag(Ui.rowCentre(left, FILE), Ui.emptyArea(right)));
        Shell prompt = waitForPrompt();
        Ui.sleep(300);
        Ui.screenshot("06-conflict-prompt");
        Ui.click(Ui.buttonCentre(prompt, "&Rename"));
        QueueItem renamed = waitForNewItem(FILE, after);
        assertEquals(ItemState.DONE, renamed.state(), renamed.reason());
        assertEquals("/sitebridge-demo (1).bin", renamed.destinationPath());
        assertEquals(-1, Files.mismatch(leftHome.resolve(FILE), rightHome.resolve("sitebridge-demo (1).bin")),
                "the renamed copy has the source's bytes");
        assertEquals(size, Files.size(rightHome.resolve(FILE)), "the existing file is untouched");
        Ui.waitUntil("the right pane lists the renamed copy", WAIT, () -> Ui.lists(right, "sitebridge-demo (1).bin"));

        after = lastId();
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.drag(Ui.rowCentre(left, FILE), Ui.emptyArea(right)));
        prompt = waitForPrompt();
        Ui.xdotool("mousemove", "--sync", Integer.toString(Ui.buttonCentre(prompt, "&Skip").x),
                Integer.toString(Ui.buttonCentre(prompt, "&Skip").y));
        Ui.sleep(300);
        Ui.key("Escape"); // closing the prompt skips
        QueueItem skipped = waitForNewItem(FILE, after);
        assertEquals(ItemState.SKIPPED, skipped.state(), skipped.reason());
        assertFalse(Files.exists(rightHome.resolve("sitebridge-demo (2).bin")), "nothing copied after Skip");
        Ui.sleep(500);
        Ui.screenshot("07-after-conflicts");
    }

    @Test
    @Order(4)
    void uploadFromTheLocalPane() throws Exception {
        localFolder = Files.createTempDirectory("sitebridge-local-pane");
        byte[] text = "Uploaded from the local pane\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        Files.write(localFolder.resolve("upload-me.txt"), text);
        try (RandomAccessFile big = new RandomAccessFile(localFolder.resolve(BIG).toFile(), "rw")) {
            big.setLength(BIG_SIZE); // sparse: big enough to be cancelled while it runs
        }
        Ui.run(() -> left.connect(Endpoint.LOCAL));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertTrue(Ui.sync(() -> Endpoint.LOCAL.equals(left.siteName()) && left.isConnected()), "the left pane shows local files");
        Ui.run(() -> left.open(localFolder.toString()));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertTrue(Ui.sync(() -> Ui.lists(left, "upload-me.txt")), "the left pane lists upload-me.txt");

        long after = lastId();
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT,
                () -> Ui.drag(Ui.rowCentre(left, "upload-me.txt"), Ui.emptyArea(right)));
        QueueItem up = waitForNewItem("upload-me.txt", after);
        assertEquals(ItemState.DONE, up.state(), up.reason());
        assertEquals("Upload", QueueLabels.kind(up));
        assertEquals(-1, Files.mismatch(localFolder.resolve("upload-me.txt"), rightHome.resolve("upload-me.txt")));
        Ui.waitUntil("the right pane lists upload-me.txt", WAIT, () -> Ui.lists(right, "upload-me.txt"));
        Ui.sleep(500);
        Ui.screenshot("08-local-upload");
    }

    @Test
    @Order(5)
    void cancelAndRetryFromTheQueueView() throws Exception {
        TransferQueueView queueView = Ui.view(TransferQueueView.ID, TransferQueueView.class);
        long after = lastId();
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.drag(Ui.rowCentre(left, BIG), Ui.emptyArea(right)));
        Ui.waitUntil("the big upload runs", WAIT, () -> {
            QueueItem i = newItem(BIG, after);
            return i != null && i.state() == ItemState.RUNNING && rowOf(queueView, i.id()) >= 0;
        });
        long id = Ui.sync(() -> newItem(BIG, after)).id();
        Ui.run(() -> queueView.table().showItem(queueView.table().getItem(rowOf(queueView, id)))); // at the end
        Ui.sleep(300);
        Ui.click(Ui.sync(() -> {
            Table t = queueView.table();
            TableItem row = t.getItem(rowOf(queueView, id));
            Rectangle r = row.getBounds(0);
            return t.toDisplay(r.x + r.width / 2, r.y + r.height / 2);
        }));
        Ui.waitUntil("the big upload's row is selected", WAIT, () -> queueView.table().getSelectionCount() == 1
                && rowOf(queueView, id) == queueView.table().getSelectionIndex());
        Ui.click(Ui.toolItemCentre("Cancel"));
        try {
            Ui.waitUntil("the upload is cancelled", WAIT,
                    () -> SitebridgeUi.getDefault().queue().item(id).orElseThrow().state() == ItemState.CANCELLED);
        } catch (AssertionError e) {
            Ui.screenshot("09-cancel-failed");
            throw new AssertionError(e.getMessage() + "; item: " + SitebridgeUi.getDefault().queue().item(id)
                    + "; selected rows: " + Ui.sync(() -> queueView.table().getSelectionCount()), e);
        }
        long partial = Files.exists(rightHome.resolve(BIG)) ? Files.size(rightHome.resolve(BIG)) : 0;
        assertTrue(partial < BIG_SIZE, "cancelled before the end: " + partial);
        Ui.sleep(400);
        Ui.screenshot("09-cancelled");

        Ui.click(Ui.toolItemCentre("Retry"));
        Ui.waitUntil("the retried upload is done", Duration.ofSeconds(90),
                () -> SitebridgeUi.getDefault().queue().item(id).orElseThrow().state().isFinished());
        QueueItem done = Ui.sync(() -> SitebridgeUi.getDefault().queue().item(id).orElseThrow());
        assertEquals(ItemState.DONE, done.state(), done.reason());
        assertEquals(BIG_SIZE, Files.size(rightHome.resolve(BIG)));
        Ui.sleep(400);
        Ui.screenshot("10-retried");
        System.out.println("cancel/retry: cancelled at " + partial + " bytes; then " + done.reason());
        Files.deleteIfExists(rightHome.resolve(BIG));
        Files.deleteIfExists(localFolder.resolve(BIG));
    }

    /**
     * A drag from outside the views (a file manager, the IDE's Project Explorer: FileTransfer with
     * local paths) onto a folder row of a remote pane uploads into that folder. The foreign source
     * is a shell of its own with a DragSource that knows nothing of Sitebridge.
     */
    @Test
    @Order(6)
    void dropFilesFromAForeignDragSourceOnAFolderRow() throws Exception {
        Path folder = Files.createTempDirectory("sitebridge-file-manager");
        Path dropped = folder.resolve(FOREIGN);
        Files.write(dropped, "Dragged in from another application\n".repeat(3000).getBytes(StandardCharsets.UTF_8));
        Shell[] foreign = new Shell[1];
        Table[] list = new Table[1];
        Ui.run(() -> {
            Shell s = new Shell(Ui.display(), SWT.SHELL_TRIM);
            s.setText("Foreign drag source");
            s.setLayout(new FillLayout());
            Table t = new Table(s, SWT.SINGLE | SWT.BORDER);
            new TableItem(t, SWT.NONE).setText(dropped.getFileName().toString());
            DragSource source = new DragSource(t, DND.DROP_COPY | DND.DROP_MOVE);
            source.setTransfer(FileTransfer.getInstance());
            source.addDragListener(new DragSourceAdapter() {
                @Override
                public void dragSetData(DragSourceEvent event) {
                    event.data = new String[] { dropped.toString() };
                }
            });
            s.setBounds(40, 330, 320, 140); // over the left pane: the right pane's rows stay free
            s.open();
            s.forceActive();
            foreign[0] = s;
            list[0] = t;
        });
        try {
            Ui.waitUntil("the foreign shell is up", WAIT, () -> foreign[0].isVisible());
            Ui.sleep(500);
            Point from = Ui.sync(() -> {
                Rectangle r = list[0].getItem(0).getBounds(0);
                return list[0].toDisplay(r.x + 40, r.y + r.height / 2);
            });
            long after = lastId();
            Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.drag(from, Ui.rowCentre(right, "incoming")));
            QueueItem up = waitForNewItem(FOREIGN, after);
            Ui.screenshot("12-foreign-drop");
            assertEquals(ItemState.DONE, up.state(), up.reason());
            assertEquals("Upload", QueueLabels.kind(up));
            assertEquals(io.sitebridge.transfer.queue.Endpoint.LOCAL_KEY, up.sourceSite());
            assertEquals(dropped.toString(), up.sourcePath());
            assertEquals("/incoming/" + FOREIGN, up.destinationPath(), "dropped on the folder row: into the folder");
            assertEquals(-1, Files.mismatch(dropped, rightHome.resolve("incoming").resolve(FOREIGN)),
                    "the bytes on the right server's disk equal the dropped file");
            TransferQueueView queueView = Ui.view(TransferQueueView.ID, TransferQueueView.class);
            Ui.waitUntil("the queue view shows the upload done", WAIT, () -> {
                int row = rowOf(queueView, up.id());
                return row >= 0 && queueView.table().getItem(row).getText(3).equals("Upload: Done");
            });
        } finally {
            Ui.run(() -> {
                foreign[0].dispose();
                PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().forceActive();
            });
        }
    }

    /** Keyboard users: Ctrl+C in one pane, Ctrl+V in the other queues the same FXP transfer as a drag. */
    @Test
    @Order(7)
    void copyInOnePaneAndPasteInTheOtherWithTheKeyboard() throws Exception {
        String name = "README.txt";
        Ui.run(() -> {
            left.connect("Demo Left");
            right.open("/");
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertTrue(Ui.sync(() -> "Demo Left".equals(left.siteName()) && left.isConnected() && Ui.lists(left, name)),
                "the left pane shows Demo Left again");
        assertTrue(Ui.sync(() -> right.currentPath().equals("/") && !Ui.lists(right, name)), "the right pane shows /");
        Ui.run(() -> PlatformUI.getWorkbench().getWorkbenchWindows()[0].getShell().forceActive());
        Ui.sleep(300);
        long after = lastId();
        Ui.click(Ui.rowCentre(left, name));
        Ui.waitUntil(name + " is selected in the left pane", WAIT, () -> left.table().getSelectionCount() == 1
                && left.shownEntries().get(left.table().getSelectionIndex()).name().equals(name));
        Ui.key("ctrl+c");
        Ui.sleep(300);
        Ui.click(Ui.emptyArea(right));
        Ui.waitUntil("the right pane has the focus", WAIT, () -> right.table().isFocusControl());
        Ui.sleep(300);
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT, () -> Ui.key("ctrl+v"));
        QueueItem pasted = waitForNewItem(name, after);
        assertEquals(ItemState.DONE, pasted.state(), pasted.reason());
        assertEquals("FXP", QueueLabels.kind(pasted));
        assertEquals("/" + name, pasted.destinationPath());
        assertEquals(-1, Files.mismatch(leftHome.resolve(name), rightHome.resolve(name)));
        Ui.waitUntil("the right pane lists " + name, WAIT, () -> Ui.lists(right, name));
        Ui.sleep(300);
        Ui.screenshot("13-copy-paste");
    }

    static final String FOREIGN = "from-the-file-manager.txt";

    /**
     * In an IDE (this test runtime has org.eclipse.core.resources) the panes offer the workspace;
     * a file dragged from a site into a project folder there is downloaded, and the workspace is
     * refreshed so the Project Explorer sees it.
     */
    @Test
    @Order(8)
    void downloadIntoTheWorkspaceAndTheProjectSeesTheFile() throws Exception {
        assertTrue(Platform.getBundle("org.eclipse.core.resources") != null, "this runtime is IDE-like");
        assertTrue(Ui.sync(() -> left.siteChoices()).contains(Endpoint.WORKSPACE), "the site combo offers the workspace");
        IProject project = ResourcesPlugin.getWorkspace().getRoot().getProject("downloads");
        if (!project.exists()) {
            project.create(null);
        }
        project.open(null);
        Path projectFolder = project.getLocation().toPath();
        Ui.run(() -> left.connect(Endpoint.WORKSPACE));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertTrue(Ui.sync(() -> Endpoint.WORKSPACE.equals(left.siteName()) && left.isConnected()
                && Ui.lists(left, "downloads")), "the left pane shows the workspace");
        assertEquals(ResourcesPlugin.getWorkspace().getRoot().getLocation().toPath().toString(),
                Ui.sync(() -> left.currentPath()), "the pane starts in the workspace's root folder");
        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(left, "downloads")));
        assertEquals(projectFolder.toString(), Ui.sync(() -> left.currentPath()), "the left pane shows the project's folder");
        IFile file = project.getFile("upload-me.txt");
        assertFalse(file.exists(), "not there before the download");

        long after = lastId();
        Ui.afterJobs(SitebridgeJobs.TRANSFER, WAIT,
                () -> Ui.drag(Ui.rowCentre(right, "upload-me.txt"), Ui.emptyArea(left)));
        QueueItem down = waitForNewItem("upload-me.txt", after);
        assertEquals(ItemState.DONE, down.state(), down.reason());
        assertEquals("Download", QueueLabels.kind(down));
        assertEquals(-1, Files.mismatch(rightHome.resolve("upload-me.txt"), projectFolder.resolve("upload-me.txt")));
        Ui.waitUntil("the workspace knows the downloaded file (refreshed)", WAIT,
                () -> file.exists() && file.isSynchronized(IResource.DEPTH_ZERO));
        Ui.waitUntil("the left pane lists the download", WAIT, () -> Ui.lists(left, "upload-me.txt"));
        Ui.sleep(300);
        Ui.screenshot("14-workspace-download");
    }

    @Test
    @Order(11)
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
        Ui.join(SitebridgeJobs.FAMILY, WAIT); // the connection test runs in a job
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

    /**
     * The port of the stale item's gone server once its first attempt was refused: it accepts
     * connections and never greets, until this run's process ends.
     */
    static java.net.ServerSocket mute;

    /**
     * Leaves an item for the second start that refers to servers which will not be there: this
     * run's Demo Left (the demo gets new ports every start) and a server that is gone already.
     * Its first attempt is refused; then the port accepts and says nothing, so the next attempt
     * waits for a greeting (ten minutes) however long the rest of this run takes, and the queue's
     * close at the end cuts it off: the item waits for the next start, its attempts not used up
     * (refused every time, five attempts would be over in 15 s, before the run ends on a slow day).
     */
    @Test
    @Order(12)
    void leaveAnItemOfSitesTheNextRunWillNotKnow() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        Site demo = SitebridgeUi.getDefault().sites().byName("Demo Left").orElseThrow();
        Site gone = Site.builder("127.0.0.1").name("Gone Server").port(closedPort).user("demo").password("x")
                .timeouts(new io.sitebridge.core.Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(10),
                        Duration.ofMinutes(1)))
                .build();
        QueueItem stale = SitebridgeUi.getDefault().queue().add(io.sitebridge.transfer.queue.Endpoint.of(demo),
                "/" + FILE, io.sitebridge.transfer.queue.Endpoint.of(gone), "/stale-" + FILE, false, null);
        Ui.waitUntil("the item's first attempt failed and it waits for the next", WAIT, () -> {
            QueueItem i = SitebridgeUi.getDefault().queue().item(stale.id()).orElseThrow();
            return i.state() == ItemState.WAITING && i.attempts() >= 1;
        });
        mute = new java.net.ServerSocket(closedPort, 50, java.net.InetAddress.getLoopbackAddress());
        Ui.waitUntil("the next attempt connects and waits for a greeting", WAIT,
                () -> SitebridgeUi.getDefault().queue().item(stale.id()).orElseThrow().state() == ItemState.RUNNING);
        Files.writeString(Ui.targetDir().resolve("stale-item.properties"), "id=" + stale.id() + "\nsource="
                + demo.key() + "\ndestination=" + gone.key() + "\n", StandardCharsets.UTF_8);
    }

    /**
     * Both panes and the queue take their control connections from one pool: with a site limited
     * to three connections, both panes browsing it (again and again) while the queue copies a
     * folder on it (FXP from the site to itself: two connections per file) never hold more than
     * three connections to it, counted by the kernel (established TCP connections to the server's
     * port, whoever opened them) and by the pool. Panes with connections of their own would add
     * two. Every listing and every copy still ends: nothing starves.
     */
    @Test
    @Order(9)
    void thePanesAndTheQueueKeepTheSitesConnectionLimit() throws Exception {
        int limit = 3;
        Path home = Files.createTempDirectory("sitebridge-limited");
        Path src = Files.createDirectories(home.resolve("src"));
        java.util.Random random = new java.util.Random(11);
        int files = 0;
        for (int i = 0; i < 4; i++) {
            Path sub = Files.createDirectories(src.resolve("sub" + i));
            for (int j = 0; j < 8; j++) {
                byte[] data = new byte[64 * 1024 + random.nextInt(192 * 1024)];
                random.nextBytes(data);
                Files.write(sub.resolve("file-" + j + ".bin"), data);
                files++;
            }
        }
        Files.createDirectories(home.resolve("copy"));
        DemoServer server = DemoServer.start("Limited", "127.0.0.1", "limited", "limited-pw", home);
        Site site = Site.builder("127.0.0.1").name("Limited").port(server.port()).user("limited")
                .password("limited-pw").maxConnections(limit).build();
        SitebridgeUi.getDefault().sites().addDemoSite("limit-test", site);
        var pool = SitebridgeUi.getDefault().queue().sessions();
        int listingsWhileCopying = 0;
        try (ConnectionCount count = new ConnectionCount(server.port(), () -> pool.openSessions(site))) {
            Ui.run(() -> {
                left.connect("Limited");
                right.connect("Limited");
            });
            Ui.join(SitebridgeJobs.LIST, WAIT);
            Ui.run(() -> right.open("/copy"));
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertTrue(Ui.sync(() -> left.isConnected() && Ui.lists(left, "src")), "the left pane shows the site");
            assertEquals("/copy", Ui.sync(() -> right.currentPath()));

            long after = lastId();
            Ui.run(() -> { // F6: the keyboard's drag
                left.table().setSelection(left.shownEntries().indexOf(Ui.entry(left, "src")));
                left.transferToOtherPane();
            });
            Ui.join(SitebridgeJobs.TRANSFER, WAIT);
            QueueItem folder = Ui.sync(() -> newItem("src", after));
            assertNotNull(folder, "the folder is queued");
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!SitebridgeUi.getDefault().queue().item(folder.id()).orElseThrow().state().isFinished()) {
                assertTrue(System.nanoTime() < deadline, "the copy ends");
                Ui.run(() -> {
                    left.open("/src/sub" + (System.nanoTime() & 3));
                    right.refresh();
                });
                Ui.join(SitebridgeJobs.LIST, WAIT);
                if (!SitebridgeUi.getDefault().queue().item(folder.id()).orElseThrow().state().isFinished()) {
                    listingsWhileCopying++;
                }
            }
            QueueItem done = SitebridgeUi.getDefault().queue().item(folder.id()).orElseThrow();
            assertEquals(ItemState.DONE, done.state(), done.reason());
            List<QueueItem> children = SitebridgeUi.getDefault().queue().children(folder.id());
            assertEquals(files, children.size());
            for (QueueItem c : children) {
                assertEquals(ItemState.DONE, c.state(), c + ": " + c.reason());
            }
            Ui.run(() -> {
                left.open("/copy/src");
                right.refresh();
            });
            Ui.join(SitebridgeJobs.LIST, WAIT);
            assertTrue(Ui.sync(() -> Ui.lists(right, "src")), "the right pane lists the copy");
            Ui.sleep(300);
            Ui.screenshot("15-shared-connection-limit");
            count.close();
            System.out.printf("connection limit %d: at most %d connections (kernel), %d open sessions (pool),"
                    + " %d samples; %d rounds of pane listings while the queue copied %d files%n", limit,
                    count.maxKernel(), count.maxOther(), count.samples(), listingsWhileCopying, files);
            assertTrue(count.maxKernel() <= limit, "connections to the site: " + count.maxKernel() + " "
                    + count.atMax());
            assertTrue(count.maxOther() <= limit, "sessions in the pool: " + count.maxOther());
            assertTrue(count.maxKernel() >= 2, "the copy used connections in parallel: " + count.maxKernel());
            assertTrue(listingsWhileCopying >= 2, "the panes listed while the queue copied: " + listingsWhileCopying);
        } finally {
            Ui.run(() -> {
                left.connect("Demo Left");
                right.connect("Demo Right");
            });
            Ui.join(SitebridgeJobs.LIST, WAIT);
            server.close();
        }
        assertTrue(Ui.sync(() -> left.isConnected() && right.isConnected() && Ui.lists(left, FILE)),
                "the panes show the demo sites again");
        assertEquals(0, pool.openSessions(site), "leaving the site logged out of it (the queue is done with it)");
        try (Stream<Path> copied = Files.walk(home.resolve("copy/src"))) {
            assertEquals(files, copied.filter(Files::isRegularFile).count());
        }
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 8; j++) {
                String rel = "sub" + i + "/file-" + j + ".bin";
                assertEquals(-1, Files.mismatch(src.resolve(rel), home.resolve("copy/src").resolve(rel)), rel);
            }
        }
    }

    /**
     * New Folder, Rename and Delete from the pane's tool bar with the real pointer and keyboard:
     * each runs as an operation in a job (the test waits on the job families), the server's disk
     * shows the change, and a refusal shows the server's reason in the status line.
     */
    @Test
    @Order(10)
    void newFolderRenameAndDeleteFromThePane() throws Exception {
        Ui.run(() -> left.open("/"));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertEquals("Demo Left", Ui.sync(() -> left.siteName()));
        Ui.run(() -> PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell().forceActive());
        Ui.click(Ui.emptyArea(left)); // the left pane is the active part

        Ui.click(Ui.toolItemCentre("Create a folder here"));
        Ui.waitUntil("the New Folder dialog is open", WAIT, () -> Ui.shellTitled("New Folder") != null);
        Ui.sleep(300);
        Ui.xdotool("type", "--delay", "20", "made by hand");
        Ui.afterJobs(SitebridgeJobs.CHANGE, WAIT, () -> Ui.key("Return"));
        Ui.join(SitebridgeJobs.FAMILY, WAIT); // the listing the change scheduled
        assertTrue(Files.isDirectory(leftHome.resolve("made by hand")), "the folder is on the server's disk");
        assertTrue(Ui.sync(() -> left.table().getSelectionCount() == 1
                && left.shownEntries().get(left.table().getSelectionIndex()).name().equals("made by hand")),
                "listed and selected");

        Ui.click(Ui.toolItemCentre("Rename the selected entry (F2)"));
        Ui.waitUntil("the Rename dialog is open", WAIT, () -> Ui.shellTitled("Rename") != null);
        Ui.sleep(300);
        Ui.key("ctrl+a");
        Ui.xdotool("type", "--delay", "20", "renamed by hand");
        Ui.afterJobs(SitebridgeJobs.CHANGE, WAIT, () -> Ui.key("Return"));
        Ui.join(SitebridgeJobs.FAMILY, WAIT);
        assertFalse(Files.exists(leftHome.resolve("made by hand")));
        assertTrue(Files.isDirectory(leftHome.resolve("renamed by hand")), "renamed on the server's disk");
        assertTrue(Ui.sync(() -> Ui.lists(left, "renamed by hand") && !Ui.lists(left, "made by hand")));

        // something inside, two levels deep: the delete empties the folder first
        Path inner = Files.createDirectories(leftHome.resolve("renamed by hand/inner/deeper"));
        Files.writeString(inner.resolve("file.txt"), "gone soon");
        Files.writeString(leftHome.resolve("renamed by hand/top.txt"), "gone too");
        Ui.click(Ui.rowCentre(left, "renamed by hand"));
        Ui.sleep(700);
        Ui.click(Ui.toolItemCentre("Delete the selected entries (Delete)"));
        Ui.waitUntil("the Delete confirmation is open", WAIT, () -> Ui.shellTitled("Delete") != null);
        Shell confirm = Ui.sync(() -> Ui.shellTitled("Delete"));
        Ui.sleep(300);
        Ui.screenshot("16-delete-confirmation");
        Ui.afterJobs(SitebridgeJobs.CHANGE, WAIT, () -> Ui.click(Ui.buttonCentre(confirm, "&Delete")));
        Ui.join(SitebridgeJobs.FAMILY, WAIT);
        assertFalse(Files.exists(leftHome.resolve("renamed by hand")), "the folder and everything in it are gone");
        assertFalse(Ui.sync(() -> Ui.lists(left, "renamed by hand")));

        // a refusal: a folder that exists already
        Ui.click(Ui.toolItemCentre("Create a folder here"));
        Ui.waitUntil("the New Folder dialog is open", WAIT, () -> Ui.shellTitled("New Folder") != null);
        Ui.sleep(300);
        Ui.xdotool("type", "--delay", "20", "photos");
        Ui.afterJobs(SitebridgeJobs.CHANGE, WAIT, () -> Ui.key("Return"));
        String status = Ui.sync(() -> left.statusText());
        assertTrue(status.startsWith("Error: Demo Left refused MKD /photos: \"550"), status);
        Ui.sleep(300);
        Ui.screenshot("17-refused-new-folder");
    }

    static final String BIG = "big-upload.bin";
    static final long BIG_SIZE = 1L << 30;
    static Path localFolder;

    static long lastId() {
        return SitebridgeUi.getDefault().queue().items().stream().mapToLong(QueueItem::id).max().orElse(0);
    }

    static QueueItem newItem(String name, long after) {
        return SitebridgeUi.getDefault().queue().items().stream().filter(i -> i.id() > after && i.name().equals(name))
                .findFirst().orElse(null);
    }

    static QueueItem waitForNewItem(String name, long after) {
        Ui.waitUntil("a new queue item for " + name + " is finished", WAIT,
                () -> newItem(name, after) != null && newItem(name, after).state().isFinished());
        return Ui.sync(() -> newItem(name, after));
    }

    static Shell waitForPrompt() {
        Ui.waitUntil("the conflict prompt is open", WAIT, () -> Ui.shellTitled(ConflictDialog.TITLE) != null);
        return Ui.sync(() -> Ui.shellTitled(ConflictDialog.TITLE));
    }

    static int rowOf(TransferQueueView view, long id) {
        List<QueueItem> shown = view.shownItems();
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).id() == id) {
                return i;
            }
        }
        return -1;
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
