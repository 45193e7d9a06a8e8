package io.sitebridge.ui.sites;

import java.io.IOException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.StorageException;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.osgi.service.prefs.BackingStoreException;
import org.osgi.service.prefs.Preferences;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.core.sites.SiteImport;

/**
 * The application's side of the saved sites: the {@link SavedSites} in the user folder, which the
 * command line reads and changes too (so a site saved here is {@code sitebridge ls NAME:/path}
 * there, and one added there shows here).
 *
 * <p>Earlier versions kept sites in the instance preferences and their passwords in Equinox
 * secure storage (unlocked by {@link SecretFileProvider}). Those are moved into the shared store
 * once ({@link #moveOldSites()}, in a job after the workbench has started: secure storage cannot
 * be opened while the platform starts); the old entries stay where they were (encrypted), a
 * preference marks them moved.
 */
public final class SiteStore {

    private static final String BUNDLE = "io.sitebridge.ui";
    private static final String OLD_SITES = "sites";
    private static final String OLD_SECURE_ROOT = "/io.sitebridge/sites";
    private static final String MOVED = "sitesMovedTo";

    private final SavedSites saved;
    private volatile String problem;

    public SiteStore() {
        this(SavedSites.current());
    }

    public SiteStore(SavedSites saved) {
        this.saved = saved;
    }

    /** The file the sites are in (for messages). */
    public Path file() {
        return saved.file();
    }

    /** Why the last load found no sites although there may be some (a damaged file), or null. */
    public String problem() {
        return problem;
    }

