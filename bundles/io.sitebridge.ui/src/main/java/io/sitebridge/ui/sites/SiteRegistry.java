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
        synchronized (this) {
            this.store = siteStore;
        }
        reload();
    }

    /**
     * Reads the saved sites again: the store is shared with the command line (and other windows),
     * which may have added, changed or removed sites meanwhile. Sites of the demo stay.
     */
    public void reload() {
        SiteStore s;
        synchronized (this) {
            s = store;
        }
        if (s == null) {
            return;
        }
        List<Site> saved = s.load();
        synchronized (this) {
            if (s.problem() != null) {
                return; // a damaged file: keep what is shown; the site manager says what is wrong
            }
            Set<String> savedNames = new HashSet<>();
            for (Site site : saved) {
                savedNames.add(site.name());
            }
            sites.removeIf(site -> !demoNames.contains(site.name()) && !savedNames.contains(site.name()));
            for (Site site : saved) {
                if (demoNames.contains(site.name())) {
                    continue; // this session's demo server has that name
                }
                Site stored = withStoredPassword(s, site);
                int i = indexOf(site.name());
                if (i >= 0) {
                    sites.set(i, stored);
                } else {
                    sites.add(stored);
                }
            }
        }
        fire();
    }

    /** The file the saved sites are in, or null when none is attached. */
    public synchronized java.nio.file.Path storeFile() {
        return store == null ? null : store.file();
    }

    /** Why the saved sites cannot be read (a damaged file), or null. */
    public String storeProblem() {
        SiteStore s;
        synchronized (this) {
            s = store;
        }
        return s == null ? null : s.problem();
    }

    /** Imports FileZilla's site manager file into the saved sites and shows them. */
    public io.sitebridge.core.sites.SiteImport.Report importFileZilla(java.nio.file.Path file) throws IOException {
        SiteStore s;
        synchronized (this) {
            s = store;
        }
        if (s == null) {
            throw new IOException("sites cannot be saved in this session");
        }
        try {
            return s.importFileZilla(file);
        } finally {
            reload();
        }
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
        synchronized (this) {
            if (Endpoint.isLocal(site.name())) {
                throw new IOException("\u201c" + site.name() + "\u201d is the name of the local file system");
            }
            int existing = indexOf(site.name());
            if (existing >= 0 && !site.name().equals(oldName)) {
                throw new IOException("There is already a site called \u201c" + site.name() + "\u201d");
            }
            s = store;
        }
        if (s != null) {
            s.save(oldName, site, password); // first: a refusal (a damaged file, a name taken elsewhere) changes nothing
        }
        synchronized (this) {
            int old = oldName == null ? -1 : indexOf(oldName);
            Site stored = s == null ? site : withStoredPassword(s, site);
            if (old >= 0) {
                sites.set(old, stored);
            } else {
                sites.add(stored);
            }
            demoNames.remove(site.name());
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
