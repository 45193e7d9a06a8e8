package io.sitebridge.core.session;

/** A server sent no (complete) reply in time. The session is out of step afterwards. */
public class ReplyTimeoutException extends FtpException {
    private static final long serialVersionUID = 1L;

    public ReplyTimeoutException(String site, String message, Throwable cause) {
        super(site, message, cause);
    }
}
