package io.sitebridge.transfer.queue;

/**
 * Observes a {@link TransferQueue}. Called on the queue's own event thread, one event at a
 * time and in order, never on a transfer thread: a slow listener delays other listeners but
 * never a transfer (progress events of a slow listener are coalesced, state events never
 * dropped). A listener that throws keeps receiving events.
 */
public interface QueueListener {
    default void itemAdded(QueueItem item) { }

    /** The item's state, reason, destination path or rule changed (not called for progress). */
    default void itemChanged(QueueItem item) { }

    default void itemRemoved(QueueItem item) { }

    /** Bytes of a running item, a few times a second at most per item. */
    default void progress(Progress progress) { }

    /**
     * The events that came together were all delivered (a few per file of a busy folder copy): a
     * listener that gathers what it shows (lines, rows) shows it here, once for the lot.
     */
    default void delivered() { }
}
