package io.sitebridge.app.cli;

import io.sitebridge.core.trust.CertificatePins;

/** The one usage text: every command, every option ({@link Option}) and every exit code ({@link ExitCode}). */
final class Usage {
    private Usage() {
    }

    /** The commands: the first lines of the text, and what a usage error prints after its reason. */
    static final String SHORT = String.join(System.lineSeparator(),
            "usage: sitebridge copy [OPTIONS] SRC DST        copy one file (DST ending in / : into that folder)",
            "       sitebridge copy -r [OPTIONS] SRC DST     copy a folder with everything in it",
            "       sitebridge ls [OPTIONS] WHERE            list a folder, like ls -l",
            "       sitebridge diff [OPTIONS] SRC DST        compare two folders: one line per difference,",
            "                                                exit 0 when equal, 1 when they differ",
            "       sitebridge mirror [OPTIONS] SRC DST      make DST like SRC: copy what is missing or different",
            "                                                (--delete: also delete what SRC lacks)",
            "       sitebridge sites list                    the saved sites (the application's site manager's too)",
            "       sitebridge sites add URL NAME            save a site (password: SITEBRIDGE_PASSWORD or a prompt)",
            "       sitebridge sites remove NAME             forget a saved site and its password",
            "       sitebridge sites import FILE             import FileZilla's sitemanager.xml (folders become NAME/...)",
            "       sitebridge skip list [--site NAME]       the skip lists: patterns diff and mirror always leave out",
            "       sitebridge skip add [--site NAME] GLOB   add GLOB (as for --exclude) to the global or NAME's skip list",
            "       sitebridge skip remove [--site NAME] GLOB  remove GLOB from that skip list",
            "       sitebridge agent start [--idle-minutes N]  keep a JVM running for scripts' commands (below)",
            "       sitebridge agent status | stop           whether it runs (exit 1: none does) | end it",
            "       sitebridge --help                        this text (also: help, -h)",
            "       sitebridge --version                     the version") + System.lineSeparator();

    static final String TEXT = build();

    private static String build() {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append(SHORT).append(nl)
                .append("Every copy goes through the transfer queue in the state folder: a copy that was interrupted").append(nl)
                .append("(even by kill -9) continues where it stopped when the same command runs again; so does a mirror.")
                .append(nl)
                .append(nl)
                .append("options:").append(nl);
        for (Option o : Option.values()) {
            StringBuilder left = new StringBuilder("  ").append(String.join(", ", o.names));
            if (o.value != null) {
                left.append(' ').append(o.value);
            }
            if (!o.commands.containsAll(java.util.EnumSet.of(Command.COPY, Command.LS, Command.DIFF, Command.MIRROR))) {
                left.append("  (").append(String.join(", ", o.commands.stream().sorted()
                        .map(c -> c.names[0]).toList())).append(')');
            }
            sb.append(left);
            sb.repeat(' ', Math.max(1, 36 - left.length())).append(o.help).append(nl);
        }
        sb.append(nl)
                .append("SRC, DST, WHERE: a URL, ftp://user@host[:port]/path, ftps:// (explicit TLS), ftpsi:// (implicit TLS),")
                .append(nl)
                .append("  or a saved site and a path on it, NAME:/path (e.g. sitebridge copy -r left:/pub right:/in)").append(nl)
                .append("passwords: a saved site's from the saved sites (encrypted; no prompt); else SITEBRIDGE_SRC_PASSWORD,")
                .append(nl)
                .append("  SITEBRIDGE_DST_PASSWORD, SITEBRIDGE_PASSWORD, or a prompt; never needed on the command line").append(nl)
                .append("saved sites: sites.properties in $SITEBRIDGE_HOME, else ${XDG_DATA_HOME:-~/.local/share}/sitebridge")
                .append(nl)
                .append("skip lists: kept there too; diff and mirror leave out the global list's patterns and those of")
                .append(nl)
                .append("  SRC's and DST's saved sites, on top of --include/--exclude (neither copied nor deleted)").append(nl)
                .append("certificates: one the system does not trust is refused with its SHA-256 fingerprint; after").append(nl)
                .append("  checking it, --trust SHA256:FP pins it for its server in ").append(CertificatePins.FILE).append(nl)
                .append("  in the user folder (shared with the app); a pinned server whose certificate changes is refused")
                .append(nl)
                .append("agent: while one runs (sitebridge agent start), copy, ls, diff and mirror whose standard input is")
                .append(nl)
                .append("  not a terminal (a script's) run in it: the same output and exit code, without a new JVM's start")
                .append(nl)
                .append("  and compiling (measured: a quarter less time for a folder of 1000 small files). A command the agent does")
                .append(nl)
                .append("  not take (busy with another, another build, locale or time zone) runs as usual;")
                .append(nl)
                .append("  SITEBRIDGE_NO_AGENT=1 runs one as usual. It ends after N (60) idle minutes or on agent stop.")
                .append(nl).append(nl)
                .append("exit codes:").append(nl);
        for (ExitCode c : ExitCode.values()) {
            String code = Integer.toString(c.code);
            sb.append("  ").repeat(' ', 3 - code.length()).append(code).append("  ").append(c.meaning).append(nl);
        }
        return sb.toString();
    }
}
