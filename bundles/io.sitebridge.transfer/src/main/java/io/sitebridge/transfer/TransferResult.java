package io.sitebridge.transfer;

import java.time.Duration;
import java.util.List;

/**
 * A transfer that succeeded: both servers answered 2xx, the destination SIZE equals the
 * source SIZE, and the content check (if any) matched.
 *
 * @param strategy     what moved the bytes
 * @param bytes        the file's size
 * @param contentCheck how the content was compared, e.g. {@code "XMD5"}, {@code "SHA-256 via client"},
 *                     or {@code "size only"}
 * @param elapsed      wall-clock time including refused attempts
 * @param notes        what happened on the way (refusals, reversal, fallback), in order
 */
public record TransferResult(Strategy strategy, long bytes, String contentCheck, Duration elapsed, List<String> notes) {
    public TransferResult {
        notes = List.copyOf(notes);
    }
}
