package io.sitebridge.app.cli;

import java.util.Set;

/**
 * Every option of the command line, with the commands that take it: the parser
 * ({@link Arguments}) accepts exactly these, and the usage text ({@link Usage}) lists exactly these.
 */
enum Option {
    RECURSIVE(Set.of(Command.COPY), null, "copy a folder with everything in it", "-r", "-R", "--recursive"),
    PARALLEL(Set.of(Command.COPY, Command.MIRROR), "N", "files copied at once, 1..64 (default 2)", "--parallel"),
    ON_CONFLICT(Set.of(Command.COPY), "RULE", "when a destination file exists: overwrite (default), skip, resume, "
            + "rename or newer", "--on-conflict"),
    STATE(Set.of(Command.COPY, Command.MIRROR), "DIR", "state folder (queue, what worked per pair of servers); default "
            + "$SITEBRIDGE_HOME, else ${XDG_DATA_HOME:-~/.local/share}/sitebridge", "--state"),
    VERIFY(Set.of(Command.COPY, Command.MIRROR), null, "copy: also compare the content (SHA-256 through this machine) "
            + "when the servers share no hash; mirror: afterwards compare every file by server-side hash", "--verify"),
    NO_RELAY(Set.of(Command.COPY, Command.MIRROR), null, "never relay the data through this machine when FXP is refused",
            "--no-relay"),
    RELAY_ONLY(Set.of(Command.COPY, Command.MIRROR), null, "do not try FXP: relay the data through this machine",
            "--relay-only", "--no-fxp"),
    FXP_CLEAR_DATA(Set.of(Command.COPY, Command.MIRROR), null, "over TLS, allow FXP with unprotected data when protected FXP is "
            + "impossible", "--fxp-clear-data"),
    ACCEPT_TIMEOUT(Set.of(Command.COPY, Command.MIRROR), "S", "seconds to wait for the servers' data connection before calling "
            + "FXP refused", "--accept-timeout"),
    TRUST(Set.of(Command.COPY, Command.LS, Command.DIFF, Command.MIRROR), "SHA256:FP", "trust the server certificate with this fingerprint "
            + "(as printed when one is not trusted) and pin it for its server, shared with the app; repeatable",
            "--trust"),
    INSECURE(Set.of(Command.COPY, Command.LS, Command.DIFF, Command.MIRROR), null, "do not check the servers' TLS certificates at all (warns "
            + "every time; prefer --trust)", "-k", "--insecure"),
    VERBOSE(Set.of(Command.COPY, Command.LS, Command.DIFF, Command.MIRROR), null, "print both control dialogues, tagged by site, on standard error",
            "-v", "--verbose"),
    COMPARE(Set.of(Command.DIFF, Command.MIRROR), "HOW", "what makes two files the same: size, time (size and time, "
            + "the default) or hash (server-side hashes; size and time where the servers share none)", "--compare"),
    INCLUDE(Set.of(Command.DIFF, Command.MIRROR), "GLOB", "only files matching GLOB (a name, or a path when it has a /; "
            + "* ? [..] and **); may repeat", "--include"),
    EXCLUDE(Set.of(Command.DIFF, Command.MIRROR), "GLOB", "leave out files and folders matching GLOB (neither copied nor "
            + "deleted); may repeat", "--exclude"),
    DELETE(Set.of(Command.MIRROR), null, "delete what only the destination has (never excluded files, never when the "
            + "source could not be listed)", "--delete"),
    ALLOW_EMPTY_SOURCE(Set.of(Command.MIRROR), null, "let --delete run although the source folder is empty",
            "--allow-empty-source"),
    ONLY_NEWER(Set.of(Command.MIRROR), null, "replace a destination file only with a newer one", "--only-newer"),
    DRY_RUN(Set.of(Command.MIRROR), null, "print every planned action and change nothing", "-n", "--dry-run"),
    MANIFEST(Set.of(Command.MIRROR), "NAME", "write NAME into the destination root: the SHA-256 of every file, as "
            + "the destination server computes it", "--manifest"),
    SITE(Set.of(Command.SKIP), "NAME", "the saved site NAME's skip list (else the global one)", "--site");

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
