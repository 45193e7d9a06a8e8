package io.sitebridge.app;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

import io.sitebridge.app.cli.Cli;
import io.sitebridge.core.dialogue.ControlDialogue;

/**
 * The headless command line ({@code sitebridge copy|ls ...}) as an Eclipse
 * application: no display, no workspace. The returned Integer becomes the
 * process exit code.
 */
public class CliApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        context.applicationRunning();
        int code = Cli.run(args == null ? new String[0] : args, System.out, System.err);
        ControlDialogue.global().flush(java.time.Duration.ofSeconds(2));
        System.out.flush();
        System.err.flush();
        return Integer.valueOf(code);
    }

    @Override
    public void stop() {
        // a running copy is ended by the framework shutting down its threads
    }
}
