package io.sitebridge.transfer.op;

import java.util.Objects;

import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.MultiRule;

import io.sitebridge.transfer.queue.Endpoint;

/**
 * The scheduling rule of one site (by its key, so two {@code Site} objects of one server and
 * account are one rule; the local file system is {@link Endpoint#LOCAL_KEY}). Two rules of one
 * site conflict, rules of different sites do not; an operation on two sites holds both
 * ({@link #of(Endpoint, Endpoint)}).
 */
public final class SiteRule implements ISchedulingRule {

    private final String siteKey;

    private SiteRule(String siteKey) {
        this.siteKey = Objects.requireNonNull(siteKey);
    }

    public static SiteRule of(String siteKey) {
        return new SiteRule(siteKey);
    }

    public static SiteRule of(Endpoint endpoint) {
        return new SiteRule(endpoint.key());
    }

    /** Both sites' rules (one rule when they are the same site). */
    public static ISchedulingRule of(Endpoint a, Endpoint b) {
        return MultiRule.combine(of(a), of(b));
    }

    public String siteKey() {
        return siteKey;
    }

    @Override
    public boolean contains(ISchedulingRule rule) {
        return equals(rule);
    }

    @Override
    public boolean isConflicting(ISchedulingRule rule) {
        if (rule instanceof MultiRule multi) {
            return multi.isConflicting(this); // symmetric: a pair conflicts with each of its sites
        }
        return equals(rule);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteRule r && r.siteKey.equals(siteKey);
    }

    @Override
    public int hashCode() {
        return siteKey.hashCode();
    }

    @Override
    public String toString() {
        return "SiteRule[" + siteKey + "]";
    }
}
