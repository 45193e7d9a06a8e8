package io.sitebridge.core.session;

import java.io.IOException;

/**
 * A failure talking to one site: a negative or malformed reply, a timeout, a dropped
 * connection, or a command refused before sending. The message is one line a user can
 * read; {@link #site()} names the site and {@link #reply()} holds the reply if there was one.
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
     * Makes text from a server (or from commons-net, which quotes it) fit one readable line:
     * line breaks become spaces, other control characters {@code ?}, and it is cut at 500 characters.
     */
    public static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        String s = text.replaceAll("[\\r\\n]+", " ").trim();
        StringBuilder b = new StringBuilder(Math.min(s.length(), 501));
        for (int i = 0; i < s.length() && b.length() < 500; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\ufffd' ? '?' : c);
        }
        if (b.length() < s.length()) {
            b.append('\u2026');
        }
        return b.toString();
    }

    /** The reply that caused this, or null (timeouts, dropped connections, refused names). */
    public FtpReply reply() { return reply; }

    /** The reply code, or -1 if there was no reply. */
    public int code() { return reply == null ? -1 : reply.code(); }
}
