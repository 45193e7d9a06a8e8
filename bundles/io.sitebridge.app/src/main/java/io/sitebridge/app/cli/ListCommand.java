package io.sitebridge.app.cli;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;

/** {@code sitebridge ls URL} or {@code sitebridge ls NAME:/path}: one folder, one line per entry, like {@code ls -l}. */
final class ListCommand {
    private final Terminal term;
    private final CommandLineSites sites;

    ListCommand(Terminal term, CommandLineSites sites) {
        this.term = term;
        this.sites = sites;
    }

    /** Only ls prints times: the time zone database (tzdb.dat) is read on first use, not by every command. */
    private static final class Times {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
                .withZone(ZoneId.systemDefault());
    }

    ExitCode run(Arguments a) {
        CommandLineSites.Target where;
        Site site;
        try {
            where = sites.resolve(a.urls().get(0), null);
            site = where.site().build();
        } catch (CommandLineSites.Unresolved e) {
            term.error(e.getMessage());
            return e.code;
        } catch (IllegalArgumentException e) {
            term.error(e.getMessage());
            return ExitCode.USAGE;
        }
        ControlDialogue dialogue = CommandLineSites.dialogue(term, a);
        FtpSession session;
        try {
            session = FtpSession.open(site, dialogue, !a.has(Option.INSECURE));
        } catch (FtpException e) {
            flush(dialogue);
            term.error(e.getMessage());
            return ExitCode.CONNECT;
        }
        try (session) {
            List<RemoteEntry> entries = session.list(where.path());
            flush(dialogue);
            // One write per 64 KiB, not several per entry: a listing can have 100,000 lines.
            StringBuilder lines = new StringBuilder(1 << 16);
            for (RemoteEntry e : entries) {
                appendLine(lines, e);
                if (lines.length() > 60_000) {
                    term.outBlock(lines);
                    lines.setLength(0);
                }
            }
            term.outBlock(lines);
            term.flush();
            return ExitCode.OK;
        } catch (FtpException e) {
            flush(dialogue);
            term.error(e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /** {@code drwxr-xr-x owner    group          size yyyy-MM-dd HH:mm name[ -> target]}, like ls -l. */
    private void appendLine(StringBuilder sb, RemoteEntry e) {
        sb.append(switch (e.type()) {
            case DIRECTORY -> 'd';
            case LINK -> 'l';
            case FILE -> '-';
            default -> '?';
        });
        String perms = e.permissions();
        sb.append(perms.length() == 9 && perms.chars().allMatch(c -> c == '-' || Character.isLetter(c)) ? perms
                : "---------").append(' ');
        padRight(sb, e.owner(), 8).append(' ');
        padRight(sb, e.group(), 8).append(' ');
        String size = Long.toString(e.size());
        sb.repeat(' ', Math.max(0, 12 - size.length())).append(size).append(' ');
        sb.append(e.modified() == null ? "                " : Times.TIME.format(e.modified())).append(' ');
        term.append(sb, e.name());
        if (e.linkTarget() != null) {
            term.append(sb.append(" -> "), e.linkTarget());
        }
        sb.append(System.lineSeparator());
    }

    private StringBuilder padRight(StringBuilder sb, String fromServer, int width) {
        int before = sb.length();
        term.append(sb, fromServer);
        return sb.repeat(' ', Math.max(0, width - (sb.length() - before)));
    }

    private static void flush(ControlDialogue dialogue) {
        try {
            dialogue.flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
