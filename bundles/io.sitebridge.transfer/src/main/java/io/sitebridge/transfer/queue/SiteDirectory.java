package io.sitebridge.transfer.queue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;

/**
 * Finds the {@link Site} (with its password source) for a site key stored in the queue. The
 * queue file never holds passwords; the app answers from its site registry, the CLI from its
 * URLs.
 */
@FunctionalInterface
public interface SiteDirectory {
    Optional<Site> find(String siteKey);

    /** A directory of the given sites; more can be added with {@link Simple#add(Site)}. */
    static Simple of(Site... sites) {
        Simple d = new Simple();
        for (Site s : sites) {
            d.add(s);
        }
        return d;
    }

    /** A thread-safe map of sites by key. */
    final class Simple implements SiteDirectory {
        private final Map<String, Site> sites = new ConcurrentHashMap<>();

        public Simple add(Site site) {
            sites.put(site.key(), site);
            return this;
        }

        @Override
        public Optional<Site> find(String siteKey) {
            return Optional.ofNullable(sites.get(siteKey));
        }
    }
}
