package io.sitebridge.transfer.queue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.sitebridge.transfer.TransferException;

/**
 * What a failed attempt leads to, for files and folders alike: a cancel the user asked for ends the
 * item as cancelled; a cancel because the queue is closing leaves it waiting for the next run; a
 * permanent failure, or the last allowed attempt, fails it; anything else waits for another attempt
 * after a backoff (which then resumes what this one wrote).
 */
final class Failures {
    private final QueueBook book;
    private final QueueOptions options;
    private final BooleanSupplier stopping;
    private final Set<Long> cancelRequested = ConcurrentHashMap.newKeySet();

    Failures(QueueBook book, QueueOptions options, BooleanSupplier stopping) {
        this.book = book;
        this.options = options;
        this.stopping = stopping;
    }

    void requestCancel(long id) {
        cancelRequested.add(id);
    }

    void forgetCancel(long id) {
        cancelRequested.remove(id);
    }

    boolean cancelRequested(long id) {
        return cancelRequested.contains(id);
    }

    /** The item should stop: the user cancelled it or the queue is closing. */
    boolean stopRequested(long id) {
        return stopping.getAsBoolean() || cancelRequested.contains(id);
    }

    /** The worker was interrupted before the item started: it waits again, no attempt counted. */
    void interrupted(long id) {
        book.retryLater(id, null, "interrupted");
    }

    /**
     * A server refused one more connection (its limit is reached): the item waits again for a free
     * connection, no attempt counted; a cancel or the queue's stop still counts as such.
     */
    void waitForConnection(long id, String why) {
        if (cancelRequested.contains(id)) {
            book.fail(id, ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled", false);
        } else {
            book.retryLater(id, null, stopping.getAsBoolean() ? "interrupted: the queue stopped; it goes on next time"
                    : why);
        }
    }

    void failed(long id, TransferException e) {
        QueueItem i = book.item(id).orElse(null);
        if (i == null) {
            return;
        }
        if (cancelRequested.contains(id)) {
            book.fail(id, ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled", false);
        } else if (stopping.getAsBoolean()) {
            book.retryLater(id, null, "interrupted: the queue stopped; it goes on next time");
        } else if (e.reason() == TransferException.Reason.CANCELLED) {
            book.fail(id, ItemState.CANCELLED, TransferException.Reason.CANCELLED, "cancelled", false);
        } else if (e.isPermanent() || i.attempts() + 1 >= options.maxAttempts()) {
            book.fail(id, ItemState.FAILED, e.reason(), e.getMessage(), e.details(), true);
        } else {
            int n = i.attempts() + 1;
            Duration wait = options.backoff(n);
            book.retryLater(id, wait, "attempt " + n + " failed, retrying in " + wait.toMillis() / 1000.0 + " s: "
                    + e.getMessage());
        }
    }
}
