package io.sitebridge.ui.queue;

import java.util.Collection;
import java.util.List;

/**
 * The transfer queue as the UI sees it. The UI bundle has its own
 * implementation ({@link UiTransferQueue}) until the transfer bundle's queue
 * (crash-safe, pooled) can stand behind this interface.
 */
public interface TransferQueue {

    /** The job family of the queue's workers (tests wait for it; the Progress view groups by it). */
    Object FAMILY = TransferQueue.class;

    /** Observes the queue; called on worker threads, so views must hop to the UI thread. */
    interface Listener {
        /** Items were added or removed. */
        default void itemsChanged() {
        }

        /** An item's state or progress changed (progress at most a few times a second). */
        default void itemChanged(QueueItem item) {
        }

        /** An item reached done, failed, skipped or cancelled. */
        default void itemFinished(QueueItem item) {
        }
    }

    /** Deals with destinations that exist; may ask the user. Called on a worker thread. */
    interface ConflictResolver {
        /**
         * @param existingSize the destination's size, -1 if unknown
         * @return never ASK
         */
        ConflictChoice resolve(QueueItem item, long existingSize);
    }

    List<QueueItem> items();

    /** Queues the requests as one batch and starts them as workers free up. */
    List<QueueItem> enqueue(List<TransferRequest> requests, ConflictChoice onConflict);

    void cancel(Collection<QueueItem> items);

    void retry(Collection<QueueItem> items);

    /** Removes finished items; running ones are cancelled first. */
    void remove(Collection<QueueItem> items);

    void clearFinished();

    void addListener(Listener listener);

    void removeListener(Listener listener);

    void setConflictResolver(ConflictResolver resolver);
}
