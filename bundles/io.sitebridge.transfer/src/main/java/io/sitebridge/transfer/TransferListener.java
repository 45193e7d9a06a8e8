package io.sitebridge.transfer;

/**
 * Observes one transfer. Called on the transferring thread; keep it quick. During FXP the
 * client sees no data, so {@link #bytesTransferred} is called only for relayed transfers
 * and at the end.
 */
public interface TransferListener {
    TransferListener NONE = new TransferListener() { };

    /** A strategy is about to be tried. */
    default void attempt(Strategy strategy) { }

    /** Bytes moved so far (relay), or the final size (FXP). {@code total} is -1 when unknown. */
    default void bytesTransferred(long bytes, long total) { }
}
