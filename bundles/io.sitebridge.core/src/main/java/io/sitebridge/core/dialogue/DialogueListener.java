package io.sitebridge.core.dialogue;

/**
 * Receives control-dialogue events. Called on the dialogue's own dispatcher thread,
 * one event at a time, in the order the events happened; never on a network thread.
 * A listener that throws is logged and keeps receiving later events.
 */
@FunctionalInterface
public interface DialogueListener {
    void onEvent(DialogueEvent event);
}
