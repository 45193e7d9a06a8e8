package io.sitebridge.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of a session: connecting, waiting for a control reply, and idle data
 * connections. Nothing in Sitebridge waits on the network without one of these.
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
