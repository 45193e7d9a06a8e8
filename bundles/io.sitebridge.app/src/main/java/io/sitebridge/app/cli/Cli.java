package io.sitebridge.app.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.app.cli.Arguments.UsageException;

/**
 * The headless command line: {@code sitebridge copy [-r] ...}, {@code sitebridge ls ...},
 * {@code sitebridge diff ...}, {@code sitebridge mirror ...},
 * {@code --help}, {@code --version}; {@link Usage#TEXT} lists every command, option and exit
 * code. Plain Java, no OSGi or Eclipse API: the start script runs {@link #main} on a plain class
 * path, and the product's {@code CliApplication} calls {@link #run} inside Eclipse.
 *
 * <p>URLs are {@code ftp://}, {@code ftps://} (explicit TLS) or {@code ftpsi://} (implicit TLS),
 * {@code scheme://user@host:port/path}. Passwords come from the environment, never needed on the
 * command line: {@code SITEBRIDGE_SRC_PASSWORD} / {@code SITEBRIDGE_DST_PASSWORD} (copy), else
 * {@code SITEBRIDGE_PASSWORD}, else a prompt on the terminal; a password written in a URL works
 * but is warned about (it shows in {@code ps}).
 */
public final class Cli {
    private final Terminal term;
    private final CommandLineSites sites;

    public Cli(PrintStream out, PrintStream err, Map<String, String> env, Supplier<Console> console) {
        this.term = new Terminal(out, err);
        this.sites = new CommandLineSites(err, env, console);
    }

    /** Runs one command with the process's environment and terminal; returns the exit code. Never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new Cli(out, err, System.getenv(), System::console).execute(args);
    }

    /** For running without OSGi: {@code java -cp ... io.sitebridge.app.cli.Cli copy ...}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public int execute(String... args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (UsageException e) {
            term.error(e.getMessage());
            term.errOwn(Usage.SHORT + "(sitebridge --help lists every option and exit code)" + System.lineSeparator());
            return ExitCode.USAGE.code;
        }
        ExitCode code = switch (a.command()) {
            case HELP -> {
                term.outOwn(Usage.TEXT);
                yield ExitCode.OK;
            }
            case VERSION -> {
                // and which Java runs it: a packaged installation brings its own
                term.out("sitebridge %s (Java %s, %s)%n", Version.current(), Runtime.version(),
                        System.getProperty("java.home"));
                yield ExitCode.OK;
            }
            case COPY -> new CopyCommand(term, sites).run(a);
            case LS -> new ListCommand(term, sites).run(a);
            case DIFF -> new DiffCommand(term, sites).run(a);
            case MIRROR -> new MirrorCommand(term, sites).run(a);
        };
        term.flush();
        return code.code;
    }
}
