package io.sitebridge.transfer.cli;

import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueListener;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.TransferController;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.TransferListener;
import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.TransferResult;
import io.sitebridge.transfer.cli.CommandLineSites.MissingPassword;

/**
 * The headless command line: {@code copy} and {@code ls}. Plain Java; the product's start
 * script reaches it through {@code io.sitebridge.app.cli.Cli}.
 *
 * <pre>
 * sitebridge copy [--verify] [--no-relay] [--fxp-clear-data] [--insecure] [--accept-timeout S] [-v] SRC_URL DST_URL
 * sitebridge ls [--insecure] [-v] URL
 * </pre>
 *
 * URLs are {@code ftp://}, {@code ftps://} (explicit TLS) or {@code ftpsi://} (implicit TLS),
 * {@code scheme://user@host:port/path}. Passwords come from the environment, never needed on
 * the command line: {@code SITEBRIDGE_SRC_PASSWORD} / {@code SITEBRIDGE_DST_PASSWORD} (copy),
 * else {@code SITEBRIDGE_PASSWORD}, else a prompt on the terminal; a password written in a URL
 * works but is warned about (it shows in {@code ps}). {@code -v} writes both control dialogues,
 * interleaved and tagged by site, to standard error. The strategy that worked for a pair of sites
 * (which server listens, or relaying) is remembered in the state folder, {@code $SITEBRIDGE_HOME}
 * or {@code ${XDG_DATA_HOME:-~/.local/share}/sitebridge}, and tried first next time.
 *
 * <p>Exit codes: 0 done; 1 the transfer or listing failed; 2 usage or missing password;
 * 3 cannot connect or log in; 4 FXP refused and relaying not allowed; 5 verification failed
 * (destination incomplete or different); 6 protected FXP impossible; 130 cancelled.
 */
