package io.sitebridge.app.cli;

import java.io.PrintStream;

import io.sitebridge.transfer.cli.SitebridgeCli;
import io.sitebridge.transfer.queue.cli.QueueCommand;

/**
 * Entry point of the headless command line, for the product's IApplication wrapper and the
 * start script: {@code int exit = Cli.run(args, System.out, System.err)}.
 *
 * <p>{@code sitebridge copy [--verify] [--no-relay] [--fxp-clear-data] [--insecure] [-v] SRC_URL DST_URL}
 * and {@code sitebridge ls [-v] URL}; see {@link SitebridgeCli} for URLs, passwords (environment
 * variables or a terminal prompt, never required on the command line) and exit codes. The logic
 * lives in the transfer bundle ({@code io.sitebridge.transfer.cli}) so that it is tested there
 * against real servers; this class only forwards, and so needs no OSGi or Eclipse API.
 */
public final class Cli {
    private Cli() {
    }

    /** Runs one command; returns the process exit code (0 on success). Never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (QueueCommand.wants(args)) { // copy -r, --parallel, --on-conflict: through the transfer queue
            return QueueCommand.run(args, out, err);
        }
        return SitebridgeCli.run(args, out, err);
    }

    /** For running without OSGi: {@code java -cp ... io.sitebridge.app.cli.Cli copy ...}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
