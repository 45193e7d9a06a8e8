package io.sitebridge.transfer.queue;

import io.sitebridge.transfer.TransferException;

/** Why one attempt at a file did not finish, and whether another attempt may help. */
final class AttemptFailure extends Exception {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** 421, 425, 426, 450, timeouts, dropped connections, a stall, an incomplete destination. */
        TRANSIENT,
        /** 550, 553, refused FXP without fallback, ...: retrying will not help. */
        PERMANENT,
        CANCELLED
    }

    final Kind kind;
    /** What kind of failure, as the item will report it. */
    final TransferException.Reason problem;

    AttemptFailure(Kind kind, TransferException.Reason problem, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.problem = problem;
    }

    AttemptFailure(Kind kind, String message) {
        this(kind, switch (kind) {
            case TRANSIENT -> TransferException.Reason.CONNECTION;
            case PERMANENT -> TransferException.Reason.SERVER_REFUSED;
            case CANCELLED -> TransferException.Reason.CANCELLED;
        }, message);
    }

    static AttemptFailure transientFailure(String message) {
        return new AttemptFailure(Kind.TRANSIENT, message);
    }

    static AttemptFailure permanent(String message) {
        return new AttemptFailure(Kind.PERMANENT, message);
    }

    /** Transient for 4xx replies and no reply at all; permanent for 5xx. */
    static AttemptFailure byCode(int code, String message) {
        return new AttemptFailure(code >= 500 ? Kind.PERMANENT : Kind.TRANSIENT, message);
    }
}
