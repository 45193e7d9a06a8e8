package io.sitebridge.transfer.engine;

import io.sitebridge.transfer.TransferResult;

/**
 * How a {@link FileTransfer} ended when it did not fail.
 *
 * @param state           done, skipped by the conflict rule, waiting for the caller to ask the user,
 *                        copied with its size still to check ({@link FileTransfer.Request#checkLater}): the caller
 *                        checks it with the folder's listing ({@link FileTransfer#sizeChecked}) and
 *                        only then calls it done, or arriving: sent, with the destination's last replies
 *                        still to read ({@link FileTransfer.Request#finishLater})
 * @param reason          for the queue: how it went ("FXP, source passive (PASV/PORT), checked by SIZE"), or why skipped
 * @param result          when done: the strategy, size, check and notes
 * @param destinationPath when done: where the file is now (another name under RENAME)
 * @param existing        when asking: the size of the file at the destination
 * @param existingModified when asking: its modification time (epoch ms), or -1
 * @param arrival         when arriving ({@link FileTransfer.Request#finishLater}): the destination's last
 *                        replies, read later; the copy is done ({@code reason}) only when
 *                        {@link Arrival#whenKnown} says every byte arrived
 */
public record Outcome(State state, String reason, TransferResult result, String destinationPath, long existing,
        long existingModified, Arrival arrival) {

    public enum State { DONE, SKIPPED, ASKING, UNCHECKED, ARRIVING }

    static Outcome done(String reason, TransferResult result, String destinationPath) {
        return new Outcome(State.DONE, reason, result, destinationPath, -1, -1, null);
    }

    /** The bytes went ({@code reason}: how); not done until the destination shows {@code result.bytes()}. */
    static Outcome unchecked(String reason, TransferResult result, String destinationPath) {
        return new Outcome(State.UNCHECKED, reason, result, destinationPath, -1, -1, null);
    }

    /** The source sent every byte ({@code reason}: how, when they all arrive); the destination's last replies are owed. */
    static Outcome arriving(String reason, TransferResult result, String destinationPath, Arrival arrival) {
        return new Outcome(State.ARRIVING, reason, result, destinationPath, -1, -1, arrival);
    }

    static Outcome skipped(String reason) {
        return new Outcome(State.SKIPPED, reason, null, null, -1, -1, null);
    }

    static Outcome asking(long existing, long modified) {
        return new Outcome(State.ASKING, "the destination exists (" + existing + " bytes)", null, null, existing,
                modified, null);
    }
}
