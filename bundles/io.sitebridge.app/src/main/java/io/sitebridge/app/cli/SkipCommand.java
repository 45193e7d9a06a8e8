package io.sitebridge.app.cli;

import java.io.IOException;
import java.util.List;

import io.sitebridge.core.sites.SavedSites;

/**
 * {@code sitebridge skip list|add|remove [--site NAME] [PATTERN]}: the skip lists, patterns (the
 * syntax of {@code --exclude}) that {@code diff} and {@code mirror} always leave out: a global one,
 * and one per saved site, kept with the saved sites ({@link SavedSites#skipList}) so that the
 * application's compare mode can use the same lists.
 */
final class SkipCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    SkipCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    ExitCode run(Arguments a) {
        List<String> args = a.urls();
        SavedSites store = sites.store();
        String site = a.site();
        try {
            if (site != null && !store.names().contains(site)) {
                term.error("no saved site called \u201c" + site + "\u201d (sitebridge sites list shows them)");
                return ExitCode.USAGE;
            }
            String which = site == null ? "the global skip list" : site + "'s skip list";
            return switch (args.get(0)) {
                case "add" -> {
                    boolean added = store.addSkip(site, args.get(1));
                    term.out(added ? "added %s to %s%n" : "%s is in %s already%n", args.get(1), which);
                    yield ExitCode.OK;
                }
                case "remove", "rm" -> {
                    if (!store.removeSkip(site, args.get(1))) {
                        term.error(args.get(1) + " is not in " + which + " (sitebridge skip list"
                                + (site == null ? "" : " --site " + site) + " shows it)");
                        yield ExitCode.USAGE;
                    }
                    term.out("removed %s from %s%n", args.get(1), which);
                    yield ExitCode.OK;
                }
                default -> list(store, site);
            };
        } catch (IOException e) {
            term.error(e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /** One line per pattern, {@code global  *.tmp} or {@code NAME  /cache}; with --site only that site's. */
    private ExitCode list(SavedSites store, String site) throws IOException {
        int shown = 0;
        if (site != null) {
            for (String p : store.skipList(site)) {
                term.out("%s  %s%n", site, p);
                shown++;
            }
        } else {
            for (String p : store.skipList(null)) {
                term.out("global  %s%n", p);
                shown++;
            }
            for (String name : store.names()) {
                for (String p : store.skipList(name)) {
                    term.out("%s  %s%n", name, p);
                    shown++;
                }
            }
        }
        if (shown == 0) {
            term.out("no skip patterns%s (add one with: sitebridge skip add%s PATTERN)%n",
                    site == null ? "" : " for " + site, site == null ? " [--site NAME]" : " --site " + site);
        }
        return ExitCode.OK;
    }
}
