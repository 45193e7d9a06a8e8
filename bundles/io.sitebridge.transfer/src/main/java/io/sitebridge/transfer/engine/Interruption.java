package io.sitebridge.transfer.engine;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;

/**
 * How a running copy is stopped from another thread: the user cancels, or the queue's monitor
 * sees the destination stop growing. ABOR goes to the sessions in a transfer, the data stream
 * passing through this client is closed, and when a server does not answer ABOR within the drain
 * time its connection is closed too, so the copy always ends.
 */
final class Interruption {
    private final Duration drain;
    private volatile boolean cancelled;
    private volatile String stall;
    private volatile FtpSession[] running = new FtpSession[0];
    private volatile Closeable stream;

    Interruption(Duration drain) {
        this.drain = drain;
    }

    /** How long a server may take to answer after its transfer was stopped. */
    Duration drain() {
        return drain;
    }

    void cancel() {
        cancelled = true;
        fire();
    }

    void stall(String why) {
        stall = why;
        fire();
    }

    boolean isSet() {
        return cancelled || stall != null;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Throws CANCELLED, or a transient failure for a stall, when the copy was interrupted. */
    void check() throws TransferException {
        if (cancelled) {
            throw new TransferException(TransferException.Reason.CANCELLED, null, "cancelled");
        }
        String s = stall;
        if (s != null) {
            throw new TransferException(TransferException.Reason.CONNECTION, null, s);
        }
    }

    /** These sessions are in a transfer now (empty: none); an interruption sends them ABOR. */
    void running(FtpSession... sessions) {
        running = sessions;
        if (isSet() && sessions.length > 0) {
            fire();
        }
    }

    /** The data stream passing through this client now (null: none); an interruption closes it. */
    void stream(Closeable c) {
        stream = c;
        if (isSet() && c != null) {
            fire();
        }
    }

    private void fire() {
        Closeable c = stream;
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                // closed either way
            }
        }
        FtpSession[] now = running;
        for (FtpSession s : now) {
            s.abortNow();
        }
        if (now.length > 0) {
            // A server that ignores ABOR (or is frozen) would keep the copy waiting for its reply.
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(drain.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (running == now) {
                    for (FtpSession s : now) {
                        s.markBroken();
                        s.close();
                    }
                }
            });
        }
    }
}
