package io.sitebridge.core.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

import org.apache.commons.net.MalformedServerReplyException;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.io.CRLFLineReader;

/**
 * What both control clients ({@link PlainControlClient}, {@link TlsControlClient}) add to
 * commons-net, in one place:
 * <ul>
 * <li>every reply, the greeting included, is read through a {@link BoundedLineReader}: a line
 * of at most {@link #MAX_LINE} characters, a reply of at most {@link #MAX_REPLY} characters,
 * finished within the reply timeout once it has begun; a server that exceeds a bound is cut
 * off ({@link FtpSession} closes the connection);</li>
 * <li>data connections fall back from PASV to EPSV and from EPSV to PASV when the server
 * refuses one (5xx) or answers it unreadably, and keep using what worked for the session;</li>
 * <li>commands sent ahead (pipelined, {@link FtpSession#sendAhead}): their replies are read, in
 * order, before any other command goes out, unless the session takes one as the reply to the
 * same command sent again ({@link #takeAhead});</li>
 * <li>replies owed to a caller that went on ({@link FtpSession#owe}): they come before any reply
 * to a command sent ahead or later, and are read, in order, and handed to their handlers before
 * any other reply is read.</li>
 * </ul>
 */
final class ControlGuard {
    /** The longest reply line read from a server, in characters. */
    static final int MAX_LINE = 16 * 1024;
    /** The longest whole (multi-line) reply read from a server, in characters, line ends included. */
    static final int MAX_REPLY = 256 * 1024;

    /** The commons-net call that opens one data connection (a {@code super} call in the client). */
    interface DataOpener {
        Socket open() throws IOException;
    }

    private final FTPClient client;
    private volatile long replyCompleteWithinNanos = Duration.ofSeconds(30).toNanos();
    private String lastVerb = "";
    private boolean sentPasv;
    private boolean sentEpsv;
    /** Commands sent ahead whose replies are still to be read, oldest first. */
    private final java.util.ArrayDeque<String> ahead = new java.util.ArrayDeque<>();
    /**
     * Replies owed to callers that went on, oldest first: all of them come before those of
     * {@link #ahead}. Guarded by itself: a session closed from another thread loses them there.
     */
    private final java.util.ArrayDeque<Owed> owed = new java.util.ArrayDeque<>();

    private record Owed(int withinMillis, FtpSession.OwedReply handler) { }

    ControlGuard(FTPClient client) {
        this.client = client;
    }

    /** How long a reply may take from its first character to its last. */
    void setReplyCompleteWithin(Duration d) {
        replyCompleteWithinNanos = Math.max(1, d.toNanos());
    }

    /** The last command sent through commons-net, upper case (not those sent without a reply). */
    String lastVerb() {
        return lastVerb;
    }

    /** Whether the last data connection attempt sent both PASV and EPSV. */
    boolean triedBothPassiveVerbs() {
        return sentPasv && sentEpsv;
    }

    /**
     * Writes {@code commands} to the control connection without reading replies, in one write
     * (short lines leave in one TCP segment), holding {@code lock} (the client: ABOR may be written
     * from another thread), then tells the dialogue listeners ({@code fired}: the client's
     * {@code fireCommandSent}). The one body of both clients' {@link RawControl#sendWithoutReply}.
     */
    static void write(java.io.Writer out, Object lock, String[] commands,
            java.util.function.BiConsumer<String, String> fired) throws IOException {
        synchronized (lock) {
            for (String command : commands) {
                out.write(command + "\r\n");
            }
            out.flush();
        }
        for (String command : commands) {
            fired.accept(command, command + "\r\n");
        }
    }

    /** A command was sent ahead of the replies still to come. */
    void sentAhead(String command) {
        ahead.add(command);
    }

    int aheadCount() {
        return ahead.size();
    }

    /** Whether replies to commands sent ahead are still to be read. */
    boolean hasAhead() {
        return !ahead.isEmpty();
    }

    /** If {@code command} is the oldest command sent ahead: forgets it (its reply is the next to read) and returns true. */
    boolean takeAhead(String command) {
        if (command.equals(ahead.peekFirst())) {
            ahead.pollFirst();
            return true;
        }
        return false;
    }

    /** The replies to commands sent ahead will be skipped by the caller (a resync): not read here. */
    void forgetAhead() {
        ahead.clear();
    }

    /**
     * Reads (into the dialogue) and drops the replies to commands sent ahead that nobody took,
     * after the owed replies before them. With nothing sent ahead, owed replies stay owed: a
     * command may go out before they are read.
     */
    void settleAhead() throws IOException {
        if (ahead.isEmpty()) {
            return;
        }
        settleOwed(client.getSoTimeout());
        while (!ahead.isEmpty()) {
            ahead.pollFirst();
            client.getReply();
        }
    }

    /** The next reply after those owed already is {@code handler}'s, within {@code withinMillis} once the earlier ones came. */
    void owe(int withinMillis, FtpSession.OwedReply handler) {
        synchronized (owed) {
            owed.add(new Owed(Math.max(1, withinMillis), handler));
        }
    }

    /** The oldest owed reply's entry, taken (each is taken once: a session closed from another thread loses them there). */
    private Owed nextOwed() {
        synchronized (owed) {
            return owed.pollFirst();
        }
    }

