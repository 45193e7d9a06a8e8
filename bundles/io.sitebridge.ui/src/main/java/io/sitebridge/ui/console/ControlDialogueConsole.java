package io.sitebridge.ui.console;

import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.graphics.Color;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.IConsoleManager;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.DialogueListener;
import io.sitebridge.core.dialogue.Direction;

/**
 * The "Sitebridge control dialogue" console: renders the core's dialogue
 * stream, one line per command or reply, tagged with time and site. Each site
 * gets a colour; commands are bold, replies plain, our own notes grey italics.
 * Secrets arrive masked from the core.
 */
public final class ControlDialogueConsole extends MessageConsole implements DialogueListener {

    public static final String NAME = "Sitebridge control dialogue";
    public static final String TYPE = "io.sitebridge.ui.controlDialogue";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** Colours that read well on a white background and apart from each other. */
    private static final int[][] PALETTE = { { 0x1F, 0x4E, 0xB4 }, { 0x1B, 0x7F, 0x3B }, { 0x8E, 0x2C, 0xA8 },
            { 0xB3, 0x5C, 0x00 }, { 0x00, 0x7C, 0x89 }, { 0xB0, 0x1E, 0x5A }, { 0x5D, 0x6B, 0x00 } };

    private static ControlDialogueConsole installed;

    /** Streams by site and direction; only the dialogue's dispatcher thread touches it. */
    private final Map<String, MessageConsoleStream> streams = new HashMap<>();
    private final Map<String, Color> siteColours = new HashMap<>();
    private final MessageConsoleStream notes;

    private ControlDialogueConsole() {
        super(NAME, TYPE, null, true);
        notes = newMessageStream();
        notes.setColor(new Color(0x70, 0x70, 0x70));
        notes.setFontStyle(SWT.ITALIC);
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

    public static synchronized ControlDialogueConsole get() {
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
        MessageConsoleStream out = streamFor(e.site(), e.direction());
        String arrow = switch (e.direction()) {
            case SENT -> "> ";
            case RECEIVED -> "< ";
            case NOTE -> "* ";
        };
        String prefix = TIME.format(e.time()) + " [" + e.site() + "] " + arrow;
        StringBuilder text = new StringBuilder();
        for (String line : e.text().split("\r?\n", -1)) {
            text.append(prefix).append(ServerText.printable(line)).append('\n'); // never raw server bytes
        }
        out.print(text.toString());
    }

    private MessageConsoleStream streamFor(String site, Direction direction) {
        if (direction == Direction.NOTE) {
            return notes;
        }
        return streams.computeIfAbsent(site + '\u0000' + direction, k -> {
            MessageConsoleStream s = newMessageStream();
            Color colour = colourOf(site);
            // styling redraws the console page: on the UI thread (dialogue events come on their own thread)
            Runnable style = () -> {
                s.setColor(colour);
                s.setFontStyle(direction == Direction.SENT ? SWT.BOLD : SWT.NORMAL);
            };
            Display d = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
            if (d == null || d.getThread() == Thread.currentThread()) {
                style.run();
            } else {
                d.asyncExec(style);
            }
            return s;
        });
    }

    private Color colourOf(String site) {
        return siteColours.computeIfAbsent(site, k -> {
            int[] rgb = PALETTE[siteColours.size() % PALETTE.length];
            return new Color(rgb[0], rgb[1], rgb[2]);
        });
    }

    @Override
    protected void dispose() {
        for (MessageConsoleStream s : streams.values()) {
            close(s);
        }
        close(notes);
        super.dispose();
    }

    private static void close(MessageConsoleStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing an in-memory console stream cannot lose anything
        }
    }
}
