package io.sitebridge.app.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.core.sites.SiteImport;

/**
 * {@code sitebridge sites list|add|remove|import}: the saved sites, the same ones the application's
 * site manager shows ({@link SavedSites} in the user folder). A password is never taken from the
 * command line: {@code add} reads {@code SITEBRIDGE_PASSWORD} or asks on the terminal.
 */
final class SitesCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    SitesCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    ExitCode run(Arguments a) {
        List<String> args = a.urls();
        SavedSites store = sites.store();
        try {
            return switch (args.get(0)) {
                case "add" -> add(store, args.get(1), args.get(2));
                case "remove", "rm" -> remove(store, args.get(1));
                case "import" -> importFile(store, args.get(1));
                default -> list(store);
            };
        } catch (IOException e) {
            term.error(e.getMessage());
            return ExitCode.FAILED;
        }
    }

    private ExitCode list(SavedSites store) throws IOException {
        List<Site> saved = store.load();
        if (saved.isEmpty()) {
            term.out("no saved sites in %s (add one with: sitebridge sites add URL NAME, or import FileZilla's "
                    + "with: sitebridge sites import FILE)%n", store.file().toString());
            return ExitCode.OK;
        }
        int width = Math.min(40, saved.stream().mapToInt(s -> s.name().length()).max().orElse(0));
        for (Site s : saved) {
            StringBuilder pad = new StringBuilder();
            pad.repeat(' ', Math.max(1, width + 2 - s.name().length()));
            term.out("%s%s%s%s%n", s.name(), pad.toString(), url(s),
                    store.hasPassword(s.name()) ? "  (password saved)" : "");
        }
        return ExitCode.OK;
    }

    private ExitCode add(SavedSites store, String urlText, String name) throws IOException {
        FtpUrl u;
        try {
            u = FtpUrl.parse(urlText);
        } catch (IllegalArgumentException e) {
            term.error(e.getMessage());
            return ExitCode.USAGE;
        }
        if (u.password() != null) {
            term.error("a password does not go on the command line (others can see it there): "
                    + "set SITEBRIDGE_PASSWORD or type it at the prompt");
            return ExitCode.USAGE;
        }
        if (store.names().contains(name)) {
            term.error("there is already a site called \u201c" + name + "\u201d (sitebridge sites remove it first)");
            return ExitCode.USAGE;
        }
        String user = u.user() == null ? "anonymous" : u.user();
        Site site;
        try {
            site = Site.builder(u.host()).name(name).port(u.port()).security(u.security()).user(user).build();
        } catch (IllegalArgumentException e) {
            term.error(e.getMessage());
            return ExitCode.USAGE;
        }
        char[] password = null;
        if (!user.equals("anonymous") && !user.equals("ftp")) {
            try {
                password = sites.password(u.display(), user, null).password();
            } catch (CommandLineSites.MissingPassword e) {
                term.error(e.getMessage());
                return ExitCode.USAGE;
            }
        }
        try {
            store.save(null, site, password);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        term.out("saved %s: %s%s%n", name, url(site), password != null ? ", password encrypted" : "");
        if (!u.path().equals("/")) {
            term.out("(a saved site has no folder of its own: use %s:%s)%n", name, u.path());
        }
        return ExitCode.OK;
    }

    private ExitCode remove(SavedSites store, String name) throws IOException {
        if (!store.remove(name)) {
            term.error("no saved site called \u201c" + name + "\u201d (sitebridge sites list shows them)");
            return ExitCode.USAGE;
        }
        term.out("removed %s and its password%n", name);
        return ExitCode.OK;
    }

    private ExitCode importFile(SavedSites store, String file) throws IOException {
        SiteImport.Report report;
        try {
            report = SiteImport.fromFileZilla(store, sites.resolve(Path.of(file)));
        } catch (NoSuchFileException e) {
            term.error("no such file: " + file);
            return ExitCode.USAGE;
        }
        for (String line : report.text().split(System.lineSeparator())) {
            term.out("%s%n", line);
        }
        return ExitCode.OK;
    }

    /** {@code ftp://user@host:port}, the scheme saying the security, as {@code sites add} takes it. */
    static String url(Site s) {
        String scheme = s.security() == Security.PLAIN ? "ftp" : s.security() == Security.EXPLICIT_TLS ? "ftps" : "ftpsi";
        String host = s.host().indexOf(':') >= 0 ? "[" + s.host() + "]" : s.host();
        return scheme + "://" + s.user() + "@" + host + ":" + s.port();
    }
}
