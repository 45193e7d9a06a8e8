package io.sitebridge.transfer;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;

/**
 * Remembers, per ordered pair of sites, the strategy that last worked, so the next
 * transfer tries it first (and does not pay again for a refusal and its timeout).
 * Thread-safe. In memory only; {@link #snapshot()} and {@link #remember(String, Strategy)}
 * let a caller persist it.
 */
public final class StrategyMemory {
    private static final StrategyMemory GLOBAL = new StrategyMemory();
    private final Map<String, Strategy> byPair = new ConcurrentHashMap<>();

    public static StrategyMemory global() {
        return GLOBAL;
    }

    public static String pairKey(Site source, Site destination) {
        return source.key() + " -> " + destination.key();
    }

    public Optional<Strategy> lookup(Site source, Site destination) {
        return Optional.ofNullable(byPair.get(pairKey(source, destination)));
    }

    public void remember(Site source, Site destination, Strategy strategy) {
        byPair.put(pairKey(source, destination), strategy);
    }

    public void remember(String pairKey, Strategy strategy) {
        byPair.put(pairKey, strategy);
    }

    public void forget(Site source, Site destination) {
        byPair.remove(pairKey(source, destination));
    }

    public Map<String, Strategy> snapshot() {
        return Map.copyOf(byPair);
    }
}
