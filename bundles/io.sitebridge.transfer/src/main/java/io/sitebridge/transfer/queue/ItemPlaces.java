package io.sitebridge.transfer.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.core.session.CertificateRefusedException;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.LocalPlace;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.engine.RemotePlace;

/**
 * The two sides of a queue item as {@link Place}s: the sites it names (found by key among the
 * sites added in this run, else in the {@link SiteDirectory}) on pooled sessions, or the local file
 * system. {@link #release} gives the sessions back, the ones a side reopened included.
 */
final class ItemPlaces {
    private final SiteDirectory directory;
    private final SessionPool pool;
    private final Map<String, Site> known = new ConcurrentHashMap<>();

    ItemPlaces(SiteDirectory directory, SessionPool pool) {
        this.directory = directory;
        this.pool = pool;
    }

    void remember(Site site) {
        known.put(site.key(), site);
    }

    /** The site for a key, or null when neither this run nor the directory knows it. */
    Site site(String key) {
        Site s = known.get(key);
        if (s != null) {
            return s;
        }
        s = directory.find(key).orElse(null);
        if (s != null) {
            known.put(key, s);
        }
        return s;
    }

    /** A site this process can reach, or the local file system. */
    boolean reachable(String key) {
        return Endpoint.isLocal(key) || site(key) != null;
    }

    /**
     * Sessions for the item's sides: {source, destination}. Both sites' logins run at once.
     *
     * @throws TransferException a site is unknown (SERVER_REFUSED) or cannot be reached (CONNECTION)
     */
    Place[] acquire(QueueItem item) throws TransferException, InterruptedException {
        boolean localSource = Endpoint.isLocal(item.sourceSite());
        boolean localDestination = Endpoint.isLocal(item.destinationSite());
        Site src = localSource ? null : site(item.sourceSite());
        Site dst = localDestination ? null : site(item.destinationSite());
        if (!localSource && src == null || !localDestination && dst == null) {
            String key = src == null && !localSource ? item.sourceSite() : item.destinationSite();
            throw new TransferException(TransferException.Reason.SERVER_REFUSED, key, "unknown site " + key
                    + " (not in the site list)");
        }
        if (src != null && dst != null && src.key().equals(dst.key()) && src.maxConnections() < 2) {
            throw new TransferException(TransferException.Reason.SERVER_REFUSED, src.name(), src.name()
                    + " allows one connection at a time; a copy within the site needs two (raise its connection limit)");
        }
        try {
            if (src != null && dst != null) {
                FtpSession[] pair = pool.acquirePair(src, dst);
                return new Place[] {new RemotePlace(pair[0]), new RemotePlace(pair[1])};
            }
            if (src != null) {
                return new Place[] {new RemotePlace(pool.acquire(src)), LocalPlace.INSTANCE};
            }
            return new Place[] {LocalPlace.INSTANCE, new RemotePlace(pool.acquire(dst))};
        } catch (FtpException e) {
            // a refused certificate is the user's decision (or a changed pin): another attempt would only ask again
            throw new TransferException(e.reply() == null && !(e instanceof CertificateRefusedException)
                    ? TransferException.Reason.CONNECTION : TransferException.Reason.SERVER_REFUSED, e.site(),
                    e.getMessage(), e);
        }
    }

    /** As {@link #acquire}; a failure goes to {@code failures} (an interrupted wait: back to waiting) and gives null. */
    Place[] acquireOrReport(QueueItem item, Failures failures) {
        try {
            return acquire(item);
        } catch (TransferException e) {
            if (e.getCause() instanceof TooManyConnections busy) {
                failures.waitForConnection(item.id(), busy.getMessage()); // the pool lowered the site's limit
                return null;
            }
            failures.failed(item.id(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.interrupted(item.id());
        }
        return null;
    }

    /**
     * Whether the sessions behind the places should go back to the pool rather than on to the next
     * file: one has sent enough commands to be renewed, or somebody waits for a session of its site
     * (a pane's listing, another worker).
     */
    boolean wantedBack(Place... places) {
        for (Place p : places) {
            if (p != null && p.session() != null && (pool.dueForRenewal(p.session()) || pool.awaited(p.session().site()))) {
                return true;
            }
        }
        return false;
    }

    /** Gives back the sessions behind the places (the current ones, after a reconnect). */
    void release(Place... places) {
        for (Place p : places) {
            if (p != null && p.session() != null) {
                pool.release(p.session());
            }
        }
    }

    /** Has {@code count} sessions per side idle or logging in (in the background) for the workers that will want them soon. */
    void warm(QueueItem item, int count) {
        pool.warmPairs(Endpoint.isLocal(item.sourceSite()) ? null : site(item.sourceSite()),
                Endpoint.isLocal(item.destinationSite()) ? null : site(item.destinationSite()), count);
    }
}
