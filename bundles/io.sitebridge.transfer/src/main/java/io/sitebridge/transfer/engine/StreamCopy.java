package io.sitebridge.transfer.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;

/**
 * The strategies whose bytes pass through this client: relay (server to server), upload and
 * download. One loop for all three: read the source from the offset on, write (or append to) the
 * destination, constant memory, progress a few times a second, stopped by an {@link Interruption}
 * closing the stream.
 */
final class StreamCopy {
    private static final int BUFFER = 64 * 1024;
    /** Progress a few times a second, and at least every MiB (a listener may act on it, e.g. cancel). */
    private static final long PROGRESS_NANOS = 250_000_000L;
    private static final long PROGRESS_BYTES = 1 << 20;

    private final Place source;
    private final Place destination;
    private final Interruption stop;

    StreamCopy(Place source, Place destination, Interruption stop) {
        this.source = source;
        this.destination = destination;
        this.stop = stop;
    }

    /** Copies {@code sourcePath} from byte {@code offset} on to {@code workPath} (appending when offset > 0). */
    void copy(String sourcePath, String workPath, long size, long offset, TransferListener listener)
            throws TransferException {
        InputStream in = source.read(sourcePath, offset);
        OutputStream out;
        try {
            out = destination.write(workPath, offset > 0);
        } catch (TransferException e) {
            closeQuietly(in);
            source.abandon(); // its transfer was started for nothing
            throw e;
        }
        long done = offset;
        try {
            stop.stream(in);
            byte[] buffer = new byte[BUFFER];
            long last = System.nanoTime();
            long reported = done;
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                done += n;
                long now = System.nanoTime();
                if (now - last >= PROGRESS_NANOS || done - reported >= PROGRESS_BYTES) {
                    last = now;
                    reported = done;
                    listener.bytesTransferred(done, size);
                }
            }
            stop.stream(null);
            out.close();
            in.close();
        } catch (IOException e) {
            stop.stream(null);
            closeQuietly(out);
            closeQuietly(in);
            if (stop.isSet()) { // a cancel or a stall closed the stream: both servers still answer
                destination.settle(stop.drain());
                source.settle(stop.drain());
                stop.check();
            }
            source.abandon();
            destination.abandon();
            throw new TransferException(TransferException.Reason.CONNECTION, null, "the data connection broke after "
                    + done + " bytes: " + e.getMessage(), e);
        }
        listener.bytesTransferred(done, size);
        destination.finish();
        source.finish();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do
        }
    }
}
