package io.sitebridge.core.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ControlDialogueTest {
    @Test
    void passwordsAndAccountsAreMasked() {
        assertEquals("PASS ******", SecretMasking.maskCommand("PASS hunter2\r\n"));
        assertEquals("PASS ******", SecretMasking.maskCommand("pass hunter2"));
        assertEquals("ACCT ******", SecretMasking.maskCommand("ACCT billing"));
        assertEquals("SITE PSWD ******", SecretMasking.maskCommand("SITE PSWD old new"));
        assertEquals("USER bob", SecretMasking.maskCommand("USER bob\r\n"));
        assertEquals("RETR /PASS word.txt", SecretMasking.maskCommand("RETR /PASS word.txt"));
    }

    @Test
    void everyListenerGetsEveryEventInOrder() throws Exception {
        ControlDialogue d = new ControlDialogue();
        List<String> a = new CopyOnWriteArrayList<>();
        List<String> b = new CopyOnWriteArrayList<>();
        d.addListener(e -> a.add(e.text()));
        d.addListener(e -> b.add(e.text()));
        for (int i = 0; i < 1000; i++) {
            d.sent("site", "s1", "NOOP " + i);
        }
        d.sent("site", "s1", "PASS secret");
        assertTrue(d.flush(Duration.ofSeconds(5)));
        assertEquals(1001, a.size());
        assertEquals(a, b);
        assertEquals("NOOP 0", a.get(0));
        assertEquals("NOOP 999", a.get(999));
        assertEquals("PASS ******", a.get(1000));
    }

    @Test
    void aSlowListenerNeverBlocksPublishersAndLossIsReported() throws Exception {
        ControlDialogue d = new ControlDialogue(10);
        CountDownLatch release = new CountDownLatch(1);
        List<DialogueEvent> got = new CopyOnWriteArrayList<>();
        d.addListener(e -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(e);
        });
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            d.received("site", "s1", "200 ok " + i);
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(ms < 1000, "publishing blocked for " + ms + " ms");
        release.countDown();
        assertTrue(d.flush(Duration.ofSeconds(5)));
        assertTrue(got.stream().anyMatch(e -> e.direction() == Direction.NOTE && e.text().contains("dropped")),
                "loss must be reported");
        assertEquals("200 ok 99", got.get(got.size() - 1).text());
    }

    @Test
    void aFailingListenerDoesNotStopOthers() throws Exception {
        ControlDialogue d = new ControlDialogue();
        List<String> got = new CopyOnWriteArrayList<>();
        d.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        d.addListener(e -> got.add(e.text()));
        d.note("site", "s1", "one");
        d.note("site", "s1", "two");
        assertTrue(d.flush(Duration.ofSeconds(5)));
        assertEquals(List.of("one", "two"), got);
    }

    @Test
    void formatTagsEachLineWithTheSite() {
        DialogueEvent e = new DialogueEvent("srv", "s1", Direction.RECEIVED, "211-Features\n MLSD\n211 End",
                java.time.Instant.now());
        assertEquals(3, e.format().lines().count());
        assertTrue(e.format().lines().allMatch(l -> l.startsWith("[srv] < ")));
    }
}
