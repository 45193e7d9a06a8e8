package io.sitebridge.core.session;

import java.io.IOException;

/**
 * A failure talking to one site: a negative or malformed reply, a timeout, a dropped
 * connection, or a command refused before sending. The message is one line a user can
 * read (at most 200 characters, no control characters, the server's part quoted);
 * {@link #site()} names the site and {@link #reply()} holds the reply if there was one.
 */
public class FtpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String site;
    private final transient FtpReply reply;

    public FtpException(String site, String message, FtpReply reply) {
        super(oneLine(message));
        this.site = site;
        this.reply = reply;
    }

    public FtpException(String site, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.site = site;
        this.reply = null;
    }

    public String site() { return site; }

    /**
     * Makes text from a server (or from commons-net, which quotes it) fit one readable line of
     * at most 200 characters: the same as {@link io.sitebridge.core.ServerText#oneLine(String)}.
     */
    public static String oneLine(String text) {
        return io.sitebridge.core.ServerText.oneLine(text);
    }

    /** The reply that caused this, or null (timeouts, dropped connections, refused names). */
    public FtpReply reply() { return reply; }

    /** The reply code, or -1 if there was no reply. */
    public int code() { return reply == null ? -1 : reply.code(); }
}
