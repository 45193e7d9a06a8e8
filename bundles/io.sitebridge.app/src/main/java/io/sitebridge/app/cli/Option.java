package io.sitebridge.app.cli;

import java.util.Set;

/**
 * Every option of the command line, with the commands that take it: the parser
 * ({@link Arguments}) accepts exactly these, and the usage text ({@link Usage}) lists exactly these.
 */
enum Option {
    RECURSIVE(Set.of(Command.COPY), null, "copy a folder with everything in it", "-r", "-R", "--recursive"),
    PARALLEL(Set.of(Command.COPY), "N", "files copied at once, 1..64 (default 2)", "--parallel"),
    ON_CONFLICT(Set.of(Command.COPY), "RULE", "when a destination file exists: overwrite (default), skip, resume, "
            + "rename or newer", "--on-conflict"),
    STATE(Set.of(Command.COPY), "DIR", "state folder (queue, what worked per pair of servers); default "
            + "$SITEBRIDGE_HOME, else ${XDG_DATA_HOME:-~/.local/share}/sitebridge", "--state"),
    VERIFY(Set.of(Command.COPY), null, "also compare the content (SHA-256 through this machine) when the servers share no hash", "--verify"),
    NO_RELAY(Set.of(Command.COPY), null, "never relay the data through this machine when FXP is refused",
            "--no-relay"),
    RELAY_ONLY(Set.of(Command.COPY), null, "do not try FXP: relay the data through this machine",
            "--relay-only", "--no-fxp"),
    FXP_CLEAR_DATA(Set.of(Command.COPY), null, "over TLS, allow FXP with unprotected data when protected FXP is "
            + "impossible", "--fxp-clear-data"),
    ACCEPT_TIMEOUT(Set.of(Command.COPY), "S", "seconds to wait for the servers' data connection before calling "
            + "FXP refused", "--accept-timeout"),
    TRUST(Set.of(Command.COPY, Command.LS), "SHA256:FP", "trust the server certificate with this fingerprint "
            + "(as printed when one is not trusted) and pin it for its server, shared with the app; repeatable",
            "--trust"),
    INSECURE(Set.of(Command.COPY, Command.LS), null, "do not check the servers' TLS certificates at all (warns "
            + "every time; prefer --trust)", "-k", "--insecure"),
    VERBOSE(Set.of(Command.COPY, Command.LS), null, "print both control dialogues, tagged by site, on standard error",
            "-v", "--verbose");

    final Set<Command> commands;
    /** The value's name, or null for a switch. */
    final String value;
    final String help;
    final String[] names;

    Option(Set<Command> commands, String value, String help, String... names) {
        this.commands = commands;
        this.value = value;
        this.help = help;
        this.names = names;
    }

    static Option named(String name) {
        for (Option o : values()) {
            for (String n : o.names) {
                if (n.equals(name)) {
                    return o;
                }
            }
        }
        return null;
    }
}
