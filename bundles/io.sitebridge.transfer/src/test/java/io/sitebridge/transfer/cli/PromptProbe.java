package io.sitebridge.transfer.cli;

/** Runs the command line in a JVM of its own (the password-prompt test runs it on a pseudo-terminal). */
public final class PromptProbe {
    private PromptProbe() {
    }

    public static void main(String[] args) {
        System.exit(SitebridgeCli.run(args, System.out, System.err));
    }
}
