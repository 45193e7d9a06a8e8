package io.sitebridge.transfer.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.testing.peers.EmbeddedFtp;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * Per-site scheduling rules: as rules, and with real jobs on the Eclipse job manager (it runs on
 * a plain class path too) running operations against two real servers.
 */
class SiteRuleTest {
    static Path dir;
    static EmbeddedFtp one;
    static EmbeddedFtp two;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sb-rules");
        one = EmbeddedFtp.start("127.0.0.41", Files.createDirectories(dir.resolve("one")));
        two = EmbeddedFtp.start("127.0.0.42", Files.createDirectories(dir.resolve("two")));
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
    }

    @Test
    void rulesOfOneSiteConflictRulesOfTwoSitesDoNot() {
        Site a = one.site("One");
        Site aAgain = one.site("One under another name"); // same server and account: same key
        Site b = two.site("Two");
        Site c = Site.builder("127.0.0.99").name("Three").port(21).user("u").password("p").build();
        ISchedulingRule ra = SiteRule.of(Endpoint.of(a));
        ISchedulingRule rb = SiteRule.of(Endpoint.of(b));
        assertTrue(ra.isConflicting(SiteRule.of(Endpoint.of(aAgain))));
        assertTrue(ra.contains(SiteRule.of(Endpoint.of(aAgain))));
        assertFalse(ra.isConflicting(rb));
        assertFalse(rb.isConflicting(ra));
        assertFalse(ra.isConflicting(SiteRule.of(Endpoint.local())));

        ISchedulingRule pair = SiteRule.of(Endpoint.of(a), Endpoint.of(b));
        assertTrue(pair.isConflicting(ra));
        assertTrue(ra.isConflicting(pair), "symmetric");
        assertTrue(rb.isConflicting(pair));
        assertFalse(pair.isConflicting(SiteRule.of(Endpoint.of(c))));
        assertFalse(SiteRule.of(Endpoint.of(c)).isConflicting(pair));
        assertTrue(pair.isConflicting(SiteRule.of(Endpoint.of(b), Endpoint.of(c))), "pairs sharing a site");
        assertEquals(ra, SiteRule.of(Endpoint.of(a), Endpoint.of(aAgain)), "a pair of one site is its rule");
    }

    /** Runs {@code op} in a job with its rule, first waiting for {@code go}; records when it ran. */
    static Job job(SiteOperation op, CountDownLatch started, CountDownLatch go, AtomicReference<Throwable> failure) {
        Job j = new Job(op.getClass().getSimpleName()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                started.countDown();
                try {
                    if (!go.await(20, TimeUnit.SECONDS)) {
                        throw new AssertionError("never released");
                    }
                    op.execute(monitor);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                return Status.OK_STATUS;
            }
        };
        j.setRule(op.getSchedulingRule());
        return j;
    }

    @Test
    void twoOperationsOnOneSiteRunOneAfterTheOtherOnTwoSitesAtOnce() throws Exception {
        Files.writeString(one.root().resolve("x.txt"), "x");
        Site a = one.site("One");
        Site b = two.site("Two");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SessionPool pool = new SessionPool(new ControlDialogue(10_000), false)) {
            CountDownLatch firstStarted = new CountDownLatch(1);
            CountDownLatch releaseFirst = new CountDownLatch(1);
            Job first = job(new ListFolderOperation(pool, Endpoint.of(a), "/"), firstStarted, releaseFirst, failure);
            first.schedule();
            assertTrue(firstStarted.await(10, TimeUnit.SECONDS), "the first job runs");

            CountDownLatch sameSiteStarted = new CountDownLatch(1);
            Job sameSite = job(new RenameOperation(pool, Endpoint.of(a), "/x.txt", "/y.txt"), sameSiteStarted,
                    new CountDownLatch(0), failure);
            sameSite.schedule();
            CountDownLatch otherSiteStarted = new CountDownLatch(1);
            Job otherSite = job(new CreateFolderOperation(pool, Endpoint.of(b), "/made"), otherSiteStarted,
                    new CountDownLatch(0), failure);
            otherSite.schedule();
            CountDownLatch transferStarted = new CountDownLatch(1);
            Job transfer = job(new TransferOperation(null, Endpoint.of(b), List.of(), Endpoint.of(a), "/", null),
                    transferStarted, new CountDownLatch(0), failure);
            transfer.schedule();

            assertTrue(otherSiteStarted.await(10, TimeUnit.SECONDS), "another site's operation runs meanwhile");
            assertTrue(otherSite.join(10_000, null), "and ends");
            assertTrue(Files.isDirectory(two.root().resolve("made")));
            assertFalse(sameSiteStarted.await(500, TimeUnit.MILLISECONDS), "the same site's operation waits");
            assertFalse(transferStarted.await(10, TimeUnit.MILLISECONDS), "so does a transfer to that site");
            assertEquals(Job.WAITING, sameSite.getState());
            assertTrue(Files.exists(one.root().resolve("x.txt")), "not renamed yet");

            releaseFirst.countDown();
            assertTrue(sameSite.join(10_000, null) && transfer.join(10_000, null) && first.join(10_000, null));
            assertTrue(Files.exists(one.root().resolve("y.txt")), "renamed after the first job ended");
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }
}
