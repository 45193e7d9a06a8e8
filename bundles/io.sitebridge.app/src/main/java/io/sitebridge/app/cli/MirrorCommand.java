package io.sitebridge.app.cli;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.compare.Comparison;
import io.sitebridge.transfer.compare.Difference;
import io.sitebridge.transfer.compare.Mirror;
import io.sitebridge.transfer.compare.MirrorPlan;
import io.sitebridge.transfer.compare.PathFilter;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * {@code sitebridge mirror SRC DST}: makes the destination folder like the source ({@link Mirror}):
 * compares, prints the plan's summary, creates folders, copies through the persistent transfer
 * queue in the state folder (the one {@code copy} uses, so a mirror killed even by {@code kill -9}
 * finishes when run again: first the files it had queued, then whatever a new comparison still
 * finds, nothing sent twice), then deletes with {@code --delete}. {@code --dry-run} prints every
 * planned action and changes nothing. {@code --verify} compares every file by server-side hash
 * afterwards; {@code --manifest NAME} writes the destination's SHA-256 list into its root.
 */
final class MirrorCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    MirrorCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    ExitCode run(Arguments a) {
        CommandLineSites.Pair p;
        PathFilter filter;
        try {
            p = sites.pair(a, Math.max(4, a.parallel() + 1));
            filter = sites.filter(a, p, term);
        } catch (CommandLineSites.Unresolved e) {
            term.error(e.getMessage());
            return e.code;
        }
        Site srcSite = p.source();
        Site dstSite = p.destination();
        if (srcSite.key().equals(dstSite.key()) && overlap(p.sourcePath(), p.destinationPath())) {
            term.error("the source and destination folders overlap on one server: " + p.sourcePath() + ", "
                    + p.destinationPath());
            return ExitCode.USAGE;
        }
        return CommandLineQueue.run(term, sites, a, "mirror", (folder, options, dialogue, memory) -> {
            try (TransferQueue q = TransferQueue.open(folder, SiteDirectory.of(srcSite, dstSite), options, dialogue,
                    memory)) {
                return mirror(q, a, filter, srcSite, p.sourcePath(), dstSite, p.destinationPath());
            }
        });
    }

    private ExitCode mirror(TransferQueue q, Arguments a, PathFilter skipping, Site srcSite, String srcPath, Site dstSite,
            String dstPath)
            throws InterruptedException {
        boolean dryRun = a.has(Option.DRY_RUN);
        if (!dryRun) {
            q.clearFinished(); // earlier runs that ended are history
        }
        PathFilter filter = skipping;
        if (a.manifest() != null) {
            filter = filter.excluding("/" + a.manifest()); // the manifest is the mirror's own file
        }
        Mirror m = new Mirror(q, Endpoint.of(srcSite), srcPath, Endpoint.of(dstSite), dstPath,
                new Mirror.Options(a.compare(), filter, a.has(Option.DELETE), a.has(Option.ONLY_NEWER),
                        a.has(Option.ALLOW_EMPTY_SOURCE)));
        List<QueueItem> unfinished = m.unfinished();
        StopHooks.Registration stop = () -> { };
        Set<Long> ours = ConcurrentHashMap.newKeySet();
        String srcPrefix = trim(srcPath).equals("/") ? "/" : trim(srcPath) + "/";
        q.addListener(new QueueListener() {
            @Override
            public void itemChanged(QueueItem i) {
                if (ours.contains(i.id()) && i.state() == ItemState.DONE) {
                    term.out("copied %s  (%d bytes, %s)%n", i.sourcePath().substring(srcPrefix.length()), i.size(),
                            i.reason());
                }
            }
        });
        try {
            if (!dryRun) {
                stop = sites.stops().add(q::close);
                q.start();
            }
            if (!unfinished.isEmpty()) {
                if (dryRun) {
                    term.out("an interrupted mirror left %d files in the queue; they are finished first:%n",
                            unfinished.size());
                    for (QueueItem i : unfinished) {
                        term.out("copy    %s  (queued)%n", i.sourcePath().substring(srcPrefix.length()));
                    }
                } else {
                    term.out("continuing an interrupted mirror: %d files queued before%n", unfinished.size());
                    unfinished.forEach(i -> ours.add(i.id()));
                    m.await(unfinished);
                }
            }
            Comparison c = m.compare();
            for (String n : c.notes()) {
                term.err("sitebridge: %s%n", n);
            }
            boolean problems = false;
            for (Difference d : c.entries()) {
                if (d.kind() == Difference.Kind.PROBLEM) {
                    problems = true;
                    term.err("%s%n", d.line());
                } else if (d.kind() == Difference.Kind.SKIPPED) {
                    term.err("%s%n", d.line());
                }
            }
            MirrorPlan plan = m.plan(c);
            for (String r : plan.refusals()) {
                term.error(r);
            }
            if (dryRun) {
                for (MirrorPlan.Action x : plan.actions()) {
                    term.out("%s%n", x.line());
                }
                for (MirrorPlan.Action x : plan.kept()) {
                    term.out("%s%n", x.line());
                }
                term.out("dry run: %s; nothing was changed%n", plan.summary());
                return problems || !plan.refusals().isEmpty() ? ExitCode.FAILED : ExitCode.OK;
            }
            term.out("mirror %s%s -> %s%s by %s: %s%n", srcSite.name(), srcPath, dstSite.name(), dstPath,
                    c.modeUsed().label(), plan.summary());
            QueueListener adding = new QueueListener() {
                @Override
                public void itemAdded(QueueItem i) {
                    ours.add(i.id());
                }
            };
            q.addListener(adding);
            Mirror.Outcome o = m.execute(plan, line -> term.out("%s%n", line));
            ExitCode code = problems || !plan.refusals().isEmpty() ? ExitCode.FAILED : ExitCode.OK;
            for (QueueItem f : o.failed()) {
                term.error("failed " + f.sourcePath().substring(srcPrefix.length()) + ": " + f.reason(), f.details());
                code = ExitCode.of(f.problem());
            }
            if (o.deleteFailure() != null) {
                term.error(o.deleteFailure());
                code = ExitCode.FAILED;
            }
            term.out("mirrored: %d copied, %d deleted%s%n", o.copied(), o.deleted(),
                    o.ok() ? "" : ", " + o.failed().size() + " failed" + (o.deleteFailure() == null ? ""
                            : ", deleting stopped"));
            if (a.has(Option.VERIFY)) {
                code = worse(code, verify(m));
            }
            if (a.manifest() != null) {
                try {
                    int n = m.writeManifest(a.manifest());
                    term.out("wrote %s into %s: the SHA-256 of %d files%n", a.manifest(), dstPath, n);
                } catch (TransferException e) {
                    term.error(e.getMessage());
                    code = worse(code, ExitCode.FAILED);
                }
            }
            return code;
        } catch (TransferException e) {
            term.error("mirror failed: " + e.getMessage());
            return e.reason() == TransferException.Reason.CONNECTION ? ExitCode.CONNECT : ExitCode.FAILED;
        } finally {
            stop.close();
        }
    }

    private ExitCode verify(Mirror m) throws InterruptedException {
        try {
            List<Difference> left = m.verify();
            for (Difference d : left) {
                term.err("verify: %s%n", d.line());
            }
            if (left.isEmpty()) {
                term.out("verified: every file has the same server-side hash on both sides%n");
                return ExitCode.OK;
            }
            term.error("verification failed: " + left.size() + " files differ");
            return ExitCode.VERIFY;
        } catch (TransferException e) {
            term.error(e.getMessage());
            return ExitCode.VERIFY;
        }
    }

    private static ExitCode worse(ExitCode a, ExitCode b) {
        return a == ExitCode.OK ? b : a;
    }

    private static boolean overlap(String a, String b) {
        String x = trim(a) + "/";
        String y = trim(b) + "/";
        return x.startsWith(y) || y.startsWith(x);
    }

    private static String trim(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
