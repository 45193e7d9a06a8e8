package io.sitebridge.transfer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.ServerText;

/**
 * A transfer that did not complete. {@link #getMessage()} is one line of at most
 * {@link ServerText#MAX_LINE} characters for the user: what failed and the server's words,
 * quoted and shortened. {@link #details()} are further lines of our own, each as short: the
 * remedy (for FXP refusals, the setting that would allow it) and what was done about the
 * failure (an incomplete copy removed). The command line prints them under the error, the
 * queue view in the item's tool tip.
 */
public class TransferException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the transfer failed, for callers that react (retry, ask the user, ...). */
    public enum Reason {
        /** A server refused FXP and relaying was not allowed. */
        FXP_REFUSED,
        /** Protected data needs a server that can be the TLS client (SSCN/CPSV), and none can. */
        TLS_FXP_IMPOSSIBLE,
        /** A server refused a command (550 no such file, 553 not allowed, ...). */
        SERVER_REFUSED,
        /** Destination SIZE differs from source SIZE, or hashes differ. */
        VERIFY_FAILED,
        /** A connection dropped, timed out, or a reply was malformed. */
        CONNECTION,
        /** A path or name was refused before sending (CR/LF in it). */
        INVALID_NAME,
        /** The user cancelled. */
        CANCELLED
    }

    private final Reason reason;
    private final String refusingSite;
    private final int code;
    private final List<String> details;

    /** @param code the server's reply code behind the failure, or -1 (taken from an FtpException cause when -1) */
    public TransferException(Reason reason, String refusingSite, String message, Throwable cause, int code) {
        this(reason, refusingSite, message, List.of(), cause, code);
    }

    /** @param details further lines for the user (remedies, what was cleaned up); each is made one short line */
    public TransferException(Reason reason, String refusingSite, String message, List<String> details,
            Throwable cause, int code) {
        super(ServerText.oneLine(message), cause);
        this.reason = reason;
        this.refusingSite = refusingSite;
        this.code = code >= 0 ? code
                : cause instanceof io.sitebridge.core.session.FtpException fe ? fe.code() : -1;
        List<String> d = new ArrayList<>(details.size());
        for (String line : details) {
            if (line != null && !line.isBlank() && !d.contains(line)) {
                d.add(ServerText.oneLine(line));
            }
        }
        this.details = List.copyOf(d);
    }

    public TransferException(Reason reason, String refusingSite, String message, Throwable cause) {
        this(reason, refusingSite, message, cause, -1);
    }

    public TransferException(Reason reason, String refusingSite, String message) {
        this(reason, refusingSite, message, null, -1);
    }

    public Reason reason() { return reason; }

    /** Lines under the message: remedies and what was done about the failure; empty when none. */
    public List<String> details() { return details; }

    /** This failure with one more line under its message (same reason, site, code and cause). */
    public TransferException withDetail(String line) {
        List<String> d = new ArrayList<>(details);
        d.add(line);
        TransferException e = new TransferException(reason, refusingSite, getMessage(), d, getCause(), code);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The display name of the site that refused or failed, or null when not one site's doing. */
    public String refusingSite() { return refusingSite; }

    /** The reply code behind the failure, or -1 when there was none (a dropped connection, a local error). */
    public int code() { return code; }

    /**
     * Whether another attempt cannot help: a refusal with a 5xx code (or none, such as a missing
     * local file), refused FXP, impossible protected FXP, a name that cannot be sent. Dropped
     * connections, timeouts, 4xx replies, an incomplete or different copy are worth retrying.
     */
    public boolean isPermanent() {
        return switch (reason) {
            case CONNECTION, VERIFY_FAILED, CANCELLED -> false;
            case SERVER_REFUSED -> code < 400 || code >= 500;
            default -> true;
        };
    }
}
