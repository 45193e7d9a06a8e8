package io.sitebridge.transfer.queue;

import io.sitebridge.core.session.FtpException;

/**
 * A login refused because the server has as many connections from us as it allows: not a failure
 * of the item that asked (the pool lowered the site's limit; the item waits for a free connection).
 */
public final class TooManyConnections extends FtpException {
    private static final long serialVersionUID = 1L;

    TooManyConnections(String site, String message, FtpException refusal) {
        super(site, message, refusal.reply());
        initCause(refusal);
    }
}
