package io.sitebridge.ui.queue;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.transfer.queue.ConflictResolver;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;

/**
 * Answers the queue's conflicts by asking the user ({@link ConflictDialog}) on the UI thread. The
 * queue never waits on a transfer thread: the item waits, the stage completes when the user
 * answers. One dialog at a time; "apply to all" is remembered for the batch (the items of one
 * drop or paste, folders with their files) and answers that batch's later conflicts unasked.
 */
public final class ConflictPrompt implements ConflictResolver, QueueListener {

    /** The items of one drop or paste. */
    private static final class Batch {
        volatile ConflictRule applyToAll;
    }

    /** Top-level item id to its batch (a folder's files find it through their parent id). */
    private final Map<Long, Batch> batches = new ConcurrentHashMap<>();
    /** Questions not shown yet; touched on the UI thread only. */
    private final Deque<Runnable> pending = new ArrayDeque<>();
    private boolean showing;

    /** Makes the items one batch (call right after adding them). */
    public void batch(Collection<QueueItem> added) {
        Batch b = new Batch();
        for (QueueItem i : added) {
            batches.put(i.id(), b);
        }
    }

    @Override
    public CompletionStage<ConflictRule> decide(QueueItem item, ExistingFile existing) {
        Batch batch = batchOf(item);
        if (batch != null && batch.applyToAll != null) {
            return CompletableFuture.completedFuture(batch.applyToAll);
        }
        CompletableFuture<ConflictRule> answer = new CompletableFuture<>();
        Display display = PlatformUI.isWorkbenchRunning() ? PlatformUI.getWorkbench().getDisplay() : null;
        if (display == null || display.isDisposed()) {
            answer.complete(null); // nobody to ask: the queue applies its default
            return answer;
        }
        display.asyncExec(() -> {
            pending.add(() -> {
                Batch b = batchOf(item); // looked up again: a drop registers its batch just after adding
                ConflictRule all = b == null ? null : b.applyToAll;
                if (all != null) {
                    answer.complete(all); // answered for the whole batch while this one waited
                    return;
                }
                ConflictDialog.Answer a = ConflictDialog.ask(display, item, existing);
                if (a.applyToAll() && b != null) {
                    b.applyToAll = a.rule();
                }
                answer.complete(a.rule());
            });
            showNext();
        });
        return answer;
    }

    private Batch batchOf(QueueItem item) {
        return batches.get(item.parentId() != 0 ? item.parentId() : item.id());
    }

    /** Shows the waiting questions one after another; a question that arrives meanwhile joins the line. */
    private void showNext() {
        if (showing) {
            return;
        }
        showing = true;
        try {
            for (Runnable next; (next = pending.poll()) != null;) {
                next.run();
            }
        } finally {
            showing = false;
        }
    }

    /** An item left the queue: its batch entry goes with it. */
    @Override
    public void itemRemoved(QueueItem item) {
        batches.remove(item.id());
    }
}