    /** Whether owed replies are still to be read. */
    boolean hasOwed() {
        synchronized (owed) {
            return !owed.isEmpty();
        }
    }

    /** If {@code command} is the oldest command sent ahead, its reply becomes owed to {@code handler}; else false. */
    boolean oweAhead(String command, int withinMillis, FtpSession.OwedReply handler) {
        if (!takeAhead(command)) {
            return false;
        }
        owe(withinMillis, handler);
        return true;
    }

    /**
     * Reads the owed replies, in order, each within its own time (and {@code capMillis}, 0 for no
     * cap), and hands each to its handler. When one cannot be read, it and every one after it are
     * lost (their handlers are told) and the failure is thrown: the session is out of step.
     */
    void settleOwed(int capMillis) throws IOException {
        for (Owed o = nextOwed(); o != null; o = nextOwed()) {
            int before = client.getSoTimeout();
            FtpReply reply;
            try {
                client.setSoTimeout(capMillis > 0 ? Math.min(capMillis, o.withinMillis()) : o.withinMillis());
                client.getReply();
                String[] lines = client.getReplyStrings();
                reply = new FtpReply(client.getReplyCode(), lines == null ? java.util.List.of()
                        : java.util.Arrays.asList(lines));
            } catch (IOException | RuntimeException e) {
                String why = e instanceof java.net.SocketTimeoutException ? "no reply in time"
                        : e.getMessage() == null ? e.toString() : e.getMessage();
                lost(o.handler(), why);
                loseOwed(why);
                throw e instanceof IOException io ? io : new IOException(why, e);
            } finally {
                if (client.isConnected()) {
                    client.setSoTimeout(before);
                }
            }
            try {
                o.handler().arrived(reply);
            } catch (RuntimeException e) {
                // a handler's own failure is its business: the dialogue stays in step
            }
        }
    }

    /** The owed replies will never be read (the session broke, closed or was resynchronized): their handlers are told. */
    void loseOwed(String why) {
        for (Owed o = nextOwed(); o != null; o = nextOwed()) {
            lost(o.handler(), why);
        }
    }

    private static void lost(FtpSession.OwedReply handler, String why) {
        try {
            handler.lost(why);
        } catch (RuntimeException e) {
            // as in settleOwed
        }
    }

    /** Called with every command the client sends through commons-net, before it goes out. */
    void sent(String command) throws IOException {
        settleOwed(client.getSoTimeout()); // commons-net reads this command's reply next
        settleAhead();
        String verb = command == null ? "" : command.trim().toUpperCase(Locale.ROOT);
        lastVerb = verb;
        if (verb.equals("PASV")) {
            sentPasv = true;
        } else if (verb.equals("EPSV")) {
            sentEpsv = true;
        }
    }

    /**
     * Before commons-net reads a reply: the control reader, bounded. It replaces the client's
     * current one, which has read nothing yet (it is made at the connection's start, and again
     * by TLS negotiation: so this is checked at every reply), and reads the control socket's
     * bytes in the control encoding as that one would have.
     */
    BufferedReader startReply(BufferedReader current, Socket socket, String encoding) throws IOException {
        BoundedLineReader r;
        if (current instanceof BoundedLineReader b) {
            r = b;
        } else {
            boolean crlfOnly = current instanceof CRLFLineReader;
            r = socket == null ? new BoundedLineReader(current, MAX_LINE, MAX_REPLY, "reply", crlfOnly)
                    : new BoundedLineReader(socket.getInputStream(), java.nio.charset.Charset.forName(encoding),
                            MAX_LINE, MAX_REPLY, "reply", crlfOnly);
        }
        r.startReply(replyCompleteWithinNanos);
        return r;
    }

    /**
     * Opens a data connection as commons-net does, trying the other passive command once when
     * the server refuses the first, and remembering the one that worked.
     */
    Socket openData(DataOpener opener) throws IOException {
        boolean ipv6 = client.getRemoteAddress() instanceof Inet6Address;
        sentPasv = false;
        sentEpsv = false;
        Socket s;
        try {
            s = opener.open();
        } catch (MalformedServerReplyException e) {
            // an unreadable 227 or 229 (a reply to anything else is not ours to retry)
            if (!passiveVerbFailed(ipv6)) {
                throw e;
            }
            s = null;
        }
        if (s == null && passiveVerbFailed(ipv6) && client.getReplyCode() != 421) {
            // the other one, from now on on this session (both flags stay set: the message names both)
            client.setUseEPSVwithIPv4(lastVerb.equals("PASV"));
            return opener.open();
        }
        if (s != null && !ipv6 && client.isUseEPSVwithIPv4() && sentEpsv && sentPasv) {
            // commons-net fell back from EPSV to PASV by itself: stay with PASV on this session
            client.setUseEPSVwithIPv4(false);
        }
        return s;
    }

    /** The last command was PASV or EPSV, it failed, and the other one was not tried yet. */
    private boolean passiveVerbFailed(boolean ipv6) {
        if (ipv6) {
            return false; // PASV cannot carry an IPv6 address: nothing to fall back to
        }
        int code = client.getReplyCode();
        boolean refused = code >= 500 || code == 227 || code == 229; // 227/229 here: unreadable
        return refused && ((lastVerb.equals("PASV") && !sentEpsv) || (lastVerb.equals("EPSV") && !sentPasv));
    }
}
