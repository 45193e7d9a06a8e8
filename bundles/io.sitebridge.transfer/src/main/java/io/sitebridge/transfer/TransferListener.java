package io.sitebridge.transfer;

/**
 * Observes one file's way through the transfer pipeline ({@link io.sitebridge.transfer.engine.FileTransfer}).
 * Called on the transferring thread; keep it quick. During FXP the client sees no data, so
 * {@link #bytesTransferred} is called only when the bytes pass through this client, and at the end.
 */
public interface TransferListener {
    TransferListener NONE = new TransferListener() { };

    /** The source turned out to have {@code size} bytes (asked again, not taken from a listing). */
    default void sized(long size) { }

    /** RENAME: the copy goes to {@code destinationPath} instead, a name that was free. */
    default void renamed(String destinationPath) { }

    /**
     * About to write {@code workPath} on the destination for the first time: the destination itself,
     * or its temporary sibling when a file of {@code existingBefore} bytes (-1: none) is being
     * replaced. A caller that keeps a journal records this before anything is written.
     */
    default void claimed(String workPath, long existingBefore) { }

    /**
     * With {@link TransferOptions#keepTimes()}: the source's time as this attempt begins. A caller
     * that keeps a journal records it ({@link io.sitebridge.transfer.engine.FileTransfer.Request#sourceModified()})
     * so that a later attempt resumes what this one wrote only while the source is unchanged.
     */
    default void sourceTimed(java.time.Instant time) { }

    /** A strategy is about to be tried, writing {@code workPath} from byte {@code offset} on. */
    default void attempt(Strategy strategy, String workPath, long offset) { }

    /** Bytes at the destination so far (when they pass through this client), or the final size. {@code total} is -1 when unknown. */
    default void bytesTransferred(long bytes, long total) { }
}
