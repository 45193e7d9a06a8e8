package io.sitebridge.transfer.queue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks the user about files that exist at the destination when the rule is ASK: the item waits
 * (the workers go on with others) until the {@link ConflictResolver} answers, then runs again with
 * the rule chosen. Without a resolver, or without an answer, the queue's default rule applies
 * (SKIP when the default is ASK too).
 */
final class Conflicts {
    private final QueueBook book;
    private final QueueOptions options;
    private volatile ConflictResolver resolver;

    Conflicts(QueueBook book, QueueOptions options) {
        this.book = book;
        this.options = options;
    }

    void setResolver(ConflictResolver r) {
        resolver = r;
    }

    boolean canAsk() {
        return resolver != null;
    }

    /** The rule that applies when nobody answers. */
    ConflictRule fallback() {
        return options.defaultRule() == ConflictRule.ASK ? ConflictRule.SKIP : options.defaultRule();
    }

    /** Parks the item and asks; {@code modifiedMillis} is the destination's time (epoch ms) or -1. */
    void ask(QueueItem item, long existing, long modifiedMillis) {
        ConflictResolver r = resolver;
        long id = item.id();
        if (r == null) { // the resolver went away meanwhile
            book.updateIf(id, i -> true, i -> i.withRule(fallback()).with(ItemState.WAITING, "decided: "
                    + fallback().name().toLowerCase()));
            return;
        }
        book.awaitDecision(id, "waiting for a decision: the destination exists (" + existing + " bytes)");
        CompletionStage<ConflictRule> answer;
        try {
            answer = r.decide(item, new ConflictResolver.ExistingFile(item.destinationPath(), existing,
                    modifiedMillis));
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(null);
        }
        answer.whenComplete((rule, error) -> book.decided(id,
                rule == null || rule == ConflictRule.ASK || error != null ? fallback() : rule));
    }
}
