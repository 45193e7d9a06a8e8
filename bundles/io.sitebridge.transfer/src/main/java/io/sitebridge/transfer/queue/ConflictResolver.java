package io.sitebridge.transfer.queue;

import java.util.concurrent.CompletionStage;

/**
 * Decides what to do with an existing destination when an item's rule is {@link ConflictRule#ASK}.
 * The queue never waits for the answer on a transfer thread: the item waits (reason "waiting for a
 * decision") while others go on, and continues when the stage completes. Completing with ASK or
 * null, or exceptionally, applies the queue's default rule.
 */
@FunctionalInterface
public interface ConflictResolver {
    /**
     * @param item     the item (its destinationPath exists)
     * @param existing the destination as found: size and modification time, -1 when unknown
     */
    CompletionStage<ConflictRule> decide(QueueItem item, ExistingFile existing);

    /** The destination file that is in the way. */
    record ExistingFile(String path, long size, long modifiedMillis) { }
}
