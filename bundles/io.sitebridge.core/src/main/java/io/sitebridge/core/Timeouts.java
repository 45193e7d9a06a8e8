package io.sitebridge.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of a session: connecting, waiting for a control reply, and idle data
 * connections. Nothing in Sitebridge waits on the network without one of these.
 *
 * @param connect how long a TCP connection (control or data) may take to open, and the
 *                greeting to begin
 * @param reply   how long a control reply may take to begin, and how long a reply that has
 *                begun may take to end (a server trickling a reply byte by byte is cut off)
 * @param data    how long a data connection the session opened itself (listing, RETR, STOR,
 *                APPE) may go without moving a byte, reading or writing, before it counts as
 *                stalled: it is closed and the transfer fails at once, without waiting for a
 *                final reply a stalled server will not send either
 */
public record Timeouts(Duration connect, Duration reply, Duration data) {
    public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    public Timeouts {
        Objects.requireNonNull(connect);
        Objects.requireNonNull(reply);
        Objects.requireNonNull(data);
    }
}
