package io.sitebridge.transfer.compare;

import java.util.Locale;

/** What makes two files with the same path "the same" ({@code --compare}). */
public enum CompareMode {
    /** Equal sizes. */
    SIZE,
    /** Equal sizes and modification times (within what both servers' listings can tell). */
    TIME,
    /** Equal sizes and equal server-side hashes (no byte through this client); TIME when the servers share no hash. */
    HASH;

    /** {@code size}, {@code time} or {@code hash}. */
    public static CompareMode parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
