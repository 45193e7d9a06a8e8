package io.sitebridge.ui.queue;

/**
 * The items of one drop or paste. Holds the "apply to all" answer of the
 * conflict prompt so that it is asked once per batch at most.
 */
public final class Batch {

    private volatile ConflictChoice applyToAll;

    public Batch(ConflictChoice initial) {
        this.applyToAll = initial == ConflictChoice.ASK ? null : initial;
    }

    /** The choice for every later conflict in this batch, or null to ask. */
    public ConflictChoice applyToAll() {
        return applyToAll;
    }

    public void setApplyToAll(ConflictChoice choice) {
        this.applyToAll = choice;
    }
}
