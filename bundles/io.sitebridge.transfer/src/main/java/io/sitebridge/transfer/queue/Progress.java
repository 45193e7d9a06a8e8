package io.sitebridge.transfer.queue;

/**
 * How far a running file is.
 *
 * @param itemId         the item
 * @param bytes          bytes at the destination (FXP: its SIZE, polled; relay: counted)
 * @param total          the file's size, or -1
 * @param bytesPerSecond recent rate, or 0 when not known yet
 * @param etaSeconds     seconds left at that rate, or -1
 * @param stalledMillis  how long the destination has not grown (0 while it grows)
 */
public record Progress(long itemId, long bytes, long total, double bytesPerSecond, long etaSeconds,
        long stalledMillis) {
}
