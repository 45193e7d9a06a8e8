package io.sitebridge.core.session;

import java.util.List;

/**
 * One reply of a server: its three-digit code and its lines (the last line starts with
 * the code and a space).
 */
public record FtpReply(int code, List<String> lines) {
    public FtpReply {
        lines = List.copyOf(lines);
    }

    public boolean isPreliminary() { return code >= 100 && code < 200; }
    public boolean isPositive() { return code >= 200 && code < 300; }
    public boolean isIntermediate() { return code >= 300 && code < 400; }
    public boolean isTransientNegative() { return code >= 400 && code < 500; }
    public boolean isPermanentNegative() { return code >= 500 && code < 600; }
    public boolean isNegative() { return code >= 400; }

    /**
     * The size a reply to SIZE gives: its number for a 213, -1 for any other code.
     *
     * @throws NumberFormatException a 213 without a number
     */
    public long size() {
        return code == 213 ? Long.parseLong(message().trim()) : -1;
    }

    /** All lines joined with a space: for messages. */
    public String text() {
        return String.join(" ", lines).trim();
    }

    /** The text after the code on the last line. */
    public String message() {
        if (lines.isEmpty()) {
            return "";
        }
        String last = lines.get(lines.size() - 1);
        return last.length() > 4 ? last.substring(4).trim() : "";
    }

    @Override
    public String toString() {
        return lines.isEmpty() ? String.valueOf(code) : lines.get(lines.size() - 1);
    }
}
