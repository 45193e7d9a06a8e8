package io.sitebridge.app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.DialogueListener;

/**
 * Keeps the control dialogue of the current run in a file (secrets already
 * masked by core), the previous run's beside it with the suffix ".1": what a
 * user attaches to a bug report, and what the product tests read.
 */
final class DialogueLogFile implements DialogueListener, AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());

    private final ControlDialogue dialogue;
    private final BufferedWriter out;

    private DialogueLogFile(ControlDialogue dialogue, BufferedWriter out) {
        this.dialogue = dialogue;
        this.out = out;
    }

    static DialogueLogFile start(ControlDialogue dialogue, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        DialogueLogFile log = new DialogueLogFile(dialogue, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        dialogue.addListener(log);
        return log;
    }

    @Override
    public void onEvent(DialogueEvent event) {
        try {
            synchronized (out) {
                out.write(TIME.format(event.time()));
                out.write(' ');
                out.write(event.sessionId());
                out.write(' ');
                out.write(event.format());
                out.newLine();
                out.flush();
            }
        } catch (IOException e) {
            // a full disk must not break transfers; the console still shows the dialogue
        }
    }

    @Override
    public void close() {
        dialogue.removeListener(this);
        try {
            synchronized (out) {
                out.close();
            }
        } catch (IOException e) {
            // nothing left to save
        }
    }
}
