package io.sitebridge.ui.queue;

/** Where a queue item is in its life. */
public enum QueueState {
    WAITING("Waiting"), RUNNING("Running"), DONE("Done"), FAILED("Failed"), SKIPPED("Skipped"), CANCELLED("Cancelled");

    private final String label;

    QueueState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isFinished() {
        return this == DONE || this == FAILED || this == SKIPPED || this == CANCELLED;
    }
}
