package io.sitebridge.core.dialogue;

import java.time.Instant;
import java.util.Objects;

/**
 * One command, reply or note of a control dialogue. Secrets are already masked in
 * {@link #text()} (see {@link SecretMasking}).
 *
 * @param site      the display name of the site the session talks to
 * @param sessionId identifies the session within this process (for example {@code "s7"})
 * @param direction command sent, reply received, or a note of our own
 * @param text      the line(s), without the trailing CRLF; multi-line replies keep their line breaks
 * @param time      when the event happened
 */
public record DialogueEvent(String site, String sessionId, Direction direction, String text, Instant time) {
    public DialogueEvent {
        Objects.requireNonNull(site);
        Objects.requireNonNull(sessionId);
        Objects.requireNonNull(direction);
        Objects.requireNonNull(text);
        Objects.requireNonNull(time);
    }

    /** A compact one-line-per-line rendering: {@code [site] > USER bob}. */
    public String format() {
        String arrow = switch (direction) {
            case SENT -> "> ";
            case RECEIVED -> "< ";
            case NOTE -> "* ";
        };
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (sb.length() > 0) {
                sb.append(System.lineSeparator());
            }
            sb.append('[').append(site).append("] ").append(arrow).append(line);
        }
        return sb.toString();
    }
}
