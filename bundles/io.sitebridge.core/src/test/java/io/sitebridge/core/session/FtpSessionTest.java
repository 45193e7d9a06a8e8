package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;

/** Sessions against an Apache FtpServer in this JVM (a real FTP server, on loopback). */
class FtpSessionTest {
    @TempDir
    Path root;
    FtpServer server;
    int port;
    ControlDialogue dialogue = new ControlDialogue();
    List<DialogueEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        FtpServerFactory sf = new FtpServerFactory();
        ListenerFactory lf = new ListenerFactory();
        lf.setServerAddress("127.0.0.1");
        lf.setPort(0);
        sf.addListener("default", lf.createListener());
        BaseUser u = new BaseUser();
        u.setName("bob");
        u.setPassword("s3cret-word");
        u.setHomeDirectory(root.toString());
        u.setAuthorities(List.<Authority>of(new WritePermission()));
        sf.getUserManager().save(u);
        server = sf.createServer();
        server.start();
        port = sf.getListener("default").getPort();
        dialogue.addListener(events::add);
    }

    @AfterEach
    void stop() {
        if (!server.isStopped()) {
            server.stop();
        }
    }

    Site site(String password) {
        return Site.builder("127.0.0.1").name("local").port(port).user("bob").password(password)
                .timeouts(new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(5))).build();
    }

    @Test
    void browsesAndChangesFiles() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello world");
        Files.createDirectories(root.resolve("sub"));
        try (FtpSession s = FtpSession.open(site("s3cret-word"), dialogue)) {
            assertEquals("/", s.pwd());
            assertTrue(s.hasFeature("MLST") || s.hasFeature("MLSD") || s.hasFeature("SIZE"));
            List<RemoteEntry> list = s.list("/");
            RemoteEntry hello = list.stream().filter(e -> e.name().equals("hello.txt")).findFirst().orElseThrow();
            assertEquals(EntryType.FILE, hello.type());
            assertEquals(11, hello.size());
            assertNotNull(hello.modified());
            assertTrue(list.stream().anyMatch(e -> e.name().equals("sub") && e.isDirectory()));
            assertEquals(11, s.size("/hello.txt"));
            assertEquals(-1, s.size("/missing.txt"));
            assertNotNull(s.modified("/hello.txt"));
            s.mkdir("/made");
            assertTrue(Files.isDirectory(root.resolve("made")));
            s.cd("/made");
            assertEquals("/made", s.pwd());
            s.rename("/hello.txt", "/made/renamed.txt");
            assertTrue(Files.exists(root.resolve("made/renamed.txt")));
            s.delete("/made/renamed.txt");
            assertFalse(Files.exists(root.resolve("made/renamed.txt")));
            FtpException e = assertThrows(FtpException.class, () -> s.delete("/nope.txt"));
            assertTrue(e.code() == 450 || e.code() == 550, e.getMessage());
            assertTrue(e.getMessage().contains("local refused DELE /nope.txt"), e.getMessage());
        }
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().equals("PASS ******")));
        assertTrue(events.stream().noneMatch(e -> e.text().contains("s3cret-word")), "password leaked");
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.RECEIVED && e.text().startsWith("220")));
        assertTrue(events.stream().allMatch(e -> e.site().equals("local")));
    }

    /** Records what an owed reply's handler was told, in order. */
    static FtpSession.OwedReply recording(List<String> told, String name) {
        return new FtpSession.OwedReply() {
            @Override
            public void arrived(FtpReply reply) {
                told.add(name + ": " + reply.code() + " " + reply.message().trim());
            }

            @Override
            public void lost(String why) {
                told.add(name + " lost: " + why);
            }
        };
    }

    @Test
    void repliesOwedToCallersThatWentOnAreReadInOrderBeforeAnyOther() throws Exception {
        Files.writeString(root.resolve("a.txt"), "12345");
        Files.writeString(root.resolve("b.txt"), "1234567");
        List<String> told = new CopyOnWriteArrayList<>();
        Duration d = Duration.ofSeconds(3);
        try (FtpSession s = FtpSession.open(site("s3cret-word"), dialogue)) {
            s.pipeline(true, null);
            // A command whose caller goes on, then one sent ahead whose reply becomes owed too.
            s.send("SIZE /a.txt");
            s.owe(d, recording(told, "first"));
            s.sendTogether(List.of(), List.of("SIZE /b.txt"));
            assertFalse(s.oweAhead("SIZE /a.txt", d, recording(told, "wrong")), "not the command sent ahead");
            assertTrue(s.oweAhead("SIZE /b.txt", d, recording(told, "second")));
            assertTrue(s.hasOwed());
            assertEquals(List.of(), told, "nothing read before something else is");
            // Another command's own reply is read only after both owed ones were handed over.
            assertEquals(5, s.size("/a.txt"));
            assertEquals(List.of("first: 213 5", "second: 213 7"), told);
            assertFalse(s.hasOwed());

            // A command sent without reading its reply may go out first; readReply hands the owed one over first.
            told.clear();
            s.send("SIZE /b.txt");
            s.owe(d, recording(told, "third"));
            s.send("SIZE /a.txt");
            assertEquals(List.of(), told);
            FtpReply r = s.readReply(d);
            assertEquals("213 5", r.code() + " " + r.message().trim());
            assertEquals(List.of("third: 213 7"), told);

            // settleOwed reads them now.
            told.clear();
            s.send("SIZE /a.txt");
            s.owe(d, recording(told, "fourth"));
            s.settleOwed();
            assertEquals(List.of("fourth: 213 5"), told);

            // Closing reads what is still owed (QUIT waits for it) ...
            told.clear();
            s.send("SIZE /b.txt");
            s.owe(d, recording(told, "fifth"));
        }
        assertEquals(List.of("fifth: 213 7"), told);
        // ... unless the session is out of step: then the handler is told the reply is lost.
        told.clear();
        try (FtpSession s = FtpSession.open(site("s3cret-word"), dialogue)) {
            s.send("SIZE /a.txt");
            s.owe(d, recording(told, "sixth"));
            s.markBroken();
            s.settleOwed(); // nothing read from a session out of step
            assertEquals(1, told.size(), told.toString());
        }
        assertEquals(1, told.size(), told.toString());
        assertTrue(told.get(0).startsWith("sixth lost: "), told.toString());
    }

    @Test
    void storesAndRetrievesThroughTheClientWithPasvAndEpsv() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(13).nextBytes(data);
        for (io.sitebridge.core.DataConnectionMode mode : io.sitebridge.core.DataConnectionMode.values()) {
            Site site = site("s3cret-word").toBuilder().dataConnectionMode(mode).build();
            try (FtpSession s = FtpSession.open(site, dialogue)) {
                String path = "/up-" + mode + ".bin";
                try (OutputStream out = s.store(path, false)) {
                    out.write(data, 0, 1000);
                }
                s.finishTransfer();
                try (OutputStream out = s.store(path, true)) {
                    out.write(data, 1000, data.length - 1000);
                }
                s.finishTransfer();
                assertEquals(data.length, s.size(path));
                byte[] back;
                try (java.io.InputStream in = s.retrieve(path, 0)) {
                    back = in.readAllBytes();
                }
                s.finishTransfer();
                org.junit.jupiter.api.Assertions.assertArrayEquals(data, back);
                byte[] tail;
                try (java.io.InputStream in = s.retrieve(path, data.length - 100)) {
                    tail = in.readAllBytes();
                }
                s.finishTransfer();
                org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 100,
                        data.length), tail);
                assertTrue(s.list("/").stream()
                        .anyMatch(e -> e.name().equals(path.substring(1)) && e.size() == data.length));
                assertEquals("/", s.pwd()); // in step after all of it
            }
        }
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().anyMatch(e -> e.text().startsWith("EPSV")), "EPSV_EPRT used EPSV");
        assertTrue(events.stream().anyMatch(e -> e.text().startsWith("PASV")), "AUTO on IPv4 used PASV");
    }

    @Test
    void crOrLfIsRefusedBeforeAnythingIsSent() throws Exception {
        try (FtpSession s = FtpSession.open(site("s3cret-word"), dialogue)) {
            int before = countSent();
            FtpException e = assertThrows(FtpException.class, () -> s.mkdir("/a\r\nDELE /x"));
            assertTrue(e.getMessage().startsWith("refused before sending"), e.getMessage());
            assertThrows(FtpException.class, () -> s.rename("/a", "/b\nc"));
            assertThrows(FtpException.class, () -> s.list("/x\ny"));
            assertEquals(before, countSent());
            assertEquals("/", s.pwd()); // still usable
        }
    }

    private int countSent() throws InterruptedException {
        dialogue.flush(Duration.ofSeconds(5));
        return (int) events.stream().filter(e -> e.direction() == Direction.SENT).count();
    }

    @Test
    void wrongPasswordIsAClearError() {
        FtpException e = assertThrows(FtpException.class, () -> FtpSession.open(site("wrong"), dialogue));
        assertTrue(e.getMessage().contains("login failed"), e.getMessage());
        assertEquals(530, e.code());
    }

    @Test
    void aDroppedConnectionIsAClearError() throws Exception {
        FtpSession s = FtpSession.open(site("s3cret-word"), dialogue);
        server.stop();
        FtpException e = assertThrows(FtpException.class, () -> {
            s.pwd();
            s.pwd();
        });
        assertTrue(e.getMessage().startsWith("local"), e.getMessage());
        assertTrue(e.getMessage().contains("closed the connection") || e.getMessage().contains("connection lost"),
                e.getMessage());
        assertFalse(s.isConnected());
        s.close();
    }

    @Test
    void aMalformedReplyIsAClearError() throws Exception {
        // Not an FTP server: a socket that answers with something that is not an FTP reply.
        try (ServerSocket bogus = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket c = bogus.accept()) {
                    OutputStream o = c.getOutputStream();
                    o.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    Thread.sleep(500);
                } catch (IOException | InterruptedException ignored) {
                    // test fixture
                }
            });
            t.start();
            Site s = Site.builder("127.0.0.1").name("bogus").port(bogus.getLocalPort()).user("x").password("y")
                    .timeouts(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2))).build();
            FtpException e = assertThrows(FtpException.class, () -> FtpSession.open(s, dialogue));
            assertTrue(e.getMessage().startsWith("bogus"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("malformed") || e.getMessage().contains("cannot connect"),
                    e.getMessage());
            t.join();
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket mute = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Site s = Site.builder("127.0.0.1").name("mute").port(mute.getLocalPort()).user("x").password("y")
                    .timeouts(new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1))).build();
            long start = System.nanoTime();
            FtpException e = assertThrows(FtpException.class, () -> FtpSession.open(s, dialogue));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5);
            assertTrue(e.getMessage().startsWith("mute"), e.getMessage());
        }
    }
}
