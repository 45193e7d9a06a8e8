package io.sitebridge.app;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.sitebridge.core.dialogue.ControlDialogue;

/** Starts the control-dialogue log file of the standalone application. */
public class AppActivator implements BundleActivator {

    private DialogueLogFile log;

    @Override
    public void start(BundleContext context) {
        if (!Platform.getInstanceLocation().isSet() && !Platform.getInstanceLocation().allowsDefault()) {
            return; // headless command line without a workspace: it prints the dialogue itself
        }
        Path file = Platform.getStateLocation(context.getBundle()).toPath().resolve("control-dialogue.log");
        try {
            log = DialogueLogFile.start(ControlDialogue.global(), file);
        } catch (IOException | IllegalStateException e) {
            ILog.of(getClass()).warn("No control-dialogue log file: " + e.getMessage());
        }
    }

    @Override
    public void stop(BundleContext context) {
        if (log != null) {
            log.close();
            log = null;
        }
    }
}
