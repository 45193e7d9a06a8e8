package io.sitebridge.transfer.queue;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers queue events to listeners on one daemon thread, so that transfer threads only put an
 * event in a queue and go on. State events are delivered in order, all of them; progress events
 * are kept per item and only the latest is delivered, so a slow listener cannot make them pile up.
 */
final class EventHub {

    private enum Type { ADDED, CHANGED, REMOVED }

    private record Event(Type type, QueueItem item) { }

    private static final long LINGER_MILLIS = 3;

    private final List<QueueListener> listeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final Map<Long, Progress> progress = new LinkedHashMap<>();
    private Thread thread;
    private boolean delivering;
    /** The delivery thread waits for events: only then does posting need to wake it. */
    private boolean sleeping;
    /** {@link #close()}: the delivery thread ends once it has nothing left to deliver. */
    private boolean closed;

    void add(QueueListener l) {
        listeners.add(l);
    }

    void remove(QueueListener l) {
        listeners.remove(l);
    }

    void added(QueueItem i) { post(new Event(Type.ADDED, i)); }

    void changed(QueueItem i) {
        if (i.state().isFinished() && !listeners.isEmpty()) {
            synchronized (events) {
                progress.remove(i.id()); // an ended item's last progress is old news
            }
        }
        post(new Event(Type.CHANGED, i));
    }

    void removed(QueueItem i) { post(new Event(Type.REMOVED, i)); }

    void progress(Progress p) {
        if (listeners.isEmpty()) {
            return;
        }
        synchronized (events) {
            if (closed) {
                return;
            }
            progress.put(p.itemId(), p);
            wake();
        }
    }

    private void post(Event e) {
        if (listeners.isEmpty()) {
            return;
        }
        synchronized (events) {
            if (closed) {
                return;
            }
            events.addLast(e);
            wake();
        }
    }

    private void wake() {
        if (thread == null && !closed) {
            thread = new Thread(this::loop, "sitebridge-queue-events");
            thread.setDaemon(true);
            thread.start();
        }
        if (sleeping) {
            events.notifyAll(); // else it is delivering and takes the new ones in its next batch
        }
    }

    /** Not a static Logger: java.util.logging's set-up is not worth paying for at every start. */
    private static void log(RuntimeException ex) {
        Logger.getLogger(EventHub.class.getName()).log(Level.WARNING, "queue listener failed", ex);
    }

    /**
     * Ends the delivery thread once what was posted is delivered; later events are dropped. A queue
     * closes its hub: in a JVM that outlives its queues (the command line's agent, the
     * application) each would else keep a thread and its listeners.
     */
    void close() {
        synchronized (events) {
            closed = true;
            events.notifyAll();
        }
    }

    /** Waits until every event posted so far was delivered (tests, the CLI's last line). */
    boolean flush(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (events) {
            while (!events.isEmpty() || !progress.isEmpty() || delivering) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                events.wait(left);
            }
            return true;
        }
    }

    /**
     * Takes everything posted so far in one batch (state events in order, then the latest
     * progress per item), so that a burst of changes costs one hand-over, not one per event.
     */
    private void loop() {
        java.util.ArrayList<Event> batch = new java.util.ArrayList<>();
        java.util.ArrayList<Progress> latest = new java.util.ArrayList<>();
        while (true) {
            synchronized (events) {
                delivering = false;
                events.notifyAll();
                boolean slept = false;
                while (events.isEmpty() && progress.isEmpty()) {
                    if (closed) {
                        thread = null;
                        return;
                    }
                    sleeping = true;
                    slept = true;
                    try {
                        events.wait();
                    } catch (InterruptedException ex) {
                        thread = null;
                        return;
                    } finally {
                        sleeping = false;
                    }
                }
                if (slept) {
                    // Woken by one event: let the ones right behind it (the same file's next state, the
                    // other workers') join the batch. A few milliseconds nobody sees, and one hand-over
                    // instead of several per file.
                    try {
                        events.wait(LINGER_MILLIS);
                    } catch (InterruptedException ex) {
                        thread = null;
                        return;
                    }
                }
                batch.addAll(events);
                events.clear();
                latest.addAll(progress.values());
                progress.clear();
                delivering = true;
            }
            for (Event e : batch) {
                for (QueueListener l : listeners) {
                    try {
                        switch (e.type) {
                            case ADDED -> l.itemAdded(e.item);
                            case CHANGED -> l.itemChanged(e.item);
                            case REMOVED -> l.itemRemoved(e.item);
                        }
                    } catch (RuntimeException ex) {
                        log(ex);
                    }
                }
            }
            for (Progress p : latest) {
                for (QueueListener l : listeners) {
                    try {
                        l.progress(p);
                    } catch (RuntimeException ex) {
                        log(ex);
                    }
                }
            }
            for (QueueListener l : listeners) {
                try {
                    l.delivered();
                } catch (RuntimeException ex) {
                    log(ex);
                }
            }
            batch.clear();
            latest.clear();
        }
    }
}
