package io.sitebridge.transfer.queue;

import java.util.Locale;
import java.util.regex.Pattern;

import io.sitebridge.core.session.FtpReply;

/**
 * Tells a server's "too many connections" refusal (a 421 greeting, a 421 or 530 to USER or PASS)
 * from every other refusal: a wrong password (530) stays a login failure, a server shutting down
 * (421) stays a connection failure. What servers say, as seen on the real ones:
 * <ul>
 * <li>vsftpd: {@code 421 There are too many connections from your internet address.},
 * {@code 421 There are too many connected users, please try later.}</li>
 * <li>proftpd: {@code 530 Sorry, the maximum number of clients (2) from your host are already connected.},
 * {@code 530 Sorry, the maximum number of allowed clients (2) are already connected.}</li>
 * <li>pure-ftpd: {@code 421 Too many connections (2) from this IP}, {@code 421 N users (the maximum) are
 * already logged in, sorry}</li>
 * <li>Apache FtpServer: {@code 421 Maximum server connection has been reached.},
 * {@code 421 Too many users logged in, closing connection}</li>
 * </ul>
 * The text is the server's and therefore hostile: it only ever decides between "wait for a free
 * connection" and "fail", never anything beyond that.
 */
final class ConnectionLimitReply {
    private ConnectionLimitReply() {
    }

    /** Too many of something that is a connection. */
    private static final Pattern TOO_MANY = Pattern.compile(
            "\\b(too many|maximum( number of)?( allowed)?|max(imum)? of|limit (of|on|for)|no more)\\b.{0,40}"
                    + "\\b(connection|client|user|login|session|ftp user)s?\\b"
                    + "|\\b(connection|client|user|login|session)s?\\b.{0,40}\\b(limit|maximum)\\b"
                    + "|\\(the maximum\\)|\\bserver is full\\b");
    /** Words of refusals that are about this login, not about the others. */
    private static final Pattern NOT_A_LIMIT = Pattern.compile(
            "\\b(password|incorrect|invalid|denied|attempts?|failed|failures?|unknown|not allowed|banned)\\b");

    /** Whether the reply refuses a login (421, or 530) because the server's connection limit is reached. */
    static boolean matches(FtpReply reply) {
        if (reply == null || reply.code() != 421 && reply.code() != 530) {
            return false;
        }
        String text = reply.text().toLowerCase(Locale.ROOT);
        if (text.length() > 600) {
            return false; // not a one-line refusal
        }
        return TOO_MANY.matcher(text).find() && !NOT_A_LIMIT.matcher(text).find();
    }
}
