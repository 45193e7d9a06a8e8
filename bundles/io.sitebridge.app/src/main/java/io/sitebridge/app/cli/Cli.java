package io.sitebridge.app.cli;

import java.io.Console;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.app.cli.Arguments.UsageException;
import io.sitebridge.core.trust.CertificateAsker;
import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.core.trust.CertificateTrust;

/**
 * The headless command line: {@code sitebridge copy [-r] ...}, {@code sitebridge ls ...},
 * {@code sitebridge diff ...}, {@code sitebridge mirror ...},
 * {@code sitebridge sites list|add|remove|import ...}, {@code sitebridge skip list|add|remove ...},
 * {@code --help}, {@code --version}; {@link Usage#TEXT} lists every command, option and exit
 * code. Plain Java, no OSGi or Eclipse API: the start script runs {@link #main} on a plain class
 * path, and the product's {@code CliApplication} calls {@link #run} inside Eclipse.
 *
 * <p>URLs are {@code ftp://}, {@code ftps://} (explicit TLS) or {@code ftpsi://} (implicit TLS),
 * {@code scheme://user@host:port/path}; or a saved site's {@code NAME:/path} (the sites the
 * application's site manager shows, with their passwords). Passwords come from the environment, never needed on the
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

    /**
     * A command line run for another process ({@link Agent}): its environment and working directory,
     * no terminal, and stopped by interrupting the thread that runs {@link #execute}.
     */
    Cli(PrintStream out, PrintStream err, Map<String, String> env, java.nio.file.Path workingDirectory) {
        this.term = new Terminal(out, err);
        this.sites = new CommandLineSites(err, env, () -> null, workingDirectory, StopHooks.NONE);
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
            case COPY, LS, DIFF, MIRROR -> {
                loadTimeZoneMeanwhile();
                yield withCertificateTrust(a, () -> switch (a.command()) {
                    case COPY -> new CopyCommand(term, sites).run(a);
                    case LS -> new ListCommand(term, sites).run(a);
                    case DIFF -> new DiffCommand(term, sites).run(a);
                    default -> new MirrorCommand(term, sites).run(a);
                });
            }
            case SITES -> new SitesCommand(term, sites).run(a);
            case SKIP -> new SkipCommand(term, sites).run(a);
        };
        term.flush();
        return code.code;
    }

    /**
     * Loads this JVM's time zone on another thread while the command connects. Listings give
     * times in it (LIST's dates are read in the local zone), and loading the zone rules takes a fresh
     * JVM about 15 ms: paid here while the logins wait for the servers, not in the middle of the first
     * listing.
     */
    private static void loadTimeZoneMeanwhile() {
        Thread t = new Thread(java.time.ZoneId::systemDefault, "sitebridge-time-zone");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs a command that connects with the command line's certificate answers ({@link CommandLineTrust})
     * and the pins of its user folder (the application's too); warns on standard error when
     * {@code --insecure} turns every check off.
     */
    private ExitCode withCertificateTrust(Arguments a, Supplier<ExitCode> command) {
        if (a.has(Option.INSECURE)) {
            term.errOwn("sitebridge: WARNING: --insecure: server certificates are not checked; anyone between you and"
                    + " the server can read and change this connection (prefer --trust SHA256:...)"
                    + System.lineSeparator());
        }
        CertificatePins pins = new CertificatePins(sites.stateFolder().resolve(CertificatePins.FILE));
        CertificateAsker before = CertificateTrust.asker();
        CertificateTrust.setAsker(new CommandLineTrust(term, a.trust(), pins));
        CertificateTrust.usePins(pins);
        try {
            return command.get();
        } finally {
            CertificateTrust.setAsker(before);
            CertificateTrust.usePins(null);
        }
    }
}
