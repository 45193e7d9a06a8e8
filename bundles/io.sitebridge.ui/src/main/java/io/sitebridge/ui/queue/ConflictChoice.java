package io.sitebridge.ui.queue;

/** What to do when the destination of a transfer already exists. */
public enum ConflictChoice {
    ASK("Ask"), OVERWRITE("Overwrite"), SKIP("Skip"), RESUME("Resume"), RENAME("Rename");

    private final String label;

    ConflictChoice(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
