package io.sitebridge.transfer.queue;

/** Where a queue item is in its life. */
public enum ItemState {
    /** Not started yet, or waiting for its next attempt (see {@link QueueItem#notBefore()}). */
    WAITING,
    /** Being transferred (a folder: being listed, or its files are still under way). */
    RUNNING,
    /** Transferred and checked: the destination has all the bytes. */
    DONE,
    /** Gave up; {@link QueueItem#reason()} says why. */
    FAILED,
    /** Left alone on purpose (the destination existed, a symbolic link, ...). */
    SKIPPED,
    /** The user cancelled it. */
    CANCELLED;

    public boolean isFinished() {
        return this == DONE || this == FAILED || this == SKIPPED || this == CANCELLED;
    }
}
