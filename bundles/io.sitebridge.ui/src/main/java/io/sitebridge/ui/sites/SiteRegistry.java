package io.sitebridge.ui.sites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sitebridge.core.Site;

/**
 * The sites the user can open in a site browser. The one source of truth for
 * the views; they observe it through {@link Listener}s.
 */
public final class SiteRegistry {

    /** Told when the list of sites changes; called on the thread that changed it. */
    public interface Listener {
        void sitesChanged();
    }

    private final List<Site> sites = new ArrayList<>();
    private final Map<String, Site> paneDefaults = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public synchronized List<Site> all() {
        return List.copyOf(sites);
    }

    public synchronized Optional<Site> byName(String name) {
        return sites.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Adds a site of the embedded demo (not saved) and makes it the site the
     * pane {@code paneId} opens with.
     */
    public void addDemoSite(String paneId, Site site) {
        synchronized (this) {
            sites.add(site);
            paneDefaults.put(paneId, site);
        }
        fire();
    }

    /** The site a pane connects to when it opens, if any. */
    public synchronized Optional<Site> defaultFor(String paneId) {
        return Optional.ofNullable(paneDefaults.get(paneId));
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    private void fire() {
        for (Listener l : listeners) {
            l.sitesChanged();
        }
    }
}
