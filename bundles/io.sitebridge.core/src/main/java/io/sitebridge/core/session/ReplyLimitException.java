package io.sitebridge.core.session;

import java.io.IOException;

/**
 * A server exceeded a bound on what Sitebridge reads from it: a reply line or a whole reply
 * too long, or a reply that began but did not end in time. The connection is cut off.
 */
final class ReplyLimitException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long charsRead;

    ReplyLimitException(String message, long charsRead) {
        super(message);
        this.charsRead = charsRead;
    }

    /** How many characters of the offending reply had been read when it was cut off. */
    long charsRead() {
        return charsRead;
    }
}
