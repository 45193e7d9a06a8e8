package io.sitebridge.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.eclipse.core.runtime.Platform;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;

import io.sitebridge.core.Site;
import io.sitebridge.ui.SitebridgeUi;

/** The second start of the application on the first run's workspace: the saved site is back, its password safe. */
public class AfterRestartTest {

    @Test
    void theSiteIsBackAndItsPasswordIsInNoPlainFile() throws Exception {
        Ui.waitUntil("the workbench window is open", Duration.ofSeconds(30),
                () -> PlatformUI.isWorkbenchRunning() && PlatformUI.getWorkbench().getActiveWorkbenchWindow() != null);
        Properties first = new Properties();
        try (var in = Files.newBufferedReader(Ui.targetDir().resolve("saved-site.properties"))) {
            first.load(in);
        }
        String password = first.getProperty("password");

        Site site = SitebridgeUi.getDefault().sites().byName("Test Site")
                .orElseThrow(() -> new AssertionError("the site saved in the first run is not there"));
        assertEquals("127.0.0.1", site.host());
        assertEquals(Integer.parseInt(first.getProperty("port")), site.port());
        assertEquals("demo", site.user());
        assertEquals(password, new String(site.password().password()), "the password decrypts again");

        List<Path> roots = List.of(location(Platform.getInstanceLocation().getURL()),
                location(Platform.getConfigurationLocation().getURL()));
        byte[] plain = password.getBytes(StandardCharsets.UTF_8);
        byte[] base64 = Base64.getEncoder().encode(plain);
        List<Path> leaks = new ArrayList<>();
        int scanned = 0;
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    byte[] content = Files.readAllBytes(f);
                    scanned++;
                    if (indexOf(content, plain) >= 0 || indexOf(content, base64) >= 0) {
                        leaks.add(f);
                    }
                }
            }
        }
        assertTrue(scanned > 10, "scanned the workspace and configuration (" + scanned + " files)");
        assertTrue(leaks.isEmpty(), "the password is readable in " + leaks);

        Path keyFile;
        try (Stream<Path> files = Files.walk(roots.get(0))) {
            keyFile = files.filter(p -> p.getFileName().toString().equals("secure_storage.key")).findFirst()
                    .orElseThrow(() -> new AssertionError("no secure_storage.key in the workspace"));
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        assertFalse(Files.readString(keyFile).isBlank());
        Ui.screenshot("05-after-restart");
    }

    private static Path location(java.net.URL url) throws URISyntaxException, IOException {
        return Path.of(url.getPath());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
