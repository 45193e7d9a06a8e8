package io.sitebridge.ui.queue;

import java.util.concurrent.atomic.AtomicLong;

import io.sitebridge.ui.browse.Endpoint;

/**
 * One entry of the transfer queue. The queue's workers write its progress
 * fields; views read them (all volatile) and never change them.
 */
public final class QueueItem {

    /** How the bytes of this item move. */
    public enum Kind {
        FXP("FXP"), UPLOAD("Upload"), DOWNLOAD("Download"), LOCAL("Local copy");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Endpoint from;
    private volatile Endpoint to;
    private final boolean folder;
    private final Batch batch;
    private final Kind kind;

    volatile QueueState state = QueueState.WAITING;
    volatile long size;
    volatile long transferred;
    volatile long startedNanos;
    volatile long finishedNanos;
    volatile double bytesPerSecond;
    volatile String detail = "";
    volatile boolean cancelRequested;
    volatile Runnable canceller;

    QueueItem(TransferRequest request, Batch batch) {
        this.from = request.from();
        this.to = request.to();
        this.folder = request.folder();
        this.size = request.size();
        this.batch = batch;
        this.kind = kindOf(from, to);
    }

    static Kind kindOf(Endpoint from, Endpoint to) {
        if (from.isLocal()) {
            return to.isLocal() ? Kind.LOCAL : Kind.UPLOAD;
        }
        return to.isLocal() ? Kind.DOWNLOAD : Kind.FXP;
    }

    public long id() { return id; }
    public String name() { return from.name(); }
    public Endpoint from() { return from; }
    public Endpoint to() { return to; }
    void retarget(Endpoint newTo) { this.to = newTo; }
    public boolean isFolder() { return folder; }
    public Batch batch() { return batch; }
    public Kind kind() { return kind; }
    public QueueState state() { return state; }
    /** Bytes, or -1 when unknown. */
    public long size() { return size; }
    public long transferred() { return transferred; }
    /** What happened: the strategy and check of a done item, the reason of a failed one. */
    public String detail() { return detail; }
    public double bytesPerSecond() { return bytesPerSecond; }

    /** 0..1, or -1 when it cannot be known. */
    public double fraction() {
        if (state == QueueState.DONE) {
            return 1;
        }
        long s = size;
        return s > 0 ? Math.min(1, (double) transferred / s) : -1;
    }

    /** Seconds left at the current rate, or -1. */
    public long etaSeconds() {
        double rate = bytesPerSecond;
        long s = size;
        if (state != QueueState.RUNNING || rate <= 0 || s <= 0) {
            return -1;
        }
        return (long) Math.ceil((s - transferred) / rate);
    }

    @Override
    public String toString() {
        return kind.label() + " " + from + " -> " + to + " [" + state.label() + "]";
    }
}
