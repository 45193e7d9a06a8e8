package io.sitebridge.app.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.core.PasswordSource;
import io.sitebridge.core.Site;
import io.sitebridge.core.UserFolder;

/**
 * What every command of the command line takes from its environment: sites
 * from URLs with their passwords (environment variables or a terminal prompt,
 * never required on the command line), and the per-user state folder.
 */
final class CommandLineSites {

    /** No password could be had for a site; the command ends with a usage error. */
    static final class MissingPassword extends Exception {
        private static final long serialVersionUID = 1L;

        MissingPassword(String message) {
            super(message);
        }
    }

    private final PrintStream err;
    private final Map<String, String> env;
    private final Supplier<Console> console;

    CommandLineSites(PrintStream err, Map<String, String> env, Supplier<Console> console) {
        this.err = err;
        this.env = env;
        this.console = console;
    }

    /**
     * A site for {@code url} with its password from the URL (with a warning), the variable
     * {@code specificEnv} (may be null), {@code SITEBRIDGE_PASSWORD}, or a terminal prompt.
     */
    Site.Builder site(FtpUrl url, String specificEnv) throws MissingPassword {
        String user = url.user() == null ? "anonymous" : url.user();
        return Site.builder(url.host()).port(url.port()).security(url.security()).user(user).name(url.display())
                .password(password(url, user, specificEnv));
    }

    private PasswordSource password(FtpUrl u, String user, String specificEnv) throws MissingPassword {
        if (u.password() != null) {
            err.println("sitebridge: warning: the password for " + u.display()
                    + " is on the command line, where others can see it; use SITEBRIDGE_PASSWORD instead");
            return PasswordSource.of(u.password());
        }
        String fromEnv = specificEnv == null ? null : env.get(specificEnv);
        if (fromEnv == null) {
            fromEnv = env.get("SITEBRIDGE_PASSWORD");
        }
        if (fromEnv != null) {
            return PasswordSource.of(fromEnv);
        }
        if (user.equals("anonymous") || user.equals("ftp")) {
            return PasswordSource.of("sitebridge@");
        }
        Console c = console.get();
        if (c == null) {
            throw new MissingPassword("no password for " + u.display() + ": set "
                    + (specificEnv == null ? "" : specificEnv + " or ") + "SITEBRIDGE_PASSWORD, or run in a terminal");
        }
        char[] pw = c.readPassword("Password for %s: ", u.display());
        if (pw == null) {
            throw new MissingPassword("no password for " + u.display());
        }
        char[] kept = pw.clone();
        Arrays.fill(pw, '\0');
        return () -> kept.clone();
    }

    /**
     * The per-user state folder, the same as the start script's: {@code $SITEBRIDGE_HOME}, else
     * {@code ${XDG_DATA_HOME:-$HOME/.local/share}/sitebridge}.
     */
    Path stateFolder() {
        return UserFolder.of(env);
    }
}
