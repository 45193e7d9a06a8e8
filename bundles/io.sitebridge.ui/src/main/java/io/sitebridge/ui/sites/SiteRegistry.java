package io.sitebridge.ui.sites;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sitebridge.core.Site;
import io.sitebridge.ui.browse.Endpoint;

/**
 * The sites the user can open in a site browser: the saved ones (through a
 * {@link SiteStore}) and the embedded demo's (not saved). The one source of
 * truth for the views; they observe it through {@link Listener}s. Site names
 * are unique and identify a site in drags, the queue and preferences.
 */
public final class SiteRegistry {

    /** Told when the list of sites changes; called on the thread that changed it. */
    public interface Listener {
        void sitesChanged();
    }

    private final List<Site> sites = new ArrayList<>();
    private final Set<String> demoNames = new HashSet<>();
    private final Map<String, Site> paneDefaults = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private SiteStore store;

    /** Loads the saved sites and saves every later change through the store. */
    public void attach(SiteStore siteStore) {
        List<Site> saved = siteStore.load();
        synchronized (this) {
            this.store = siteStore;
            for (Site s : saved) {
                if (indexOf(s.name()) < 0) {
                    sites.add(s);
                }
            }
        }
        fire();
    }

    public synchronized List<Site> all() {
        return List.copyOf(sites);
    }

    public synchronized Optional<Site> byName(String name) {
        int i = indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(sites.get(i));
    }

    public synchronized boolean isDemo(String name) {
        return demoNames.contains(name);
    }

    /**
     * Adds a site of the embedded demo (not saved) and makes it the site the
     * pane {@code paneId} opens with.
     */
    public void addDemoSite(String paneId, Site site) {
        synchronized (this) {
            int i = indexOf(site.name());
            if (i >= 0) {
                sites.set(i, site);
            } else {
                sites.add(site);
            }
            demoNames.add(site.name());
            paneDefaults.put(paneId, site);
        }
        fire();
    }

    /** The site a pane connects to when it opens, if any. */
    public synchronized Optional<Site> defaultFor(String paneId) {
        return Optional.ofNullable(paneDefaults.get(paneId));
    }

    /**
     * Adds or replaces a saved site. {@code oldName} is the name it had (null
     * for a new site); {@code password} null keeps the stored one.
     */
    public void save(String oldName, Site site, char[] password) throws IOException {
        SiteStore s;
        int order;
        synchronized (this) {
            if (Endpoint.isLocal(site.name())) {
                throw new IOException("\u201c" + site.name() + "\u201d is the name of the local file system");
            }
            int existing = indexOf(site.name());
            if (existing >= 0 && !site.name().equals(oldName)) {
                throw new IOException("There is already a site called \u201c" + site.name() + "\u201d");
            }
            s = store;
            int old = oldName == null ? -1 : indexOf(oldName);
            Site stored = s == null ? site : withStoredPassword(s, site);
            if (old >= 0) {
                sites.set(old, stored);
                order = old;
            } else {
                sites.add(stored);
                order = sites.size() - 1;
            }
            demoNames.remove(site.name());
        }
        if (s != null) {
            if (oldName != null && !oldName.equals(site.name())) {
                s.rename(oldName, site.name());
            }
            s.save(site, order, password);
        }
        fire();
    }

    private static Site withStoredPassword(SiteStore s, Site site) {
        String name = site.name();
        return site.toBuilder().password(() -> s.password(name)).build();
    }

    public void remove(String name) throws IOException {
        SiteStore s;
        boolean demo;
        synchronized (this) {
            int i = indexOf(name);
            if (i < 0) {
                return;
            }
            sites.remove(i);
            demo = demoNames.remove(name);
            s = store;
        }
        if (s != null && !demo) {
            s.remove(name);
        }
        fire();
    }

    /** {@code base}, or {@code base (2)}, ... : a name no site has yet. */
    public synchronized String uniqueName(String base) {
        if (indexOf(base) < 0) {
            return base;
        }
        for (int i = 2;; i++) {
            String candidate = base + " (" + i + ")";
            if (indexOf(candidate) < 0) {
                return candidate;
            }
        }
    }

    /** The stored password of a saved site (for the editor), empty when none. */
    public char[] storedPassword(String name) {
        SiteStore s;
        synchronized (this) {
            s = store;
        }
        return s == null ? new char[0] : s.password(name);
    }

    private int indexOf(String name) {
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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
