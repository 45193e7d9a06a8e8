package io.sitebridge.core.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of bounded length from a server, never buffering more than its bounds: the
 * control connection (each reply line, each whole reply, and the time a reply that has begun
 * may take to end) and listings on data connections (each line). A line ends at LF; a CR
 * before it is dropped. Exceeding a bound throws {@link ReplyLimitException} after at most
 * the bound (plus one buffer) was read.
 */
final class BoundedLineReader extends BufferedReader {
    private static final int BUFFER = 8192;
    private final Reader in;
    private final char[] buf = new char[BUFFER];
    private int pos;
    private int end;
    private final int maxLine;
    private final long maxReply;
    private final String what;
    private long replyChars;
    private long completeWithinNanos;
    private long startedAt;
    private boolean started;

    /**
     * @param maxLine  the longest line in characters (its CR LF not counted)
     * @param maxReply the most characters (line ends included) between two {@link #startReply()} calls
     * @param what     what the lines are, for the message: "reply", "listing"
     */
    BoundedLineReader(Reader in, int maxLine, long maxReply, String what) {
        super(in, 1);
        this.in = in;
        this.maxLine = maxLine;
        this.maxReply = maxReply;
        this.what = what;
    }

    /**
     * Starts counting a new reply: its characters against the reply bound and, once its first
     * character is here, its time against {@code completeWithinNanos} (0 for no limit).
     */
    void startReply(long completeWithinNanos) {
        this.replyChars = 0;
        this.completeWithinNanos = completeWithinNanos;
        this.started = pos < end;
        this.startedAt = System.nanoTime();
    }

    /** Characters read for the current reply (since {@link #startReply(long)}). */
    long replyChars() {
        return replyChars;
    }

    @Override
    public String readLine() throws IOException {
        StringBuilder partial = null;
        while (true) {
            if (pos == end && !fill()) {
                return partial == null || partial.isEmpty() ? null : stripCr(partial.toString());
            }
            int i = pos;
            while (i < end && buf[i] != '\n') {
                i++;
            }
            int n = i - pos;
            boolean found = i < end;
            long line = (partial == null ? 0 : partial.length()) + n;
            replyChars += n + (found ? 1 : 0);
            if (line > maxLine + 1L) { // + 1: the CR before the LF
                pos = i;
                throw new ReplyLimitException("sent a " + what + " line longer than " + maxLine + " characters",
                        replyChars);
            }
            if (replyChars > maxReply) {
                pos = i;
                throw new ReplyLimitException("sent a " + what + " longer than " + maxReply + " characters",
                        replyChars);
            }
            if (found) {
                String s;
                if (partial == null) {
                    s = new String(buf, pos, n);
                } else {
                    s = partial.append(buf, pos, n).toString();
                }
                pos = i + 1;
                return stripCr(s);
            }
            if (partial == null) {
                partial = new StringBuilder(Math.max(16, n * 2));
            }
            partial.append(buf, pos, n);
            pos = end;
        }
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads more; false at the end of the stream. Checks the time a begun reply has taken. */
    private boolean fill() throws IOException {
        if (started && completeWithinNanos > 0 && System.nanoTime() - startedAt > completeWithinNanos) {
            throw new ReplyLimitException("did not finish its " + what + " within "
                    + seconds(completeWithinNanos) + " s", replyChars);
        }
        int n = in.read(buf, 0, BUFFER);
        if (n < 0) {
            pos = end = 0;
            return false;
        }
        pos = 0;
        end = n;
        if (!started) {
            started = true;
            startedAt = System.nanoTime();
        } else if (completeWithinNanos > 0 && System.nanoTime() - startedAt > completeWithinNanos) {
            throw new ReplyLimitException("did not finish its " + what + " within "
                    + seconds(completeWithinNanos) + " s", replyChars);
        }
        return true;
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(Math.round(s * 10) / 10.0);
    }

    @Override
    public int read() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos++];
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == end && !fill()) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, cbuf, off, n);
        pos += n;
        return n;
    }

    @Override
    public boolean ready() throws IOException {
        return pos < end || in.ready();
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
