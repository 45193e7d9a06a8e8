package io.sitebridge.core.session;

/**
 * No byte moved on a data connection for the site's data timeout; the connection was closed
 * and the session is out of step (its final reply was not waited for).
 */
public class DataStallException extends FtpException {
    private static final long serialVersionUID = 1L;

    public DataStallException(String site, String message) {
        super(site, message, (FtpReply) null);
    }
}
