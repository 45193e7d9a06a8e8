package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sitebridge.core.Site;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.demo.DemoServer;
import io.sitebridge.testing.MirrorTrees;
import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.compare.MirrorPlan;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.compare.CompareModel;
import io.sitebridge.ui.compare.CompareModel.Verdict;
import io.sitebridge.ui.compare.MirrorPreviewDialog;
import io.sitebridge.ui.jobs.SitebridgeJobs;
import io.sitebridge.ui.views.SiteBrowserView;
import io.sitebridge.ui.views.TransferQueueView;

/**
 * Compare mode, synchronized browsing and a mirror from the preview, with real X input (toolbar
 * clicks, double-clicks, dialog clicks): two demo servers (no shared hash: by size and time) with
 * the planted trees of {@link MirrorTrees}, and two real proftpd servers (shared hash) for the mirror.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class CompareUiTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    static DemoServer demoLeft;
    static DemoServer demoRight;
    static SiteBrowserView left;
    static SiteBrowserView right;
    static Path peers;
    static RealPeer proA;
    static RealPeer proB;

    @BeforeAll
    static void start() throws Exception {
        Ui.waitUntil("the workbench window is open", WAIT,
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Ui.run(() -> {
            Shell shell = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell();
            shell.setLocation(0, 0);
            shell.setSize(1400, 900);
            shell.forceActive();
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        left = Ui.pane(SiteBrowserView.LEFT);
        right = Ui.pane(SiteBrowserView.RIGHT);
        assertNotNull(left);
        assertNotNull(right);
        Path homes = Files.createTempDirectory("sitebridge-compare");
        MirrorTrees.plant(homes.resolve("l/tree"), homes.resolve("r/tree"), false);
        demoLeft = DemoServer.start("CmpLeft", "127.0.0.1", "cl", "cl-pw", homes.resolve("l"));
        demoRight = DemoServer.start("CmpRight", "127.0.0.1", "cr", "cr-pw", homes.resolve("r"));
        SitebridgeUi.getDefault().sites().addDemoSite("compare-test-l", Site.builder("127.0.0.1").name("CmpLeft")
                .port(demoLeft.port()).user("cl").password("cl-pw").build());
        SitebridgeUi.getDefault().sites().addDemoSite("compare-test-r", Site.builder("127.0.0.1").name("CmpRight")
                .port(demoRight.port()).user("cr").password("cr-pw").build());
    }

    @AfterAll
    static void stop() {
        Ui.run(() -> {
            CompareModel.get().stopComparing();
            CompareModel.get().stopSyncing();
            left.connect("Demo Left");
            right.connect("Demo Right");
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        demoLeft.close();
        demoRight.close();
        RealPeers.closeAll(proA, proB);
        Trees.deleteAll(peers);
    }

    /** Both panes at {@code path} of the two sites. */
    static void show(String leftSite, String rightSite, String path) {
        Ui.run(() -> {
            left.connect(leftSite);
            right.connect(rightSite);
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        Ui.run(() -> {
            left.open(path);
            right.open(path);
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertEquals(path, Ui.sync(left::currentPath));
        assertEquals(path, Ui.sync(right::currentPath));
    }

    static Map<String, Verdict> verdicts(SiteBrowserView pane) {
        return Ui.sync(() -> {
            Map<String, Verdict> m = new LinkedHashMap<>();
            for (RemoteEntry e : pane.shownEntries()) {
                m.put(e.name(), pane.compareVerdict(e.name()));
            }
            return m;
        });
    }

    /** The compare column's text, read from the table's own row (what the user sees). */
    static String cell(SiteBrowserView pane, String name) {
        return Ui.sync(() -> {
            List<RemoteEntry> shown = pane.shownEntries();
            for (int i = 0; i < shown.size(); i++) {
                if (shown.get(i).name().equals(name)) {
                    return pane.table().getItem(i).getText(5);
                }
            }
            throw new AssertionError(name + " is not listed");
        });
    }

    @Test
    @Order(1)
    void compareModeMarksThePlantedDifferencesInBothPanes() {
        show("CmpLeft", "CmpRight", "/tree");
        Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT, () -> click(Ui.toolItemCentre(SiteBrowserView.COMPARE_TIP)));
        assertTrue(Ui.sync(() -> CompareModel.get().isComparing()), "the toolbar click switched compare mode on");

        Map<String, Verdict> l = new LinkedHashMap<>();
        l.put("changed.txt", Verdict.NEWER); // source 2 h newer
        l.put("grown.txt", Verdict.SIZE);
        l.put("new", Verdict.ONLY_HERE);
        l.put("notes.log", Verdict.SIZE);
        l.put("only-src.txt", Verdict.ONLY_HERE);
        l.put("same", Verdict.SAME);
        l.put("stale.txt", Verdict.OLDER); // the right side's is 2 h newer
        assertEquals(l, verdicts(left), "left pane");
        Map<String, Verdict> r = new LinkedHashMap<>();
        r.put("changed.txt", Verdict.OLDER);
        r.put("extra.txt", Verdict.ONLY_HERE);
        r.put("grown.txt", Verdict.SIZE);
        r.put("keep.log", Verdict.ONLY_HERE);
        r.put("notes.log", Verdict.SIZE);
        r.put("old", Verdict.ONLY_HERE);
        r.put("same", Verdict.SAME);
        r.put("stale.txt", Verdict.NEWER);
        assertEquals(r, verdicts(right), "right pane");
        // the rows say it in words, not only in colour
        assertEquals("> newer", cell(left, "changed.txt"));
        assertEquals("< older", cell(right, "changed.txt"));
        assertEquals("+ only here", cell(right, "extra.txt"));
        assertEquals("\u2260 size differs", cell(left, "grown.txt"));
        assertEquals("= same", cell(left, "same"));

        String bar = Ui.sync(left::compareBarText);
        assertTrue(bar.startsWith("4 only left \u00b7 5 only right \u00b7 1 newer left \u00b7 1 newer right \u00b7 "
                + "2 differ \u00b7 2 same"), bar);
        assertTrue(bar.contains("(by size and time)") && bar.contains("share no hash command"),
                "says that the demo servers share no hash: " + bar);
        assertEquals(bar, Ui.sync(right::compareBarText), "both panes show the summary");
        Ui.sleep(300);
        Path shot = Ui.screenshot("40-compare-mode");
        System.out.println("compare mode: " + shot + "\n" + bar);

        // a folder with a difference below it says so
        Ui.run(() -> right.open("/tree/old"));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertEquals(Map.of("keep.log", Verdict.ONLY_HERE, "o.txt", Verdict.ONLY_HERE), verdicts(right));
        Ui.run(() -> right.open("/"));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertNull(Ui.sync(() -> right.compareVerdict("tree")), "outside the compared root: no verdicts");
        assertTrue(Ui.sync(right::compareBarText).contains("this pane is outside the compared folder /tree"));
    }

    /** Compares the panes again (F5 in compare mode; switched on with a click when it is off). */
    private static void compareAgain() {
        if (Ui.sync(() -> CompareModel.get().isComparing())) {
            Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT, () -> Ui.run(() -> CompareModel.get().compare()));
        } else {
            Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT, () -> click(Ui.toolItemCentre(SiteBrowserView.COMPARE_TIP)));
        }
        Ui.join(SitebridgeJobs.COMPARE, WAIT);
    }

    /** The user's skip list (shared with {@code sitebridge skip}) leaves files out of the comparison. */
    @Test
    @Order(2)
    void theSkipListLeavesFilesOut() throws Exception {
        io.sitebridge.core.sites.SavedSites saved = io.sitebridge.core.sites.SavedSites.current();
        assertTrue(saved.addSkip(null, "*.log"), "added to the global skip list");
        try {
            show("CmpLeft", "CmpRight", "/tree");
            compareAgain();
            // left out: no verdict on either side, and not counted
            assertNull(Ui.sync(() -> left.compareVerdict("notes.log")));
            assertNull(Ui.sync(() -> right.compareVerdict("notes.log")));
            assertNull(Ui.sync(() -> right.compareVerdict("keep.log")));
            assertEquals(Verdict.SIZE, Ui.sync(() -> left.compareVerdict("grown.txt")), "the rest as before");
            String bar = Ui.sync(left::compareBarText);
            assertTrue(bar.startsWith("4 only left \u00b7 3 only right \u00b7 1 newer left \u00b7 1 newer right \u00b7 "
                    + "1 differ \u00b7 2 same"), bar);
        } finally {
            saved.removeSkip(null, "*.log");
        }
        compareAgain();
        assertEquals(Verdict.SIZE, Ui.sync(() -> left.compareVerdict("notes.log")), "back in once off the list");
    }

    @Test
    @Order(3)
    void synchronizedBrowsingFollowsADoubleClick() {
        show("CmpLeft", "CmpRight", "/tree");
        if (!Ui.sync(() -> CompareModel.get().isComparing())) {
            Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT,
                    () -> click(Ui.toolItemCentre(SiteBrowserView.COMPARE_TIP)));
        }
        assertFalse(Ui.sync(() -> CompareModel.get().isSyncing()));
        click(Ui.toolItemCentre(SiteBrowserView.SYNC_TIP));
        Ui.waitUntil("synchronized browsing is on", WAIT, () -> CompareModel.get().isSyncing());

        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(left, "same")));
        assertEquals("/tree/same", Ui.sync(left::currentPath));
        assertEquals("/tree/same", Ui.sync(right::currentPath), "the right pane followed");
        assertEquals(Map.of("a.txt", Verdict.SAME, "b.bin", Verdict.SAME), verdicts(right));
        assertEquals(Map.of("a.txt", Verdict.SAME, "b.bin", Verdict.SAME), verdicts(left));

        // back up with Backspace (real key) in the right pane: the left follows
        click(Ui.rowCentre(right, "a.txt"));
        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.key("BackSpace"));
        assertEquals("/tree", Ui.sync(right::currentPath));
        assertEquals("/tree", Ui.sync(left::currentPath), "the left pane followed up");

        // a folder only the left has: the right stays and says so
        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(left, "new")));
        assertEquals("/tree/new", Ui.sync(left::currentPath));
        assertEquals("/tree", Ui.sync(right::currentPath), "the right pane stays where it is");
        String status = Ui.sync(right::statusText);
        assertTrue(status.startsWith("Synchronized browsing: cannot enter /tree/new here"), status);
        assertEquals(Map.of("deep", Verdict.ONLY_HERE), verdicts(left));
        Ui.sleep(300);
        Ui.screenshot("41-synchronized-browsing");

        click(Ui.toolItemCentre(SiteBrowserView.SYNC_TIP));
        Ui.waitUntil("synchronized browsing is off", WAIT, () -> !CompareModel.get().isSyncing());
        Ui.afterJobs(SitebridgeJobs.LIST, WAIT, () -> Ui.doubleClick(Ui.rowCentre(left, "deep")));
        assertEquals("/tree/new/deep", Ui.sync(left::currentPath));
        Ui.join(SitebridgeJobs.LIST, WAIT);
        assertEquals("/tree", Ui.sync(right::currentPath), "no following when it is off");
        Ui.run(() -> CompareModel.get().stopComparing());
    }

    @Test
    @Order(4)
    void aMirrorFromThePreviewRunsThroughTheQueueAndLeavesTheTreesEqual() throws Exception {
        peers = Trees.scratch("sitebridge-compare-peers");
        proA = RealPeers.start(PeerKind.PROFTPD, "127.0.14.11", peers.resolve("a"), PeerConfig.FXP);
        proB = RealPeers.start(PeerKind.PROFTPD, "127.0.14.12", peers.resolve("b"), PeerConfig.FXP);
        RealPeer a = proA;
        RealPeer b = proB;
        try {
            Path src = a.root().resolve("tree");
            Path dst = b.root().resolve("tree");
            MirrorTrees.plant(src, dst, true);
            Site sa = a.siteBuilder().name("CmpProA").build();
            Site sb = b.siteBuilder().name("CmpProB").build();
            SitebridgeUi.getDefault().sites().addDemoSite("compare-test-a", sa);
            SitebridgeUi.getDefault().sites().addDemoSite("compare-test-b", sb);
            show("CmpProA", "CmpProB", "/tree");
            Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT,
                    () -> click(Ui.toolItemCentre(SiteBrowserView.COMPARE_TIP)));
            String before = Ui.sync(left::compareBarText);
            assertTrue(before.contains("(by hash, "), "proftpd and proftpd share a hash: " + before);
            assertEquals(Verdict.CONTENT, Ui.sync(() -> left.compareVerdict("twin.bin")), before);
            assertEquals(Verdict.SAME, Ui.sync(() -> left.compareVerdict("stale.txt")), "same bytes by hash");

            // the preview, with real clicks
            Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT,
                    () -> click(Ui.toolItemCentre(SiteBrowserView.MIRROR_RIGHT_TIP)));
            Ui.waitUntil("the preview shows its plan", WAIT, () -> preview() != null && preview().plan() != null);
            Shell previewShell = Ui.sync(() -> Ui.shellTitled(MirrorPreviewDialog.TITLE));
            List<String> withoutDelete = Ui.sync(() -> lines(preview().rows()));
            assertTrue(withoutDelete.contains("keep extra.txt"), withoutDelete.toString());
            click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.DELETE_LABEL));
            Ui.waitUntil("the plan deletes", WAIT, () -> !preview().plan().of(MirrorPlan.Type.DELETE).isEmpty());
            MirrorPlan plan = Ui.sync(() -> preview().plan());
            List<String> rows = Ui.sync(() -> lines(preview().rows()));
            for (String want : List.of("mkdir new/", "mkdir new/deep/", "copy changed.txt", "copy grown.txt",
                    "copy twin.bin", "copy notes.log", "copy only-src.txt", "copy new/deep/n.txt",
                    "delete extra.txt", "delete keep.log", "delete old/o.txt", "delete old/keep.log", "rmdir old/")) {
                assertTrue(rows.contains(want), want + " missing from the preview " + rows);
            }
            assertFalse(rows.stream().anyMatch(s -> s.endsWith(" stale.txt") || s.startsWith("copy same/")),
                    "nothing to do for equal files: " + rows);
            Ui.sleep(300);
            Ui.screenshot("42-mirror-preview");
            int copies = plan.of(MirrorPlan.Type.COPY).size();
            assertEquals(6, copies, rows.toString());

            click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.MIRROR_LABEL));
            Ui.waitUntil("the second confirmation", WAIT, () -> Ui.shellTitled(MirrorPreviewDialog.CONFIRM_TITLE) != null);
            Shell confirm = Ui.sync(() -> Ui.shellTitled(MirrorPreviewDialog.CONFIRM_TITLE));
            String question = Ui.sync(() -> String.join("\n", labels(confirm)));
            long deletedBytes = plan.bytes(MirrorPlan.Type.DELETE);
            assertTrue(question.contains("Delete 4 files (") && question.contains(deletedBytes + " bytes) and 1 folder"),
                    question);
            assertEquals(200 + 70 + 100 + 80, deletedBytes, "extra.txt, keep.log, old/o.txt, old/keep.log");
            Ui.afterJobs(SitebridgeJobs.MIRROR, WAIT,
                    () -> click(Ui.buttonCentre(confirm, MirrorPreviewDialog.CONFIRM_LABEL)));
            Ui.join(SitebridgeJobs.COMPARE, WAIT);
            Ui.join(SitebridgeJobs.LIST, WAIT);

            // through the queue: one finished item per copy, shown in the queue view
            String key = sb.key();
            List<QueueItem> items = SitebridgeUi.getDefault().queue().items().stream()
                    .filter(i -> i.destinationSite().equals(key) && i.destinationPath().startsWith("/tree/")).toList();
            assertEquals(copies, items.size(), items.toString());
            assertTrue(items.stream().allMatch(i -> i.state() == ItemState.DONE), items.toString());
            TransferQueueView queueView = Ui.view(TransferQueueView.ID, TransferQueueView.class);
            assertNotNull(queueView, "the queue view is open");
            Ui.waitUntil("the queue view shows the mirror's copies", WAIT, () -> queueView.shownItems().stream()
                    .filter(i -> i.destinationSite().equals(key) && i.state() == ItemState.DONE).count() == copies);

            // the servers' trees, byte for byte
            Trees.assertSameTree(src, dst);

            // and the compare shows all same
            String after = Ui.sync(left::compareBarText);
            assertTrue(after.startsWith("0 only left \u00b7 0 only right \u00b7 0 newer left \u00b7 0 newer right \u00b7 "
                    + "0 differ \u00b7 ") && after.contains("the trees are equal"), after);
            assertEquals("/tree", Ui.sync(left::currentPath));
            Set<Verdict> shownLeft = new TreeSet<>(verdicts(left).values());
            Set<Verdict> shownRight = new TreeSet<>(verdicts(right).values());
            assertEquals(Set.of(Verdict.SAME), shownLeft, verdicts(left).toString());
            assertEquals(Set.of(Verdict.SAME), shownRight, verdicts(right).toString());
            assertEquals(verdicts(left).keySet(), verdicts(right).keySet());
            String status = Ui.sync(left::statusText);
            assertEquals("Mirror: " + copies + " copied, 5 deleted", status);
            Ui.sleep(300);
            Ui.screenshot("43-mirror-done-trees-equal");
        } finally {
            Ui.run(() -> CompareModel.get().stopComparing());
            Ui.run(() -> {
                left.connect("CmpLeft");
                right.connect("CmpRight");
            });
            Ui.join(SitebridgeJobs.LIST, WAIT);
        }
    }

    /**
     * A real click; the pointer first leaves the point, because xdotool's {@code mousemove --sync}
     * onto where the pointer already is (the same toolbar button again) waits ~15 s for a move.
     */
    private static void click(org.eclipse.swt.graphics.Point at) {
        Ui.xdotool("mousemove", Integer.toString(at.x + 40), Integer.toString(at.y + 40));
        Ui.click(at);
    }

    /**
     * After the mirror above (two equal proftpd trees): the right side gets a new file, a newer
     * changed.txt and an older grown.txt; Mirror Right → Left with only newer copies the first two
     * and keeps the left's grown.txt.
     */
    @Test
    @Order(5)
    void aMirrorRightToLeftWithOnlyNewerCopiesOnlyWhatTheRightHasNewerOrAlone() throws Exception {
        assertNotNull(proA, "the mirror test ran first");
        Path l = proA.root().resolve("tree");
        Path r = proB.root().resolve("tree");
        java.util.Random random = new java.util.Random(7);
        byte[] fresh = new byte[1234];
        byte[] changed = new byte[777];
        byte[] grown = new byte[2500];
        random.nextBytes(fresh);
        random.nextBytes(changed);
        random.nextBytes(grown);
        java.time.Instant now = java.time.Instant.now();
        plantFile(r.resolve("fresh.txt"), fresh, now);
        plantFile(r.resolve("changed.txt"), changed, now.plusSeconds(3600)); // newer than the left's copy
        plantFile(r.resolve("grown.txt"), grown, MirrorTrees.T0.minusSeconds(3600)); // older than the left's
        byte[] leftGrown = Files.readAllBytes(l.resolve("grown.txt"));
        show("CmpProA", "CmpProB", "/tree");

        Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT, () -> click(Ui.toolItemCentre(SiteBrowserView.MIRROR_LEFT_TIP)));
        Ui.waitUntil("the preview shows its plan", WAIT, () -> preview() != null && preview().plan() != null);
        Shell previewShell = Ui.sync(() -> Ui.shellTitled(MirrorPreviewDialog.TITLE));
        assertTrue(Ui.sync(() -> preview().summaryText()).contains("(by hash, "), Ui.sync(() -> preview().summaryText()));
        List<String> all = Ui.sync(() -> lines(preview().rows()));
        assertTrue(all.containsAll(List.of("copy changed.txt", "copy fresh.txt", "copy grown.txt")), all.toString());
        // the preview's own "Leave out" patterns, typed for real: fresh.txt drops out of the plan
        org.eclipse.swt.graphics.Point field = Ui.sync(() -> {
            org.eclipse.swt.widgets.Text t = preview().excludeField();
            return t.toDisplay(t.getSize().x / 2, t.getSize().y / 2);
        });
        click(field);
        Ui.type("fresh.*");
        Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT,
                () -> click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.APPLY_LABEL)));
        Ui.waitUntil("the preview shows its new plan", WAIT, () -> preview().plan() != null);
        List<String> without = Ui.sync(() -> lines(preview().rows()));
        assertTrue(without.containsAll(List.of("copy changed.txt", "copy grown.txt")) && !without.toString()
                .contains("fresh.txt"), without.toString());
        Ui.run(() -> preview().excludeField().setText(""));
        Ui.afterJobs(SitebridgeJobs.COMPARE, WAIT,
                () -> click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.APPLY_LABEL)));
        Ui.waitUntil("the preview shows its plan again", WAIT, () -> preview().plan() != null);
        click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.ONLY_NEWER_LABEL));
        Ui.waitUntil("the plan keeps the left's newer grown.txt", WAIT,
                () -> lines(preview().rows()).contains("keep grown.txt"));
        List<String> rows = Ui.sync(() -> lines(preview().rows()));
        assertEquals(List.of("copy changed.txt", "copy fresh.txt", "keep grown.txt"), rows);
        Ui.afterJobs(SitebridgeJobs.MIRROR, WAIT,
                () -> click(Ui.buttonCentre(previewShell, MirrorPreviewDialog.MIRROR_LABEL)));
        Ui.join(SitebridgeJobs.LIST, WAIT);

        Trees.assertSameFile(r.resolve("fresh.txt"), l.resolve("fresh.txt"));
        Trees.assertSameFile(r.resolve("changed.txt"), l.resolve("changed.txt"));
        assertTrue(java.util.Arrays.equals(leftGrown, Files.readAllBytes(l.resolve("grown.txt"))),
                "the left's newer grown.txt is kept");
        String leftKey = SitebridgeUi.getDefault().sites().byName("CmpProA").orElseThrow().key();
        List<String> items = SitebridgeUi.getDefault().queue().items().stream()
                .filter(i -> i.destinationSite().equals(leftKey))
                .map(i -> i.destinationPath() + " " + i.state() + " " + i.reason()).toList();
        assertEquals(2, items.size(), items.toString());
        assertEquals("Mirror: 2 copied, 0 deleted", Ui.sync(left::statusText), items.toString());
        Ui.run(() -> {
            left.connect("CmpLeft");
            right.connect("CmpRight");
        });
        Ui.join(SitebridgeJobs.LIST, WAIT);
    }

    private static void plantFile(Path p, byte[] data, java.time.Instant time) throws java.io.IOException {
        Trees.write(p, data);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(time));
    }

    private static MirrorPreviewDialog preview() {
        Shell s = Ui.shellTitled(MirrorPreviewDialog.TITLE);
        return s != null && s.getData() instanceof MirrorPreviewDialog d ? d : null;
    }

    /** "copy changed.txt": the action and the path of each row. */
    private static List<String> lines(List<String[]> rows) {
        return rows.stream().map(r -> r[0] + " " + r[1]).toList();
    }

    private static List<String> labels(Composite c) {
        List<String> out = new ArrayList<>();
        for (Control child : c.getChildren()) {
            if (child instanceof Label l) {
                out.add(l.getText());
            } else if (child instanceof Composite inner) {
                out.addAll(labels(inner));
            }
        }
        return out;
    }
}
