package io.sitebridge.app.cli;

/** The one usage text: every command, every option ({@link Option}) and every exit code ({@link ExitCode}). */
final class Usage {
    private Usage() {
    }

    /** The commands: the first lines of the text, and what a usage error prints after its reason. */
    static final String SHORT = String.join(System.lineSeparator(),
            "usage: sitebridge copy [OPTIONS] SRC_URL DST_URL      copy one file (DST_URL ending in / : into that folder)",
            "       sitebridge copy -r [OPTIONS] SRC_URL DST_URL   copy a folder with everything in it",
            "       sitebridge ls [OPTIONS] URL                    list a folder, like ls -l",
            "       sitebridge diff [OPTIONS] SRC_URL DST_URL      compare two folders: one line per difference,",
            "                                                      exit 0 when equal, 1 when they differ",
            "       sitebridge mirror [OPTIONS] SRC_URL DST_URL    make DST like SRC: copy what is missing or different",
            "                                                      (--delete: also delete what SRC lacks)",
            "       sitebridge --help                              this text (also: help, -h)",
            "       sitebridge --version                           the version") + System.lineSeparator();

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
                .append("URLs: ftp://user@host[:port]/path, ftps:// (explicit TLS), ftpsi:// (implicit TLS)").append(nl)
                .append("passwords: SITEBRIDGE_SRC_PASSWORD, SITEBRIDGE_DST_PASSWORD, SITEBRIDGE_PASSWORD, or a prompt")
                .append(nl).append(nl)
                .append("exit codes:").append(nl);
        for (ExitCode c : ExitCode.values()) {
            String code = Integer.toString(c.code);
            sb.append("  ").repeat(' ', 3 - code.length()).append(code).append("  ").append(c.meaning).append(nl);
        }
        return sb.toString();
    }
}
