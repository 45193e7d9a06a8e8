package io.sitebridge.core.dialogue;

import java.util.Locale;

/** Masks secrets in commands before they become dialogue events. */
public final class SecretMasking {
    static final String MASK = "******";

    private SecretMasking() {
    }

    /** Returns the command with the argument of PASS, ACCT and similar commands replaced by a mask. */
    public static String maskCommand(String command) {
        String trimmed = stripEol(command);
        int space = trimmed.indexOf(' ');
        String verb = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
        switch (verb) {
            case "PASS", "ACCT", "ADAT" -> {
                return space < 0 ? trimmed : verb + " " + MASK;
            }
            case "SITE" -> {
                // "SITE PSWD old new" and friends carry passwords too.
                String rest = space < 0 ? "" : trimmed.substring(space + 1).trim();
                if (rest.toUpperCase(Locale.ROOT).startsWith("PSWD")) {
                    return "SITE PSWD " + MASK;
                }
                return trimmed;
            }
            default -> {
                return trimmed;
            }
        }
    }

    static String stripEol(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