    /** The saved sites in the order the user made them; passwords are read when a session logs in. */
    public List<Site> load() {
        try {
            List<Site> sites = saved.load();
            problem = null;
            return sites;
        } catch (IOException e) {
            problem = e.getMessage();
            ILog.of(getClass()).error("Cannot read the saved sites: " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Saves a site: the one that was called {@code oldName} (null, or a name that is not saved:
     * a new one), with its password when {@code password} is not null (empty removes it).
     */
    public void save(String oldName, Site site, char[] password) throws IOException {
        String old = oldName != null && saved.names().contains(oldName) ? oldName : null;
        saved.save(old, site, password);
    }

    public void remove(String name) throws IOException {
        saved.remove(name);
    }

    /** The saved password of {@code name}; empty when none is saved or it cannot be decrypted (logged). */
    public char[] password(String name) {
        try {
            return saved.password(name);
        } catch (IOException e) {
            ILog.of(getClass()).error("Cannot read the password of " + name + ": " + e.getMessage());
            return new char[0];
        }
    }

    /** Imports FileZilla's site manager file into the saved sites. */
    public SiteImport.Report importFileZilla(Path file) throws IOException {
        return SiteImport.fromFileZilla(saved, file);
    }

    // ---- the sites of earlier versions

    /** Whether sites saved by an earlier version wait to be moved ({@link #moveOldSites()}). */
    public boolean hasOldSites() {
        IEclipsePreferences prefs = InstanceScope.INSTANCE.getNode(BUNDLE);
        try {
            return prefs.get(MOVED, null) == null && prefs.nodeExists(OLD_SITES)
                    && prefs.node(OLD_SITES).childrenNames().length > 0;
        } catch (BackingStoreException e) {
            return false;
        }
    }

    /**
     * Moves the sites an earlier version saved (preferences, passwords in secure storage) into the
     * shared store, once: sites of names already there are left as they are. When a password
     * cannot be read, nothing is marked moved and the next start tries again.
     *
     * @return how many sites were moved
     */
    public int moveOldSites() throws IOException {
        IEclipsePreferences prefs = InstanceScope.INSTANCE.getNode(BUNDLE);
        if (prefs.get(MOVED, null) != null) {
            return 0;
        }
        int moved = 0;
        try {
            Preferences node = prefs.node(OLD_SITES);
            String[] children = node.childrenNames();
            if (children.length > 0) {
                List<SavedSites.NewSite> old = readOld(node, children);
                List<String> taken;
                try {
                    taken = saved.addAll(old);
                } finally {
                    for (SavedSites.NewSite s : old) {
                        if (s.password() != null) {
                            Arrays.fill(s.password(), '\0');
                        }
                    }
                }
                moved = old.size() - taken.size();
                ILog.of(getClass()).info("Moved " + moved + " saved sites to " + saved.file()
                        + (taken.isEmpty() ? "" : "; kept the ones already there of the same names: " + taken));
            }
            prefs.put(MOVED, saved.file().toString());
            prefs.flush();
            return moved;
        } catch (BackingStoreException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private List<SavedSites.NewSite> readOld(Preferences node, String[] children) throws IOException {
        List<SavedSites.NewSite> sites = new ArrayList<>();
        Map<SavedSites.NewSite, Integer> order = new HashMap<>();
        ISecurePreferences secure = null;
        for (String child : children) {
            Preferences p = node.node(child);
            String name = URLDecoder.decode(child, StandardCharsets.UTF_8);
            try {
                Site site = Site.builder(p.get("host", "localhost"))
                        .name(name)
                        .port(p.getInt("port", 21))
                        .user(p.get("user", "anonymous"))
                        .security(Security.valueOf(p.get("security", Security.PLAIN.name())))
                        .passiveAddressPolicy(PassiveAddressPolicy.valueOf(
                                p.get("passiveAddressPolicy", PassiveAddressPolicy.CONTROL_ADDRESS.name())))
                        .dataConnectionMode(DataConnectionMode.valueOf(
                                p.get("dataConnectionMode", DataConnectionMode.AUTO.name())))
                        .encoding(Charset.forName(p.get("encoding", "UTF-8")))
                        .fxpAllowed(p.getBoolean("fxpAllowed", true))
                        .relayAllowed(p.getBoolean("relayAllowed", true))
                        .maxConnections(Math.max(1, p.getInt("maxConnections", 4)))
                        .keepAlive(Duration.ofSeconds(Math.max(0, p.getInt("keepAliveSeconds",
                                (int) Site.DEFAULT_KEEP_ALIVE.toSeconds()))))
                        .build();
                if (secure == null) {
                    secure = oldSecureStorage();
                }
                SavedSites.NewSite s = new SavedSites.NewSite(site, oldPassword(secure, child, name));
                sites.add(s);
                order.put(s, p.getInt("order", sites.size()));
            } catch (RuntimeException e) {
                ILog.of(getClass()).warn("Not moving the unreadable saved site " + name, e);
            }
        }
        sites.sort(Comparator.comparing(order::get));
        return sites;
    }

    private static char[] oldPassword(ISecurePreferences root, String encodedName, String name) throws IOException {
        if (root == null || !root.nodeExists(OLD_SECURE_ROOT + "/" + encodedName)) {
            return null;
        }
        try {
            String value = root.node(OLD_SECURE_ROOT + "/" + encodedName).get("password", null);
            return value == null ? null : value.toCharArray();
        } catch (StorageException e) {
            throw new IOException("cannot read the password of " + name + " from the old secure storage: "
                    + e.getMessage(), e);
        }
    }

    /** The secure storage earlier versions wrote, in the workspace metadata, unlocked by our provider only. */
    private ISecurePreferences oldSecureStorage() throws IOException {
        try {
            Path dir = Platform.getStateLocation(Platform.getBundle(BUNDLE)).toFile().toPath();
            Path file = dir.resolve("secure_storage");
            if (!file.toFile().exists()) {
                return null;
            }
            URL url = file.toUri().toURL();
            Map<String, Object> options = new HashMap<>();
            options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
            options.put(IProviderHints.REQUIRED_MODULE_ID, SecretFileProvider.MODULE_ID);
            return SecurePreferencesFactory.open(url, options);
        } catch (RuntimeException e) {
            throw new IOException("cannot open the secure storage of earlier versions: " + e, e);
        }
    }
}
