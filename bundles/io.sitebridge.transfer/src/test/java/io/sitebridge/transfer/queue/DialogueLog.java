package io.sitebridge.transfer.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;

/** Records a control dialogue for assertions (REST seen, commands per file, ...). */
final class DialogueLog {
    final ControlDialogue dialogue = new ControlDialogue(1_000_000);
    private final ConcurrentLinkedQueue<DialogueEvent> events = new ConcurrentLinkedQueue<>();

    DialogueLog() {
        dialogue.addListener(events::add);
    }

    List<DialogueEvent> events() {
        try {
            dialogue.flush(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(events);
    }

    void clear() {
        events();
        events.clear();
    }

    List<String> sent(Predicate<String> filter) {
        return events().stream().filter(e -> e.direction() == Direction.SENT).map(DialogueEvent::text)
                .filter(filter).toList();
    }

    long commandsSent() {
        return events().stream().filter(e -> e.direction() == Direction.SENT).count();
    }
}
