package io.sitebridge.ui.console;

import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleManager;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.DialogueListener;

/**
 * The "Sitebridge control dialogue" console: renders the core's dialogue
 * stream, one line per command or reply, tagged with time and site.
 */
public final class ControlDialogueConsole extends MessageConsole implements DialogueListener {

    public static final String NAME = "Sitebridge control dialogue";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private static ControlDialogueConsole installed;

    private final MessageConsoleStream out;

    private ControlDialogueConsole() {
        super(NAME, null);
        out = newMessageStream();
    }

    /** Adds the console to the console manager (once) and starts listening to the dialogue. */
    public static synchronized ControlDialogueConsole install() {
        if (installed == null) {
            installed = new ControlDialogueConsole();
            IConsoleManager manager = ConsolePlugin.getDefault().getConsoleManager();
            manager.addConsoles(new IConsole[] { installed });
            ControlDialogue.global().addListener(installed);
        }
        return installed;
    }

    public static synchronized void uninstall() {
        if (installed != null) {
            ControlDialogue.global().removeListener(installed);
            installed = null;
        }
    }

    @Override
    public void onEvent(DialogueEvent e) {
        out.println(TIME.format(e.time()) + ' ' + e.format());
    }

    @Override
    protected void dispose() {
        try {
            out.close();
        } catch (IOException e) {
            // closing an in-memory console stream cannot lose anything
        }
        super.dispose();
    }
}
