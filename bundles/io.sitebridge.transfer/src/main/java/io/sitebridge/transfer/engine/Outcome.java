package io.sitebridge.transfer.engine;

import io.sitebridge.transfer.TransferResult;

/**
 * How a {@link FileTransfer} ended when it did not fail.
 *
 * @param state           done, skipped by the conflict rule, waiting for the caller to ask the user, or
 *                        copied with its size still to check ({@link FileTransfer.Request#checkLater}): the caller
 *                        checks it with the folder's listing ({@link FileTransfer#sizeChecked}) and
 *                        only then calls it done
 * @param reason          for the queue: how it went ("FXP, source passive (PASV/PORT), checked by SIZE"), or why skipped
 * @param result          when done: the strategy, size, check and notes
 * @param destinationPath when done: where the file is now (another name under RENAME)
 * @param existing        when asking: the size of the file at the destination
 * @param existingModified when asking: its modification time (epoch ms), or -1
 */
public record Outcome(State state, String reason, TransferResult result, String destinationPath, long existing,
        long existingModified) {

    public enum State { DONE, SKIPPED, ASKING, UNCHECKED }

    static Outcome done(String reason, TransferResult result, String destinationPath) {
        return new Outcome(State.DONE, reason, result, destinationPath, -1, -1);
    }

    /** The bytes went ({@code reason}: how); not done until the destination shows {@code result.bytes()}. */
    static Outcome unchecked(String reason, TransferResult result, String destinationPath) {
        return new Outcome(State.UNCHECKED, reason, result, destinationPath, -1, -1);
    }

    static Outcome skipped(String reason) {
        return new Outcome(State.SKIPPED, reason, null, null, -1, -1);
    }

    static Outcome asking(long existing, long modified) {
        return new Outcome(State.ASKING, "the destination exists (" + existing + " bytes)", null, null, existing,
                modified);
    }
}
