package io.sitebridge.core.session;

import java.io.IOException;

import io.sitebridge.core.ServerText;

/**
 * A failure talking to one site: a negative or malformed reply, a timeout, a dropped
 * connection, or a command refused before sending. The message is one line a user can
 * read (at most 200 characters, no control characters, the server's part quoted; a
 * {@link CertificateRefusedException} may be longer, it names two fingerprints in full);
 * {@link #site()} names the site and {@link #reply()} holds the reply if there was one.
 */
public class FtpException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String site;
    private final transient FtpReply reply;

    public FtpException(String site, String message, FtpReply reply) {
        super(ServerText.oneLine(message));
        this.site = site;
        this.reply = reply;
    }

    public FtpException(String site, String message, Throwable cause) {
        super(ServerText.oneLine(message), cause);
        this.site = site;
        this.reply = null;
    }

    /** A message longer than usual (at most {@code max} characters), for subclasses that must name long values. */
    protected FtpException(String site, String message, Throwable cause, int max) {
        super(ServerText.oneLine(message, max), cause);
        this.site = site;
        this.reply = null;
    }

    public String site() { return site; }

    /** The reply that caused this, or null (timeouts, dropped connections, refused names). */
    public FtpReply reply() { return reply; }

    /** The reply code, or -1 if there was no reply. */
    public int code() { return reply == null ? -1 : reply.code(); }
}
