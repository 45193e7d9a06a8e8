package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.equinox.security.storage.ISecurePreferences;
import org.eclipse.equinox.security.storage.SecurePreferencesFactory;
import org.eclipse.equinox.security.storage.provider.IProviderHints;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.osgi.service.prefs.Preferences;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.ui.sites.SecretFileProvider;
import io.sitebridge.ui.sites.SiteStore;

/**
 * A site saved by an earlier version (instance preferences, its password in Equinox secure storage
 * unlocked by the key file) moves into the store the command line shares, once, password included.
 */
public class OldSitesMoveTest {

    @Test
    void aSiteOfAnEarlierVersionMovesWithItsPasswordOnce() throws Exception {
        Ui.waitUntil("the workbench window is open", Duration.ofSeconds(30),
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        String name = "Old Site: from 0.1";
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8);
        String password = "old-secure-storage-pw";
        IEclipsePreferences prefs = InstanceScope.INSTANCE.getNode("io.sitebridge.ui");
        prefs.remove("sitesMovedTo");
        Preferences old = prefs.node("sites").node(encoded);
        old.put("host", "old.example.org");
        old.putInt("port", 2121);
        old.put("user", "olduser");
        old.put("security", Security.EXPLICIT_TLS.name());
        old.putInt("maxConnections", 3);
        old.putInt("order", 0);
        prefs.flush();
        // as the earlier version wrote it: encrypted in the workspace's secure storage
        Path dir = Platform.getStateLocation(Platform.getBundle("io.sitebridge.ui")).toFile().toPath();
        Map<String, Object> options = new HashMap<>();
        options.put(IProviderHints.PROMPT_USER, Boolean.FALSE);
        options.put(IProviderHints.REQUIRED_MODULE_ID, SecretFileProvider.MODULE_ID);
        ISecurePreferences secure = SecurePreferencesFactory.open(dir.resolve("secure_storage").toUri().toURL(),
                options);
        secure.node("/io.sitebridge/sites/" + encoded).put("password", password, true);
        secure.flush();

        Path folder = Files.createTempDirectory("sitebridge-moved");
        SavedSites target = SavedSites.in(folder);
        SiteStore store = new SiteStore(target);
        try {
            assertTrue(store.hasOldSites());
            assertEquals(1, store.moveOldSites());
            Site moved = target.find(name).orElseThrow();
            assertEquals("old.example.org", moved.host());
            assertEquals(2121, moved.port());
            assertEquals("olduser", moved.user());
            assertEquals(Security.EXPLICIT_TLS, moved.security());
            assertEquals(3, moved.maxConnections());
            assertEquals(password, new String(target.password(name)));
            assertFalse(Files.readString(target.file()).contains(password));
            // once: marked moved, not again
            assertFalse(store.hasOldSites());
            assertEquals(0, store.moveOldSites());
            assertEquals(1, target.names().size());
        } finally {
            prefs.node("sites").removeNode();
            prefs.flush();
            secure.node("/io.sitebridge/sites/" + encoded).removeNode();
            secure.flush();
        }
    }
}
