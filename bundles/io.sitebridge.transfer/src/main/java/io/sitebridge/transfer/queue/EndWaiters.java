package io.sitebridge.transfer.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Who waits for an item to end ({@link TransferQueue#awaitFinished}): each waiter is woken when
 * its item ends, not by every change of the queue (a waiter on the queue's lock would be woken,
 * and fight the workers for it, a few times per file). Guarded by the {@link QueueBook}'s lock.
 */
final class EndWaiters {
    private final Map<Long, CountDownLatch> waiting = new HashMap<>();

    /** The latch that counts down when the item ends. */
    CountDownLatch latch(long id) {
        return waiting.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    /** The item ended (or was removed): wake its waiters. */
    void ended(long id) {
        if (!waiting.isEmpty()) {
            CountDownLatch l = waiting.remove(id);
            if (l != null) {
                l.countDown();
            }
        }
    }
}
