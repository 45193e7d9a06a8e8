package io.sitebridge.core.session;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A data connection {@link FtpSession} opened itself (a listing, RETR, STOR or APPE), with a
 * deadline on every read and write: when no byte moves for the site's data timeout the
 * connection is closed and the read or write fails with one clear line, at once — it does not
 * then wait for the control connection, which a stalled server leaves silent too. Reads are
 * bounded by the socket's read timeout; writes, which a socket cannot time out by itself when
 * the server stops reading, by a watchdog that closes the socket.
 */
final class DataConnection {
    private static final ScheduledExecutorService WATCHDOG;
    static {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sitebridge-data-deadlines");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        WATCHDOG = e;
    }

    private final Socket socket;
    private final long idleNanos;
    private final String site;
    private final String what;
    private final Runnable onStall;
    private volatile boolean stalled;
    private volatile boolean writing;
    private volatile long writeStartedAt;
    private volatile ScheduledFuture<?> watch;

    /**
     * @param idle    how long no byte may move before the connection counts as stalled
     * @param what    what the connection is for, in the message ("RETR /a.iso")
     * @param onStall called once on a stall (the session marks itself broken: its final reply
     *                will not be waited for)
     */
    DataConnection(Socket socket, Duration idle, String site, String what, Runnable onStall) throws SocketException {
        this.socket = socket;
        this.idleNanos = Math.max(1, idle.toNanos());
        this.site = site;
        this.what = what;
        this.onStall = onStall;
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idle.toMillis())));
    }

    /** The data to read; closing it closes the connection. */
    InputStream input() throws IOException {
        return new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw readFailure(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (IOException e) {
                    throw readFailure(e);
                }
            }

            @Override
            public void close() throws IOException {
                DataConnection.this.close();
            }
        };
    }

    /** Where to write the data; closing it closes the connection (the end of the file for STOR). */
    OutputStream output() throws IOException {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleNanos / 4);
        watch = WATCHDOG.scheduleAtFixedRate(this::checkWrite, period, period, TimeUnit.NANOSECONDS);
        return new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeStartedAt = System.nanoTime();
                writing = true;
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw writeFailure(e);
                } finally {
                    writing = false;
                }
            }

            @Override
            public void close() throws IOException {
                // closing a TLS socket writes (close_notify) and may block like any write
                boolean before = stalled;
                writeStartedAt = System.nanoTime();
                writing = true;
                try {
                    DataConnection.this.close();
                } catch (IOException e) {
                    throw writeFailure(e);
                } finally {
                    writing = false;
                }
                if (!before && stalled) {
                    throw stallFailure("could be sent");
                }
            }
        };
    }

    /** Closes the connection (idempotent); stops the watchdog. */
    void close() throws IOException {
        try {
            socket.close();
        } finally {
            if (watch != null) {
                watch.cancel(false);
            }
        }
    }

    private void checkWrite() {
        if (writing && System.nanoTime() - writeStartedAt > idleNanos && !stalled) {
            stalled = true;
            watch.cancel(false);
            try {
                socket.close(); // unblocks the write
            } catch (IOException e) {
                // closed
            }
        }
    }

    private IOException readFailure(IOException e) {
        if (e instanceof SocketTimeoutException) {
            stalled = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed
            }
        }
        if (stalled) {
            return stallFailure("arrived");
        }
        onStall.run(); // the data connection broke: its final reply is not worth waiting for either
        return new FtpException(site, site + ": the data connection broke during " + what + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    private IOException writeFailure(IOException e) {
        if (stalled) {
            return stallFailure("could be sent");
        }
        onStall.run();
        return new FtpException(site, site + ": the data connection broke during " + what + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    private FtpException stallFailure(String verb) {
        onStall.run();
        return new DataStallException(site, site + ": the data connection stalled during " + what + ": nothing "
                + verb + " for " + seconds() + " s; closed it");
    }

    private String seconds() {
        double s = idleNanos / 1e9;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(Math.round(s * 10) / 10.0);
    }
}
