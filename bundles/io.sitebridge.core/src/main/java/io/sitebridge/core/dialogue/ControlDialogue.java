package io.sitebridge.core.dialogue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub of every session's control dialogue: sessions publish commands, replies and
 * notes; any number of listeners (console view, log file, CLI) receive them.
 *
 * <p>Publishing never blocks the publishing (network) thread: events go into a queue and
 * a single daemon dispatcher thread delivers them in order. The queue holds at most
 * {@link #capacity()} events; if listeners fall that far behind, the oldest undelivered
 * events are dropped and a NOTE saying how many were lost is delivered in their place,
 * so loss is never silent.
 *
 * <p>Use {@link #global()} for the application-wide stream, or a private instance in tests.
 */
public final class ControlDialogue {
    // No static Logger: java.util.logging's set-up (reading logging.properties) would be paid by every
    // command line before its first connection; a listener failing is rare.
    private static final ControlDialogue GLOBAL = new ControlDialogue(100_000);

    private final List<DialogueListener> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<DialogueEvent> queue = new ArrayDeque<>();
    private final int capacity;
    private long dropped;
    private long published;
    private long delivered;
    private Thread dispatcher;

    public ControlDialogue() {
        this(100_000);
    }

    public ControlDialogue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity");
        }
        this.capacity = capacity;
    }

    /** The application-wide dialogue that sessions use unless given another one. */
    public static ControlDialogue global() {
        return GLOBAL;
    }

    public int capacity() {
        return capacity;
    }

    public void addListener(DialogueListener listener) {
        listeners.add(listener);
    }

    public void removeListener(DialogueListener listener) {
        listeners.remove(listener);
    }

    /** Whether anyone listens: callers may skip building the text of an event nobody receives. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Publishes a command sent on a session; secrets are masked here. */
    public void sent(String site, String sessionId, String command) {
        if (listeners.isEmpty()) {
            return; // nobody listens: no masking, no event, no clock read per command
        }
        publish(new DialogueEvent(site, sessionId, Direction.SENT, SecretMasking.maskCommand(command), Instant.now()));
    }

    public void received(String site, String sessionId, String reply) {
        if (listeners.isEmpty()) {
            return;
        }
        publish(new DialogueEvent(site, sessionId, Direction.RECEIVED, SecretMasking.stripEol(reply), Instant.now()));
    }

    public void note(String site, String sessionId, String text) {
        if (listeners.isEmpty()) {
            return;
        }
        publish(new DialogueEvent(site, sessionId, Direction.NOTE, text, Instant.now()));
    }

    /** Queues an event for delivery; returns at once. */
    public void publish(DialogueEvent event) {
        if (listeners.isEmpty()) {
            return; // nobody listens: nothing to keep
        }
        synchronized (queue) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(event);
            published++;
            if (dispatcher == null) {
                dispatcher = new Thread(this::dispatchLoop, "sitebridge-dialogue");
                dispatcher.setDaemon(true);
                dispatcher.start();
            }
            queue.notifyAll();
        }
    }

    /**
     * Waits until every event published so far has been delivered (CLI exit, tests).
     *
     * @return false if the timeout passed first
     */
    public boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (queue) {
            long target = published;
            while (delivered + dropped < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(queue, left);
            }
            return true;
        }
    }

    private void dispatchLoop() {
        while (true) {
            DialogueEvent event;
            long lost;
            synchronized (queue) {
                while (queue.isEmpty()) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        dispatcher = null;
                        return;
                    }
                }
                event = queue.pollFirst();
                lost = dropped;
                dropped = 0;
                // Counted as delivered below; dropped ones are counted as handled now.
                delivered += lost;
            }
            if (lost > 0) {
                deliver(new DialogueEvent("sitebridge", "-", Direction.NOTE,
                        lost + " dialogue events were dropped because listeners fell behind", Instant.now()));
            }
            deliver(event);
            synchronized (queue) {
                delivered++;
                queue.notifyAll();
            }
        }
    }

    private void deliver(DialogueEvent event) {
        for (DialogueListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                Logger.getLogger(ControlDialogue.class.getName()).log(Level.WARNING, "dialogue listener failed", e);
            }
        }
    }
}