public final class SitebridgeCli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int CONNECT = 3;
    public static final int FXP_REFUSED = 4;
    public static final int VERIFY = 5;
    public static final int TLS = 6;
    public static final int CANCELLED = 130;

    private static final String USAGE_TEXT = String.join(System.lineSeparator(),
            "usage: sitebridge copy [--verify] [--no-relay] [--fxp-clear-data] [--insecure] [--accept-timeout S] [-v] SRC_URL DST_URL",
            "       sitebridge ls [--insecure] [-v] URL",
            "URLs: ftp://user@host[:port]/path, ftps:// (explicit TLS), ftpsi:// (implicit TLS)",
            "passwords: SITEBRIDGE_SRC_PASSWORD, SITEBRIDGE_DST_PASSWORD, SITEBRIDGE_PASSWORD, or a prompt");

    private final PrintStream out;
    private final PrintStream err;
    private final CommandLineSites sites;

    public SitebridgeCli(PrintStream out, PrintStream err, Map<String, String> env, Supplier<Console> console) {
        this.out = out;
        this.err = err;
        this.sites = new CommandLineSites(err, env, console);
    }

    /** Runs with the process's environment and terminal. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new SitebridgeCli(out, err, System.getenv(), System::console).execute(args);
    }

    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    public int execute(String[] args) {
        try {
            if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
                (args.length == 0 ? err : out).println(USAGE_TEXT);
                return args.length == 0 ? USAGE : OK;
            }
            String command = args[0];
            List<String> rest = List.of(args).subList(1, args.length);
            return switch (command) {
                case "copy", "cp" -> copy(rest);
                case "ls", "list" -> ls(rest);
                default -> throw new Usage("unknown command: " + command);
            };
        } catch (Usage e) {
            err.println("sitebridge: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
    }

    // ---- copy --------------------------------------------------------------------------------------

    private int copy(List<String> args) throws Usage {
        TransferOptions options = TransferOptions.defaults();
        boolean verbose = false;
        boolean insecure = false;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--verify" -> options = options.withVerify(true);
                case "--no-relay" -> options = options.withRelayAllowed(false);
                case "--relay-only", "--no-fxp" -> options = options.withFxpAllowed(false);
                case "--fxp-clear-data" -> options = options.withClearDataAllowed(true);
                case "--insecure", "-k" -> insecure = true;
                case "-v", "--verbose" -> verbose = true;
                case "--accept-timeout" -> {
                    if (i + 1 >= args.size()) {
                        throw new Usage("--accept-timeout needs seconds");
                    }
                    try {
                        options = options.withAcceptTimeout(Duration.ofMillis(
                                (long) (Double.parseDouble(args.get(++i)) * 1000)));
                    } catch (NumberFormatException e) {
                        throw new Usage("--accept-timeout needs seconds");
                    }
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new Usage("unknown option: " + a);
                    }
                    urls.add(a);
                }
            }
        }
        if (urls.size() != 2) {
            throw new Usage("copy needs SRC_URL and DST_URL");
        }
        FtpUrl src = url(urls.get(0));
        FtpUrl dst = url(urls.get(1));
        String dstPath = dst.path();
        if (dstPath.endsWith("/")) {
            String s = src.path();
            dstPath = dstPath + s.substring(s.lastIndexOf('/') + 1);
        }
        Site srcSite;
        Site dstSite;
        try {
            srcSite = site(src, "SITEBRIDGE_SRC_PASSWORD");
            dstSite = site(dst, "SITEBRIDGE_DST_PASSWORD");
        } catch (MissingPassword e) {
            err.println("sitebridge: " + e.getMessage());
            return USAGE;
        }
        ControlDialogue dialogue = new ControlDialogue();
        DialogueListener printer = verbose ? e -> err.println(e.format()) : null;
        if (printer != null) {
            dialogue.addListener(printer);
        }
        try {
            TransferResult r = new TransferController(dialogue, StrategyMemory.inFolder(stateFolder()), !insecure)
                    .copy(srcSite, src.path(), dstSite, dstPath, options, TransferListener.NONE);
            flush(dialogue);
            out.printf(Locale.ROOT, "copied %s to %s: %d bytes by %s, checked by %s, in %.1f s%n", src.display()
                    + src.path(), dst.display() + dstPath, r.bytes(), r.strategy(), r.contentCheck(),
                    r.elapsed().toMillis() / 1000.0);
            return OK;
        } catch (TransferException e) {
            flush(dialogue);
            err.println("sitebridge: copy failed: " + oneLine(e.getMessage()));
            return switch (e.reason()) {
                case FXP_REFUSED -> FXP_REFUSED;
                case VERIFY_FAILED -> VERIFY;
                case TLS_FXP_IMPOSSIBLE -> TLS;
                case CANCELLED -> CANCELLED;
                case CONNECTION -> e.getCause() instanceof FtpException fe && fe.reply() != null ? CONNECT
                        : isConnectFailure(e) ? CONNECT : FAILED;
                case INVALID_NAME -> USAGE;
                default -> FAILED;
            };
        }
    }

    /** The per-user state folder; what worked for each pair of sites is kept there ({@link StrategyMemory#FILE_NAME}). */
    Path stateFolder() {
        return sites.stateFolder();
    }

    private static boolean isConnectFailure(TransferException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.contains("cannot connect") || m.contains("login failed") || m.contains("refused the connection");
    }

    // ---- ls ----------------------------------------------------------------------------------------

    /** Only ls prints times: the time zone database (tzdb.dat) is read on first use, not by every command. */
    private static final class Times {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
                .withZone(ZoneId.systemDefault());
    }

    private int ls(List<String> args) throws Usage {
        boolean verbose = false;
        boolean insecure = false;
        List<String> urls = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "-v", "--verbose" -> verbose = true;
                case "--insecure", "-k" -> insecure = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new Usage("unknown option: " + a);
                    }
                    urls.add(a);
                }
            }
        }
        if (urls.size() != 1) {
            throw new Usage("ls needs one URL");
        }
        FtpUrl u = url(urls.get(0));
        Site site;
        try {
            site = site(u, null);
        } catch (MissingPassword e) {
            err.println("sitebridge: " + e.getMessage());
            return USAGE;
        }
        ControlDialogue dialogue = new ControlDialogue();
        if (verbose) {
            dialogue.addListener(e -> err.println(e.format()));
        }
        FtpSession session;
        try {
            session = FtpSession.open(site, dialogue, !insecure);
        } catch (FtpException e) {
            flush(dialogue);
            err.println("sitebridge: " + oneLine(e.getMessage()));
            return CONNECT;
        }
        try (session) {
            List<RemoteEntry> entries = session.list(u.path());
            flush(dialogue);
            // One write per 64 KiB, not several per entry: a listing can have 100,000 lines.
            StringBuilder lines = new StringBuilder(1 << 16);
            for (RemoteEntry e : entries) {
                appendLine(lines, e);
                if (lines.length() > 60_000) {
                    out.print(lines);
                    lines.setLength(0);
                }
            }
            out.print(lines);
            out.flush();
            return OK;
        } catch (FtpException e) {
            flush(dialogue);
            err.println("sitebridge: " + oneLine(e.getMessage()));
            return FAILED;
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** {@code drwxr-xr-x owner    group          size yyyy-MM-dd HH:mm name[ -> target]}, like ls -l. */
    static void appendLine(StringBuilder sb, RemoteEntry e) {
        sb.append(switch (e.type()) {
            case DIRECTORY -> 'd';
            case LINK -> 'l';
            case FILE -> '-';
            default -> '?';
        });
        sb.append(e.permissions().length() == 9 ? e.permissions() : "---------").append(' ');
        padRight(sb, e.owner(), 8).append(' ');
        padRight(sb, e.group(), 8).append(' ');
        String size = Long.toString(e.size());
        sb.repeat(' ', Math.max(0, 12 - size.length())).append(size).append(' ');
        sb.append(e.modified() == null ? "                " : Times.TIME.format(e.modified())).append(' ');
        sb.append(e.name());
        if (e.linkTarget() != null) {
            sb.append(" -> ").append(e.linkTarget());
        }
        sb.append(System.lineSeparator());
    }

    private static StringBuilder padRight(StringBuilder sb, String text, int width) {
        return sb.append(text).repeat(' ', Math.max(0, width - text.length()));
    }

    private static FtpUrl url(String text) throws Usage {
        try {
            return FtpUrl.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
    }

    private Site site(FtpUrl u, String specificEnv) throws MissingPassword {
        return sites.site(u, specificEnv).build();
    }

    private static void flush(ControlDialogue dialogue) {
        try {
            dialogue.flush(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
