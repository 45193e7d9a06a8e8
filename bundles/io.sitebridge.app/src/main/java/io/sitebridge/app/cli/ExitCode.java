package io.sitebridge.app.cli;

import io.sitebridge.transfer.TransferException;

/**
 * The exit codes of every command, one meaning each. {@code sitebridge --help} and the README's
 * table are made from (README) or checked against (tests) this list. The start script itself
 * ends with {@link #INSTALLATION} when it finds no Java 21+ or no complete installation.
 */
public enum ExitCode {
    OK(0, "done: every file arrived and was checked (or was skipped by --on-conflict), or the listing was printed"),
    FAILED(1, "the copy or listing failed (a server refused a command, a connection dropped and retries ran out, "
            + "some files of copy -r or mirror failed); diff: the trees differ"),
    USAGE(2, "usage error: unknown command or option, a bad URL or no saved site of that name, no password to be had"),
    CONNECT(3, "cannot connect to or log in to a server"),
    FXP_REFUSED(4, "FXP refused by a server and relaying not allowed (--no-relay)"),
    VERIFY(5, "verification failed: the destination is incomplete or differs"),
    TLS(6, "protected FXP impossible (no server can be the TLS client; see --fxp-clear-data)"),
    BUSY(7, "the state folder is in use by another sitebridge copy (give this one its own --state)"),
    INSTALLATION(8, "no Java 21 or newer found, or the installation is incomplete (start script)"),
    CANCELLED(130, "cancelled (interrupted)");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The code for a copy that failed with this kind of failure. */
    static ExitCode of(TransferException.Reason problem) {
        if (problem == null) {
            return FAILED;
        }
        return switch (problem) {
            case FXP_REFUSED -> FXP_REFUSED;
            case TLS_FXP_IMPOSSIBLE -> TLS;
            case VERIFY_FAILED -> VERIFY;
            case INVALID_NAME -> USAGE;
            case CANCELLED -> CANCELLED;
            case CONNECTION, SERVER_REFUSED -> FAILED;
        };
    }
}
