package io.sitebridge.transfer.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.testing.peers.EmbeddedFtp;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SessionPool;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * The pane actions as operations, run headless with a NullProgressMonitor against real servers:
 * Apache FtpServer for most, vsftpd, proftpd and pure-ftpd for the recursive delete (LIST and MLSD
 * listings). Every session comes from a {@link SessionPool} and goes back to it.
 */
class SiteOperationsTest {
    static Path dir;
    static EmbeddedFtp ftp;
    static ControlDialogue dialogue = new ControlDialogue(100_000);

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sb-ops");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("embedded"));
        ftp = EmbeddedFtp.start("127.0.0.41", dir.resolve("embedded"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (ftp != null) {
            ftp.close();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static final NullProgressMonitor NONE = new NullProgressMonitor();

    static List<String> names(List<RemoteEntry> entries) {
        return entries.stream().map(RemoteEntry::name).sorted().toList();
    }

    static ListFolderOperation list(SessionPool pool, Site site, String... folders) throws Exception {
        ListFolderOperation op = new ListFolderOperation(pool, Endpoint.of(site), folders);
        op.execute(NONE);
        return op;
    }

    @Test
    void listTheStartFolderOrTheFirstFolderThatExists() throws Exception {
        Path root = Files.createDirectories(ftp.root().resolve("listing"));
        Files.writeString(root.resolve("a.txt"), "a");
        Files.createDirectories(root.resolve("sub"));
        Site site = ftp.site("Embedded");
        try (SessionPool pool = new SessionPool(dialogue, false)) {
            ListFolderOperation home = list(pool, site);
            assertEquals("/", home.folder());
            assertTrue(names(home.entries()).contains("listing"), home.entries().toString());

            ListFolderOperation fallback = list(pool, site, "/gone-since", "/listing");
            assertEquals("/listing", fallback.folder());
            assertEquals(List.of("a.txt", "sub"), names(fallback.entries()), "no . and ..");
            assertTrue(fallback.entries().stream().filter(e -> e.name().equals("sub")).findFirst().orElseThrow()
                    .isDirectory());

            // Apache FtpServer lists a missing folder as empty: the operation checks an empty listing
            IOException none = assertThrows(IOException.class, () -> list(pool, site, "/gone-since"));
            assertEquals("Embedded: no folder /gone-since", none.getMessage());
            assertEquals(List.of(), list(pool, site, "/listing/sub").entries(), "an empty folder is fine");
            assertEquals("/", list(pool, site).folder(), "checking went back to the start folder");
            assertEquals(1, pool.openSessions(site), "one session, reused by every operation and kept");
            new DisconnectOperation(pool, Endpoint.of(site)).execute(NONE);
            assertEquals(0, pool.openSessions(site), "closed when the user disconnects");
            assertEquals("/listing", list(pool, site, "/listing").folder(), "and opened again when needed");
        }
    }

    @Test
    void createAFolderAndRenameIt() throws Exception {
        Site site = ftp.site("Embedded");
        try (SessionPool pool = new SessionPool(dialogue, false)) {
            new CreateFolderOperation(pool, Endpoint.of(site), "/made").execute(NONE);
            assertTrue(Files.isDirectory(ftp.root().resolve("made")));
            FtpException twice = assertThrows(FtpException.class,
                    () -> new CreateFolderOperation(pool, Endpoint.of(site), "/made").execute(NONE));
            assertTrue(twice.getMessage().startsWith("Embedded refused MKD /made: \"550"), twice.getMessage());

            Files.writeString(ftp.root().resolve("made/old.txt"), "keep me", StandardCharsets.UTF_8);
            new RenameOperation(pool, Endpoint.of(site), "/made/old.txt", "/made/new.txt").execute(NONE);
            assertFalse(Files.exists(ftp.root().resolve("made/old.txt")));
            assertEquals("keep me", Files.readString(ftp.root().resolve("made/new.txt")));
            new RenameOperation(pool, Endpoint.of(site), "/made", "/renamed").execute(NONE);
            assertTrue(Files.isRegularFile(ftp.root().resolve("renamed/new.txt")));
            assertEquals(List.of("new.txt"), names(list(pool, site, "/renamed").entries()));
        }
    }

    /** A tree made through FTP: folders nested three deep, files at every level, an empty folder. */
    static void makeTree(SessionPool pool, Site site, String top) throws Exception {
        Endpoint e = Endpoint.of(site);
        for (String f : new String[] {top, top + "/a", top + "/a/b", top + "/a/b/c", top + "/empty", top + "/d"}) {
            new CreateFolderOperation(pool, e, f).execute(NONE);
        }
        FtpSession s = pool.acquire(site);
        try {
            for (String f : new String[] {top + "/top.txt", top + "/a/1.txt", top + "/a/b/2.txt", top + "/a/b/c/3.txt",
                    top + "/a/b/c/4.bin", top + "/d/5.txt"}) {
                try (OutputStream out = s.store(f, false)) {
                    out.write(("content of " + f).getBytes(StandardCharsets.UTF_8));
                }
                assertTrue(s.finishTransfer().isPositive(), f);
            }
        } finally {
            pool.release(s);
        }
    }

    @Test
    void deleteFoldersWithNestedFoldersAndFiles() throws Exception {
        Site site = ftp.site("Embedded");
        try (SessionPool pool = new SessionPool(dialogue, false)) {
            makeTree(pool, site, "/tree");
            makeTree(pool, site, "/other");
            Files.writeString(ftp.root().resolve("loose.txt"), "x");
            DeleteOperation op = new DeleteOperation(pool, Endpoint.of(site), List.of(
                    new DeleteOperation.Target("/tree", true), new DeleteOperation.Target("/loose.txt", false)));
            op.execute(NONE);
            assertFalse(Files.exists(ftp.root().resolve("tree")), "the whole tree is gone");
            assertFalse(Files.exists(ftp.root().resolve("loose.txt")));
            assertEquals(13, op.deleted(), "6 folders, 6 files in the tree, and the loose file");
            assertTrue(Files.isRegularFile(ftp.root().resolve("other/a/b/c/3.txt")), "the sibling tree is untouched");
        }
    }

    /** Deleting through a link to a folder deletes the link, never what it points to. */
    @Test
    void aLinkToAFolderIsDeletedAsALink() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local"));
        Path precious = Files.createDirectories(local.resolve("precious"));
        Files.writeString(precious.resolve("keep.txt"), "keep");
        Path holder = Files.createDirectories(local.resolve("holder"));
        Files.createSymbolicLink(holder.resolve("link"), precious);
        try (SessionPool pool = new SessionPool(dialogue, false)) {
            ListFolderOperation listed = new ListFolderOperation(pool, Endpoint.local(), holder.toString());
            listed.execute(NONE);
            RemoteEntry link = listed.entries().get(0);
            assertTrue(link.isDirectory(), "shown as a folder");
            new DeleteOperation(pool, Endpoint.local(), List.of(new DeleteOperation.Target(holder.toString(), true)))
                    .execute(NONE);
            assertFalse(Files.exists(holder));
            assertEquals("keep", Files.readString(precious.resolve("keep.txt")));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PeerKind.class, names = {"VSFTPD", "PROFTPD", "PUREFTPD"})
    void deleteANestedTreeOnRealServers(PeerKind kind) throws Exception {
        String address = switch (kind) {
            case VSFTPD -> "127.0.0.44";
            case PROFTPD -> "127.0.0.45";
            default -> "127.0.0.46";
        };
        try (RealPeer peer = RealPeers.start(kind, address, dir.resolve(kind.name()), PeerConfig.FXP);
                SessionPool pool = new SessionPool(dialogue, false)) {
            Site site = peer.site();
            makeTree(pool, site, "/tree");
            assertEquals(List.of("a", "d", "empty", "top.txt"), names(list(pool, site, "/tree").entries()));
            DeleteOperation op = new DeleteOperation(pool, Endpoint.of(site), List.of(new DeleteOperation.Target("/tree",
                    true)));
            op.execute(NONE);
            assertEquals(12, op.deleted());
            assertFalse(Files.exists(peer.root().resolve("tree")), kind + " deleted the whole tree");
        }
    }

    /** The transfer operation only queues: no byte moves until the queue runs, and then the queue moves them. */
    @Test
    void transferAddsItemsToTheQueueWhichCopiesThem() throws Exception {
        Path src = Files.createDirectories(ftp.root().resolve("send"));
        Files.writeString(src.resolve("one.txt"), "one");
        Files.createDirectories(src.resolve("folder/inner"));
        Files.writeString(src.resolve("folder/inner/two.txt"), "two");
        Path dstRoot = Files.createDirectories(dir.resolve("second"));
        try (EmbeddedFtp second = EmbeddedFtp.start("127.0.0.42", dstRoot)) {
            Files.createDirectories(dstRoot.resolve("in"));
            Site from = ftp.site("Embedded");
            Site to = second.site("Second");
            try (TransferQueue queue = TransferQueue.open(dir.resolve("queue-state"), SiteDirectory.of(from, to),
                    QueueOptions.defaults().withVerifyCertificates(false), dialogue, new StrategyMemory())) {
                TransferOperation op = new TransferOperation(queue, Endpoint.of(from), List.of(
                        new TransferOperation.Source("/send/one.txt", false),
                        new TransferOperation.Source("/send/folder", true)), Endpoint.of(to), "/in", null);
                assertTrue(op.getSchedulingRule().contains(SiteRule.of(Endpoint.of(from)))
                        && op.getSchedulingRule().contains(SiteRule.of(Endpoint.of(to))), "holds both sites");
                op.execute(NONE);
                assertEquals(2, op.added().size());
                assertEquals(List.of("/in/one.txt", "/in/folder"),
                        op.added().stream().map(QueueItem::destinationPath).toList());
                assertEquals(0, queue.sessions().openSessions(from), "the operation opened no connection");
                assertFalse(Files.exists(dstRoot.resolve("in/one.txt")), "and copied nothing itself");

                TransferOperation onto = new TransferOperation(queue, Endpoint.of(from), List.of(
                        new TransferOperation.Source("/send/one.txt", false),
                        new TransferOperation.Source("/send/folder", true)), Endpoint.of(from), "/send/folder/inner",
                        null);
                onto.execute(NONE);
                assertEquals(1, onto.added().size(), "a folder into itself is left out");

                queue.start();
                assertTrue(queue.awaitIdle(java.time.Duration.ofSeconds(30)), queue.items().toString());
                for (QueueItem i : op.added()) {
                    assertEquals(ItemState.DONE, queue.item(i.id()).orElseThrow().state(), i.toString());
                }
                assertEquals("one", Files.readString(dstRoot.resolve("in/one.txt")));
                assertEquals("two", Files.readString(dstRoot.resolve("in/folder/inner/two.txt")));
            }
        }
    }

    @Test
    void aRefusedDeleteSaysWhichFileAndWhy() throws Exception {
        Path root = Files.createDirectories(dir.resolve("read-only"));
        Files.createDirectories(root.resolve("box/inner"));
        Files.writeString(root.resolve("box/inner/file.txt"), "stays");
        try (ReadOnlyFtp server = ReadOnlyFtp.start("127.0.0.43", root);
                SessionPool pool = new SessionPool(dialogue, false)) {
            Site site = server.site();
            DeleteOperation op = new DeleteOperation(pool, Endpoint.of(site),
                    List.of(new DeleteOperation.Target("/box", true)));
            FtpException refused = assertThrows(FtpException.class, () -> op.execute(NONE));
            assertTrue(refused.getMessage().startsWith("Read-only refused DELE /box/inner/file.txt: \"450 No permission"),
                    refused.getMessage());
            assertEquals(450, refused.code());
            assertEquals(0, op.deleted());
            assertEquals("stays", Files.readString(root.resolve("box/inner/file.txt")));
            assertEquals(1, pool.openSessions(site), "the session went back to the pool, in step");
            assertEquals(List.of("inner"), names(list(pool, site, "/box").entries()), "and it still works");
        }
    }
}
