package io.sitebridge.transfer.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.Trees;
import io.sitebridge.transfer.StrategyMemory;

/**
 * A queue closing (the application quits, a command line is interrupted) while a worker logs in
 * to a server that accepted the connection and never greets: the login is cut off at once, not
 * waited out to its connect timeout, and the item waits for the next run, its attempt not counted.
 */
class QueueCloseTest {
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-close");
    }

    @AfterAll
    static void stop() {
        Trees.deleteAll(dir);
    }

    @Test
    void closingCutsOffALoginToAMuteServer() throws Exception {
        Path file = dir.resolve("up.bin");
        Files.write(file, new byte[4096]);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        long id;
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(mute.accept()); // and says nothing
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            Site site = Site.builder("127.0.0.1").name("Mute").port(mute.getLocalPort()).user("u").password("p")
                    .timeouts(new Timeouts(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(1)))
                    .build();
            DialogueLog log = new DialogueLog();
            QueueOptions options = QueueOptions.defaults().withParallel(2).withVerifyCertificates(false)
                    .withDefaultRule(ConflictRule.OVERWRITE);
            long closing;
            TransferQueue q = TransferQueue.open(dir.resolve("state"), SiteDirectory.of(), options, log.dialogue,
                    new StrategyMemory());
            try {
                q.start();
                id = q.add(Endpoint.local(), file.toString(), Endpoint.of(site), "/up.bin", false, null).id();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (accepted.isEmpty() || q.item(id).orElseThrow().state() != ItemState.RUNNING) {
                    assertTrue(System.nanoTime() < deadline, "the worker connects: " + q.items());
                    Thread.sleep(10);
                }
                Thread.sleep(200); // and waits for a greeting
                assertEquals(ItemState.RUNNING, q.item(id).orElseThrow().state());
            } finally {
                closing = System.nanoTime();
                q.close();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - closing);
            // Without the cut-off, close() waits 15 s for the worker, and the socket stays open after.
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "close took " + took.toMillis() + " ms");
            for (Socket s : accepted) {
                assertTrue(closedByClient(s), "the client closed its connection to the mute server");
            }
            List<String> notes = log.events().stream().filter(e -> e.direction() == Direction.NOTE)
                    .map(DialogueEvent::text).toList();
            assertTrue(notes.contains("stopped while connecting to 127.0.0.1:" + mute.getLocalPort()), notes.toString());
            mute.close();
            acceptor.join(5000);
        }
        try (TransferQueue again = TransferQueue.open(dir.resolve("state"), SiteDirectory.of(), QueueOptions.defaults(),
                new DialogueLog().dialogue, new StrategyMemory())) {
            QueueItem i = again.item(id).orElseThrow();
            assertEquals(ItemState.WAITING, i.state(), i.toString());
            assertEquals(0, i.attempts(), "an attempt the queue's close cut off is not counted: " + i);
            assertTrue(i.reason().contains("the queue stopped"), i.reason());
        }
    }

    /** The client's end of the connection is closed: the server reads end of stream within 5 s. */
    static boolean closedByClient(Socket s) throws IOException {
        s.setSoTimeout(5000);
        try (InputStream in = s.getInputStream()) {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /**
     * A closed queue leaves no thread of its own behind: in a JVM that outlives its queues (the
     * command line's agent runs one queue per command) each would stay, with its listeners.
     */
    @Test
    void closingEndsTheEventThread() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        java.util.Set<Thread> others = eventThreads(); // other tests' queues, if any are open
        java.util.Set<Thread> ours;
        try (TransferQueue q = TransferQueue.open(dir.resolve("state-events"), SiteDirectory.of(),
                QueueOptions.defaults(), new io.sitebridge.core.dialogue.ControlDialogue(), new StrategyMemory())) {
            q.addListener(new QueueListener() {
                @Override
                public void itemAdded(QueueItem i) {
                    heard.add(i.sourcePath());
                }
            });
            Path file = Files.write(dir.resolve("ev.bin"), new byte[16]);
            Site nowhere = Site.builder("127.0.0.1").name("Nowhere").port(1).user("u").password("p").build();
            q.add(Endpoint.local(), file.toString(), Endpoint.of(nowhere), "/ev.bin", false, null); // not started: queued only
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (heard.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the event thread delivers");
                Thread.sleep(5);
            }
            ours = eventThreads();
            ours.removeAll(others);
            assertEquals(1, ours.size(), "the queue's event thread runs while it is open");
        }
        for (Thread t : ours) {
            t.join(10_000);
            assertTrue(!t.isAlive(), "the event thread ended with its queue");
        }
    }

    private static java.util.Set<Thread> eventThreads() {
        java.util.Set<Thread> s = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().equals("sitebridge-queue-events")) {
                s.add(t);
            }
        }
        return s;
    }
}
