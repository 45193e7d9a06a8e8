package io.sitebridge.app.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.core.PasswordSource;
import io.sitebridge.core.Site;
import io.sitebridge.core.UserFolder;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.transfer.compare.PathFilter;

/**
 * What every command of the command line takes from its environment: sites from URLs with their
 * passwords (environment variables or a terminal prompt, never required on the command line),
 * saved sites by name ({@code NAME:/path}, rclone style, from the {@link SavedSites} the
 * application uses too, their passwords from there with no prompt), and the per-user folder.
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
    private final Path workingDirectory;
    private final StopHooks stops;

    CommandLineSites(PrintStream err, Map<String, String> env, Supplier<Console> console) {
        this(err, env, console, Path.of("").toAbsolutePath(), StopHooks.JVM);
    }

    /**
     * @param workingDirectory what relative paths given on the command line are relative to
     * @param stops            where commands register what to do when they are stopped from outside
     */
    CommandLineSites(PrintStream err, Map<String, String> env, Supplier<Console> console, Path workingDirectory,
            StopHooks stops) {
        this.err = err;
        this.env = env;
        this.console = console;
        this.workingDirectory = workingDirectory;
        this.stops = stops;
    }

    /** The environment the command runs in (its caller's). */
    Map<String, String> env() {
        return env;
    }

    /** A path given on the command line, as the caller meant it: relative to the caller's working directory. */
    Path resolve(Path given) {
        return workingDirectory.resolve(given);
    }

    StopHooks stops() {
        return stops;
    }

    /** Standard output is a terminal (Console.isTerminal() exists from Java 22; on 21 a console means one). */
    boolean isTerminal() {
        Console c = console.get();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /**
     * A place given on the command line: a site (password included) and a path on it.
     *
     * @param savedName the saved site's name when it was given as {@code NAME:/path}, else null
     */
    record Target(Site.Builder site, String path, String savedName) { }

    /** Why the places of a command cannot be had, and the exit code that says so. */
    static final class Unresolved extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ExitCode code;

        Unresolved(ExitCode code, String message) {
            super(message);
            this.code = code;
        }
    }

    /**
     * The source and destination of {@code copy}, {@code diff} and {@code mirror}, resolved.
     *
     * @param sourceName      the source's saved name, or null for a URL (likewise destinationName)
     */
    record Pair(Site source, String sourcePath, String sourceName, Site destination, String destinationPath,
            String destinationName) { }

    /**
     * SRC and DST of a command ({@link #target}): their passwords from the saved sites, from
     * {@code SITEBRIDGE_SRC_PASSWORD} / {@code SITEBRIDGE_DST_PASSWORD}, {@code SITEBRIDGE_PASSWORD}
     * or a prompt; each site allowed {@code connections} connections (0: its own setting).
     *
     * @throws Unresolved a bad URL, no saved site of that name, no password (usage), or saved sites
     *                    that cannot be read
     */
    Pair pair(Arguments a, int connections) throws Unresolved {
        Target src = resolve(a.urls().get(0), "SITEBRIDGE_SRC_PASSWORD");
        Target dst = resolve(a.urls().get(1), "SITEBRIDGE_DST_PASSWORD");
        try {
            Site.Builder s = src.site();
            Site.Builder d = dst.site();
            if (connections > 0) {
                s.maxConnections(connections);
                d.maxConnections(connections);
            }
            return new Pair(s.build(), src.path(), src.savedName(), d.build(), dst.path(), dst.savedName());
        } catch (IllegalArgumentException e) {
            throw new Unresolved(ExitCode.USAGE, e.getMessage());
        }
    }

    /** One place ({@link #target}), its password from {@code specificEnv} (may be null) or as for a URL. */
    Target resolve(String arg, String specificEnv) throws Unresolved {
        try {
            return target(arg, specificEnv);
        } catch (IllegalArgumentException | MissingPassword e) {
            throw new Unresolved(ExitCode.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new Unresolved(ExitCode.FAILED, e.getMessage());
        }
    }

    /**
     * What {@code diff} and {@code mirror} compare: {@code --include}/{@code --exclude}, and on top
     * the skip lists (the global one, and those of the saved sites SRC and DST name), which it says
     * on standard error when they leave anything out.
     *
     * @throws Unresolved the saved sites cannot be read, or a skip pattern in them is not a pattern
     */
    PathFilter filter(Arguments a, Pair p, Terminal term) throws Unresolved {
        List<String> skip;
        try {
            skip = store().skipPatterns(p.sourceName(), p.destinationName());
        } catch (IOException e) {
            throw new Unresolved(ExitCode.FAILED, e.getMessage());
        }
        try {
            PathFilter f = a.filter().excluding(skip);
            if (!skip.isEmpty()) {
                term.err("sitebridge: the skip lists leave out: %s%n", String.join("  ", skip));
            }
            return f;
        } catch (IllegalArgumentException e) {
            throw new Unresolved(ExitCode.FAILED, "a skip list in " + store().file() + " has a bad pattern: "
                    + e.getMessage() + " (sitebridge skip remove it)");
        }
    }

    /** The dialogue of a command that connects, printed on standard error with {@code -v}, tagged by site. */
    static ControlDialogue dialogue(Terminal term, Arguments a) {
        ControlDialogue dialogue = new ControlDialogue();
        if (a.has(Option.VERBOSE)) {
            dialogue.addListener(e -> {
                // One event may be several lines (a multi-line reply), each tagged by format().
                for (String line : e.format().split(System.lineSeparator())) {
                    term.err("%s%n", line);
                }
            });
        }
        return dialogue;
    }

    /**
     * The place {@code arg} names: a URL ({@link FtpUrl}), or {@code NAME:/path} where NAME is a
     * saved site (the first {@code :} after which the text before it is a saved name; an empty
     * path is {@code /}). A saved site's password comes from the store; when none is saved, as for
     * a URL.
     *
     * @throws IllegalArgumentException neither a URL nor a saved site's name (the message says which)
     * @throws IOException the saved sites cannot be read, or a saved password cannot be decrypted
     */
    Target target(String arg, String specificEnv) throws MissingPassword, IOException {
        if (arg.contains("://")) {
            FtpUrl u = FtpUrl.parse(arg);
            return new Target(site(u, specificEnv), u.path(), null);
        }
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a URL or NAME:/path: " + arg);
        }
        SavedSites store = store();
        java.util.List<String> names = store.names();
        for (int i = colon; i >= 0; i = arg.indexOf(':', i + 1)) {
            String name = arg.substring(0, i);
            if (names.contains(name)) {
                String path = arg.substring(i + 1);
                if (path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("path contains CR or LF: refused");
                }
                path = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
                Site saved = store.find(name).orElseThrow();
                Site.Builder b = saved.toBuilder();
                if (store.hasPassword(name)) {
                    char[] pw = store.password(name); // decrypted now: a problem shows before any connection
                    char[] kept = pw.clone();
                    Arrays.fill(pw, '\0');
                    b.password(() -> kept.clone());
                } else {
                    b.password(password(name, saved.user(), specificEnv));
                }
                return new Target(b, path, name);
            }
        }
        throw new IllegalArgumentException("no saved site called \u201c" + arg.substring(0, colon)
                + "\u201d (sitebridge sites list shows them; a URL needs its scheme, e.g. ftp://)");
    }

    /** The saved sites, in the user folder ({@link #stateFolder()}). */
    SavedSites store() {
        return SavedSites.in(stateFolder());
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
        return password(u.display(), user, specificEnv);
    }

    /**
     * The password for {@code what}: the variable {@code specificEnv} (may be null), else
     * {@code SITEBRIDGE_PASSWORD}, else none for anonymous, else a terminal prompt.
     */
    PasswordSource password(String what, String user, String specificEnv) throws MissingPassword {
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
            throw new MissingPassword("no password for " + what + ": set "
                    + (specificEnv == null ? "" : specificEnv + " or ") + "SITEBRIDGE_PASSWORD, or run in a terminal");
        }
        char[] pw = c.readPassword("Password for %s: ", what);
        if (pw == null) {
            throw new MissingPassword("no password for " + what);
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
