package io.sitebridge.app.cli;

import java.time.Duration;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.compare.Comparison;
import io.sitebridge.transfer.compare.Difference;
import io.sitebridge.transfer.compare.PathFilter;
import io.sitebridge.transfer.compare.TreeCompare;
import io.sitebridge.transfer.engine.RemotePlace;

/**
 * {@code sitebridge diff SRC DST}: compares two folders ({@link TreeCompare}) and prints one line
 * per difference on standard output ({@code newer  dir/a.txt  (source ..., destination ...)});
 * what was left out (links) and how it was compared go to standard error. Exits 0 when the trees
 * are equal, 1 when they differ. Changes nothing.
 */
final class DiffCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    DiffCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    ExitCode run(Arguments a) {
        CommandLineSites.Pair p;
        PathFilter filter;
        try {
            p = sites.pair(a, 0);
            filter = sites.filter(a, p, term);
        } catch (CommandLineSites.Unresolved e) {
            term.error(e.getMessage());
            return e.code;
        }
        ControlDialogue dialogue = CommandLineSites.dialogue(term, a);
        boolean verify = !a.has(Option.INSECURE);
        try (FtpSession s = FtpSession.open(p.source(), dialogue, verify);
                FtpSession d = FtpSession.open(p.destination(), dialogue, verify)) {
            Comparison c = TreeCompare.compare(new RemotePlace(s), p.sourcePath(), new RemotePlace(d),
                    p.destinationPath(), a.compare(), filter, false);
            flush(dialogue);
            return print(c);
        } catch (FtpException e) {
            flush(dialogue);
            term.error(e.getMessage());
            return ExitCode.CONNECT;
        } catch (TransferException e) {
            flush(dialogue);
            term.error("cannot compare: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private ExitCode print(Comparison c) {
        for (String n : c.notes()) {
            term.err("sitebridge: %s%n", n);
        }
        for (Difference d : c.entries()) {
            if (d.kind() == Difference.Kind.SKIPPED) {
                term.err("%s%n", d.line());
            } else if (d.kind().differs()) {
                term.out("%s%n", d.line());
            }
        }
        term.err("compared by %s%s: %s%n", c.modeUsed().label(), c.hashMethod() == null ? ""
                : " (" + c.hashMethod() + ")", c.summary());
        return c.equal() ? ExitCode.OK : ExitCode.FAILED;
    }

    private static void flush(ControlDialogue dialogue) {
        try {
            dialogue.flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
