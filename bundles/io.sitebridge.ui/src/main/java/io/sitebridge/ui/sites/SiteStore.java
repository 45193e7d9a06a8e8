package io.sitebridge.ui.sites;

import java.io.IOException;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Saves sites: their settings in the instance preferences, their passwords
 * encrypted in Equinox secure storage (unlocked by {@link SecretFileProvider},
 * so no master-password prompt). A password never goes to a plain file.
 */
public final class SiteStore {

    private static final String BUNDLE = "io.sitebridge.ui";
    private static final String SITES = "sites";
    private static final String SECURE_ROOT = "/io.sitebridge/sites";
    private static final String PASSWORD = "password";

    private ISecurePreferences secure;

    /** The saved sites in the order the user made them; passwords are read when a session logs in. */
    public List<Site> load() {
        Preferences node = prefs();
        List<Site> sites = new ArrayList<>();
        Map<Site, Integer> order = new HashMap<>();
        try {
            for (String child : node.childrenNames()) {
                Preferences p = node.node(child);
                String name = decode(child);
                try {
                    Site site = Site.builder(p.get("host", "localhost"))
                            .name(name)
                            .port(p.getInt("port", 21))
                            .user(p.get("user", "anonymous"))
                            .password(() -> password(name))
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
                    sites.add(site);
                    order.put(site, p.getInt("order", sites.size()));
                } catch (RuntimeException e) {
                    ILog.of(getClass()).warn("Skipping the unreadable saved site " + name, e);
                }
            }
        } catch (BackingStoreException e) {
            ILog.of(getClass()).error("Cannot read the saved sites", e);
        }
        sites.sort((a, b) -> Integer.compare(order.get(a), order.get(b)));
        return sites;
    }

    /**
     * Saves a site's settings, and its password when {@code password} is not
     * null (an empty array removes it).
     */
    public void save(Site site, int order, char[] password) throws IOException {
        Preferences p = prefs().node(encode(site.name()));
        p.put("host", site.host());
        p.putInt("port", site.port());
        p.put("user", site.user());
        p.put("security", site.security().name());
        p.put("passiveAddressPolicy", site.passiveAddressPolicy().name());
        p.put("dataConnectionMode", site.dataConnectionMode().name());
        p.put("encoding", site.encoding().name());
        p.putBoolean("fxpAllowed", site.fxpAllowed());
        p.putBoolean("relayAllowed", site.relayAllowed());
        p.putInt("maxConnections", site.maxConnections());
        p.putInt("keepAliveSeconds", (int) site.keepAlive().toSeconds());
        p.putInt("order", order);
        flush();
        if (password != null) {
            setPassword(site.name(), password);
        }
    }

    public void remove(String name) throws IOException {
        try {
            prefs().node(encode(name)).removeNode();
        } catch (BackingStoreException e) {
            throw new IOException(e);
        }
        flush();
        ISecurePreferences node = secureNode(name);
        if (node != null) {
            node.removeNode();
            saveSecure();
        }
    }

    /** Moves a password when a site is renamed. */
    public void rename(String oldName, String newName) throws IOException {
        char[] pw = password(oldName);
        remove(oldName);
        if (pw.length > 0) {
            setPassword(newName, pw);
        }
    }

    public char[] password(String name) {
        try {
            ISecurePreferences node = secureNode(name);
            if (node == null) {
                return new char[0];
            }
            String value = node.get(PASSWORD, null);
            return value == null ? new char[0] : value.toCharArray();
        } catch (StorageException e) {
            ILog.of(getClass()).error("Cannot read the password of " + name + " from secure storage", e);
            return new char[0];
        }
    }

    private void setPassword(String name, char[] password) throws IOException {
        ISecurePreferences node = secureNode(name);
        if (node == null) {
            throw new IOException("Secure storage is not available; the password was not saved");
        }
        try {
            if (password.length == 0) {
                node.remove(PASSWORD);
            } else {
                node.put(PASSWORD, new String(password), true);
            }
        } catch (StorageException e) {
            throw new IOException("Cannot encrypt the password: " + e.getMessage(), e);
        }
        saveSecure();
    }

    private ISecurePreferences secureNode(String name) {
        ISecurePreferences root = secure();
        return root == null ? null : root.node(secureNodePath(name));
    }

    private static String secureNodePath(String name) {
        return SECURE_ROOT + "/" + encode(name);
    }

    private void saveSecure() throws IOException {
        ISecurePreferences root = secure();
        if (root != null) {
            root.flush();
        }
    }

    /** Our own storage file in the workspace metadata, unlocked by our provider only. */
    private synchronized ISecurePreferences secure() {
        if (secure == null) {
            try {
                Path dir = Platform.getStateLocation(Platform.getBundle(BUNDLE)).toFile().toPath();
                URL url = dir.resolve("secure_storage").toUri().toURL();
                Map<String, Object> options = new HashMap<>();
                options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
                options.put(IProviderHints.REQUIRED_MODULE_ID, SecretFileProvider.MODULE_ID);
                secure = SecurePreferencesFactory.open(url, options);
            } catch (IOException | RuntimeException e) {
                ILog.of(getClass()).error("Cannot open Sitebridge's secure storage", e);
            }
        }
        return secure;
    }

    private static IEclipsePreferences prefs0() {
        return InstanceScope.INSTANCE.getNode(BUNDLE);
    }

    private static Preferences prefs() {
        return prefs0().node(SITES);
    }

    private static void flush() throws IOException {
        try {
            prefs0().flush();
        } catch (BackingStoreException e) {
            throw new IOException(e);
        }
    }

    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    static String decode(String name) {
        return URLDecoder.decode(name, StandardCharsets.UTF_8);
    }
}
