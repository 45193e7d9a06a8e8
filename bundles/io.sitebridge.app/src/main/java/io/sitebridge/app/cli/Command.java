package io.sitebridge.app.cli;

/** The commands of the command line. */
enum Command {
    COPY("copy", "cp"), LS("ls", "list"), DIFF("diff"), MIRROR("mirror"), SITES("sites"), SKIP("skip"), HELP("help", "--help", "-h"), VERSION("--version", "version");

    final String[] names;

    Command(String... names) {
        this.names = names;
    }

    static Command named(String name) {
        for (Command c : values()) {
            for (String n : c.names) {
                if (n.equals(name)) {
                    return c;
                }
            }
        }
        return null;
    }
}
