package io.sitebridge.transfer.queue;

import java.time.Duration;
import java.util.Objects;

import io.sitebridge.transfer.TransferOptions;

/**
 * How a {@link TransferQueue} works.
 *
 * @param parallel        files transferred at once (each on its own pair of control connections),
 *                        further limited by each site's {@code maxConnections}
 * @param defaultRule     conflict rule for items added without one, and the answer when ASK has
 *                        no resolver
 * @param followLinks     follow symbolic links when listing folders (default: list them as links
 *                        and skip them)
 * @param maxAttempts     attempts per file before it fails (transient errors only)
 * @param firstBackoff    wait before the second attempt; doubled each time up to {@code maxBackoff}
 * @param maxBackoff      longest wait between attempts
 * @param pollInterval    how often the destination's SIZE is polled for a running FXP transfer
 * @param stallTimeout    no growth for this long: abort both sides and retry
 * @param transfer        options of each file's transfer (relay allowed, verify, timeouts, ...)
 * @param verifyCertificates check FTPS certificates against the JVM's trust store
 */
public record QueueOptions(int parallel, ConflictRule defaultRule, boolean followLinks, int maxAttempts,
        Duration firstBackoff, Duration maxBackoff, Duration pollInterval, Duration stallTimeout,
        TransferOptions transfer, boolean verifyCertificates) {

    public static final QueueOptions DEFAULT = new QueueOptions(2, ConflictRule.ASK, false, 5, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(60), TransferOptions.DEFAULT, true);

    public QueueOptions {
        if (parallel < 1 || parallel > 64) {
            throw new IllegalArgumentException("parallel must be 1..64");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(defaultRule);
        Objects.requireNonNull(firstBackoff);
        Objects.requireNonNull(maxBackoff);
        Objects.requireNonNull(pollInterval);
        Objects.requireNonNull(stallTimeout);
        Objects.requireNonNull(transfer);
    }

    public static QueueOptions defaults() { return DEFAULT; }

    public QueueOptions withParallel(int v) { return new QueueOptions(v, defaultRule, followLinks, maxAttempts, firstBackoff, maxBackoff, pollInterval, stallTimeout, transfer, verifyCertificates); }
    public QueueOptions withDefaultRule(ConflictRule v) { return new QueueOptions(parallel, v, followLinks, maxAttempts, firstBackoff, maxBackoff, pollInterval, stallTimeout, transfer, verifyCertificates); }
    public QueueOptions withFollowLinks(boolean v) { return new QueueOptions(parallel, defaultRule, v, maxAttempts, firstBackoff, maxBackoff, pollInterval, stallTimeout, transfer, verifyCertificates); }
    public QueueOptions withRetries(int attempts, Duration first, Duration max) { return new QueueOptions(parallel, defaultRule, followLinks, attempts, first, max, pollInterval, stallTimeout, transfer, verifyCertificates); }
    public QueueOptions withMonitor(Duration poll, Duration stall) { return new QueueOptions(parallel, defaultRule, followLinks, maxAttempts, firstBackoff, maxBackoff, poll, stall, transfer, verifyCertificates); }
    public QueueOptions withTransfer(TransferOptions v) { return new QueueOptions(parallel, defaultRule, followLinks, maxAttempts, firstBackoff, maxBackoff, pollInterval, stallTimeout, v, verifyCertificates); }
    public QueueOptions withVerifyCertificates(boolean v) { return new QueueOptions(parallel, defaultRule, followLinks, maxAttempts, firstBackoff, maxBackoff, pollInterval, stallTimeout, transfer, v); }

    /** The wait before attempt number {@code attempt + 1} (attempt counts from 1). */
    Duration backoff(int attempt) {
        long ms = firstBackoff.toMillis();
        for (int i = 1; i < attempt && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
