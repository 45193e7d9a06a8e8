package io.sitebridge.core.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;

/**
 * Reads lines of bounded length from a server, never buffering more than its bounds: the
 * control connection (each reply line, each whole reply, and the time a reply that has begun
 * may take to end) and listings on data connections (each line). Lines end as they did in the
 * reader it replaces (CR LF only, or CR, LF and CR LF). Exceeding a bound throws
 * {@link ReplyLimitException} after at most the bound (plus one buffer) was read.
 *
 * <p>Made on a connection's bytes, it decodes them itself: an {@link java.io.InputStreamReader}
 * asks the socket how much more is there (a system call, {@code FIONREAD}) after every read, a
 * few times per file of a folder copy.
 */
final class BoundedLineReader extends BufferedReader {
    private static final int BUFFER = 8192;
    private final Reader in;
    private final InputStream bytesIn;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes;
    private final char[] buf = new char[BUFFER];
    private int pos;
    private int end;
    private final int maxLine;
    private final long maxReply;
    private final String what;
    private final boolean crlfOnly;
    private boolean skipLf;
    private long replyChars;
    private long completeWithinNanos;
    private long startedAt;
    private boolean started;
    private boolean ended; // the connection's bytes ended (and the decoder was flushed)

    /**
     * @param maxLine  the longest line in characters (its CR LF not counted)
     * @param maxReply the most characters (line ends included) between two {@link #startReply()} calls
     * @param what     what the lines are, for the message: "reply", "listing"
     * @param crlfOnly whether only CR LF ends a line (commons-net's rule for plain control
     *                 connections); else CR, LF or CR LF do (java.io.BufferedReader's rule)
     */
    BoundedLineReader(Reader in, int maxLine, long maxReply, String what, boolean crlfOnly) {
        this(in, null, null, maxLine, maxReply, what, crlfOnly);
    }

    /**
     * As {@link #BoundedLineReader(Reader, int, long, String, boolean)}, on bytes in {@code encoding}
     * (what cannot be decoded becomes U+FFFD, as in an {@link java.io.InputStreamReader}).
     */
    BoundedLineReader(InputStream in, Charset encoding, int maxLine, long maxReply, String what, boolean crlfOnly) {
        this(Reader.nullReader(), in, encoding, maxLine, maxReply, what, crlfOnly);
    }

    private BoundedLineReader(Reader in, InputStream bytesIn, Charset encoding, int maxLine, long maxReply,
            String what, boolean crlfOnly) {
        super(in, 1);
        this.in = in;
        this.bytesIn = bytesIn;
        this.decoder = encoding == null ? null : encoding.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        this.bytes = encoding == null ? null : ByteBuffer.allocate(BUFFER).flip(); // empty, to be read from
        this.crlfOnly = crlfOnly;
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
                skipLf = false;
                return partial == null || partial.isEmpty() ? null : partial.toString();
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') { // the LF of a CR LF whose CR ended the last line
                    pos++;
                    replyChars++;
                    continue;
                }
            }
            int i = pos;
            for (; i < end; i++) {
                char c = buf[i];
                if (c == '\n' && (!crlfOnly || (i > pos ? buf[i - 1] == '\r'
                        : partial != null && !partial.isEmpty() && partial.charAt(partial.length() - 1) == '\r'))) {
                    break;
                }
                if (c == '\r' && !crlfOnly) {
                    break;
                }
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
                char eol = buf[i];
                String s = partial == null ? new String(buf, pos, n) : partial.append(buf, pos, n).toString();
                pos = i + 1;
                if (eol == '\r') {
                    skipLf = true;
                } else if (crlfOnly) {
                    s = s.substring(0, s.length() - 1); // the CR of the CR LF
                }
                return s;
            }
            if (partial == null) {
                partial = new StringBuilder(Math.max(16, n * 2));
            }
            partial.append(buf, pos, n);
            pos = end;
        }
    }

    /** Reads more; false at the end of the stream. Checks the time a begun reply has taken. */
    private boolean fill() throws IOException {
        if (started && completeWithinNanos > 0 && System.nanoTime() - startedAt > completeWithinNanos) {
            throw new ReplyLimitException("did not finish its " + what + " within "
                    + seconds(completeWithinNanos) + " s", replyChars);
        }
        int n = bytesIn == null ? in.read(buf, 0, BUFFER) : decode();
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

    /**
     * Decodes into {@code buf} what the connection has: at least one character (waiting for bytes
     * only while it has none), or -1 at its end. A character whose bytes are split between two
     * reads waits in {@code bytes} for the rest.
     */
    private int decode() throws IOException {
        if (ended) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(buf);
        boolean eof = false;
        while (true) {
            decoder.decode(bytes, out, eof);
            if (eof) {
                decoder.flush(out);
                ended = true;
                return out.position() > 0 ? out.position() : -1;
            }
            if (out.position() > 0) {
                return out.position();
            }
            bytes.compact();
            int n;
            try {
                n = bytesIn.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            } finally {
                bytes.flip(); // what was read, or what was left, to be decoded
            }
            if (n < 0) {
                eof = true;
            } else {
                bytes.limit(bytes.limit() + n);
            }
        }
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
        return pos < end || (bytesIn == null ? in.ready() : bytes.hasRemaining() || bytesIn.available() > 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (bytesIn != null) {
            bytesIn.close();
        }
        in.close();
    }
}
