package io.sitebridge.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SessionPool;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * {@code sitebridge copy [-r] SRC DST} (each a URL or a saved site's {@code NAME:/path}): a file, or
 * with {@code -r} a folder, copied through the
 * persistent {@link TransferQueue} kept in the state folder ({@code --state}, else
 * {@code $SITEBRIDGE_HOME}, else {@code ${XDG_DATA_HOME:-~/.local/share}/sitebridge}): its
 * {@code queue} folder, and what worked per pair of servers in {@link StrategyMemory#FILE_NAME}.
 * A run that was interrupted (even by {@code kill -9}) is picked up by running the same command
 * again: the same source and destination continue where they were, files that were done are not
 * sent again. Only one process uses a state folder at a time ({@link ExitCode#BUSY}).
 */
final class CopyCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    CopyCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    ExitCode run(Arguments a) {
        boolean recursive = a.has(Option.RECURSIVE);
        CommandLineSites.Pair p;
        try {
            // One connection more than the workers: the progress monitor's.
            p = sites.pair(a, Math.max(4, a.parallel() + 1));
        } catch (CommandLineSites.Unresolved e) {
            term.error(e.getMessage());
            return e.code;
        }
        Site srcSite = p.source();
        Site dstSite = p.destination();
        String srcPath = trim(p.sourcePath());
        String dstPath = trim(p.destinationPath());
        if (!recursive && p.destinationPath().endsWith("/")) {
            dstPath = (dstPath.equals("/") ? "" : dstPath) + "/" + srcPath.substring(srcPath.lastIndexOf('/') + 1);
        }
        Job job = new Job(srcSite, srcPath, dstSite, dstPath, recursive);
        return CommandLineQueue.run(term, sites, a, "copy",
                (folder, options, dialogue, memory) -> runQueue(folder, options, dialogue, memory, job));
    }

    /** What to copy, as the queue will have it. */
    private record Job(Site srcSite, String srcPath, Site dstSite, String dstPath, boolean folder) {
        boolean is(QueueItem i) {
            return i.parentId() == 0 && i.sourceSite().equals(srcSite.key()) && i.sourcePath().equals(srcPath)
                    && i.destinationSite().equals(dstSite.key()) && i.destinationPath().equals(dstPath);
        }
    }

    private ExitCode runQueue(Path folder, QueueOptions options, ControlDialogue dialogue, StrategyMemory memory,
            Job job) throws IOException, InterruptedException {
        // The logins (each a few round trips, and tens of milliseconds of a server's CPU) start now,
        // while the queue is read from disk and the first folder is listed: a folder's workers all
        // want a pair at once, a file one.
        SessionPool pool = new SessionPool(dialogue, options.verifyCertificates());
        pool.warmPairs(job.srcSite(), job.dstSite(), job.folder() ? options.parallel() : 1);
        try (TransferQueue q = TransferQueue.open(folder, SiteDirectory.of(job.srcSite(), job.dstSite()), options,
                pool, memory)) {
            // Earlier runs that ended are history: the queue keeps the last run and what is unfinished.
            q.clearFinished();
            QueueItem root = q.items().stream().filter(i -> job.is(i) && !i.state().isFinished()).findFirst()
                    .orElse(null);
            if (root != null) {
                term.out("continuing an interrupted run: %s%s -> %s%s (%d files finished before)%n",
                        job.srcSite().name(), job.srcPath(), job.dstSite().name(), job.dstPath(),
                        q.children(root.id()).stream().filter(i -> i.state().isFinished()).count());
            }
            try (StopHooks.Registration stop = sites.stops().add(q::close)) {
                return follow(q, root, job, options);
            }
        }
    }

    /** Starts the queue on the job ({@code root}: an interrupted run's item, else null) and reports its end. */
    private ExitCode follow(TransferQueue q, QueueItem root, Job job, QueueOptions options)
            throws InterruptedException {
        ProgressPrinter printer;
        if (root == null) {
            // Listen before adding, so that no event is missed.
            printer = new ProgressPrinter(term, sites.isTerminal(), q.items().stream().mapToLong(QueueItem::id).max()
                    .orElse(0) + 1);
            q.addListener(printer);
            root = q.add(job.srcSite(), job.srcPath(), job.dstSite(), job.dstPath(), job.folder(),
                    options.defaultRule());
        } else {
            printer = new ProgressPrinter(term, sites.isTerminal(), root.id());
            q.addListener(printer);
        }
        q.start();
        q.awaitFinished(root.id(), Duration.ofDays(365));
        QueueItem end = q.item(root.id()).orElseThrow();
        printer.finish(end);
        if (job.folder()) {
            ClassCacheTraining.ran(printer.filesDone(), sites.env());
        }
        return report(q, end, job, printer.seconds());
    }

    /** Prints how the copy went (a folder's summary is the printer's) and says which exit code that is. */
    private ExitCode report(TransferQueue q, QueueItem end, Job job, double seconds) {
        if (!job.folder()) {
            String from = job.srcSite().name() + job.srcPath();
            String to = job.dstSite().name() + end.destinationPath();
            switch (end.state()) {
                case DONE -> term.out("copied %s to %s: %d bytes (%s) in %.1f s%n", from, to, end.size(),
                        end.reason(), seconds);
                case SKIPPED -> term.out("skipped %s: %s%n", from, end.reason());
                default -> term.error("copy failed: " + end.reason(), end.details());
            }
        }
        return switch (end.state()) {
            case DONE, SKIPPED -> ExitCode.OK;
            case CANCELLED -> ExitCode.CANCELLED;
            default -> failure(q, end, job);
        };
    }

    /**
     * The exit code of a failed copy: from the kind of failure ({@link QueueItem#problem()}); a
     * folder whose files failed all in the same way gets that code, else {@link ExitCode#FAILED}.
     */
    private static ExitCode failure(TransferQueue q, QueueItem end, Job job) {
        if (end.problem() != null || !end.isFolder()) {
            return codeOf(end, job);
        }
        List<ExitCode> codes = q.children(end.id()).stream().filter(i -> i.state() == ItemState.FAILED)
                .map(i -> codeOf(i, job)).map(c -> c == ExitCode.USAGE ? ExitCode.FAILED : c) // a name found there
                .distinct().toList();
        return codes.size() == 1 ? codes.get(0) : ExitCode.FAILED;
    }

    private static ExitCode codeOf(QueueItem failed, Job job) {
        TransferException.Reason p = failed.problem();
        if ((p == null || p == TransferException.Reason.CONNECTION || p == TransferException.Reason.SERVER_REFUSED)
                && (couldNotLogIn(failed.reason(), job.srcSite()) || couldNotLogIn(failed.reason(), job.dstSite()))) {
            return ExitCode.CONNECT;
        }
        return ExitCode.of(p);
    }

    /**
     * Whether a reason is a failure to connect or log in to this site: these begin with the
     * site's name (ours, not the server's) and the session's wording for them.
     */
    private static boolean couldNotLogIn(String reason, Site site) {
        String r = reason == null ? "" : reason;
        String n = site.name();
        return r.startsWith(n + ": cannot connect to ") || r.startsWith(n + ": login failed")
                || r.startsWith(n + " refused the connection");
    }

    private static String trim(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
