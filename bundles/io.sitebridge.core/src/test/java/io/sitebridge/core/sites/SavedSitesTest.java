package io.sitebridge.core.sites;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;

class SavedSitesTest {
    @TempDir
    Path home;

    static final String SECRET = "s3cr\u00e9t pa$$ = : # wörd";

    @Test
    void namesAreChecked() throws Exception {
        SavedSites store = SavedSites.in(home);
        for (String bad : List.of(" leading", "trailing ", "line\nbreak", "esc\u001b[2J", "x".repeat(201))) {
            assertThrows(java.io.IOException.class, () -> store.save(null, Site.builder("h").name(bad).build(), null),
                    bad);
        }
        assertFalse(Files.exists(store.file()), "nothing written");
    }

    @Test
    void roundTrip() throws Exception {
        SavedSites store = SavedSites.in(home);
        Site site = Site.builder("ftp.example.org").name("Work: main = #1").port(2121).user("bob")
                .security(Security.EXPLICIT_TLS).maxConnections(7).build();
        store.save(null, site, SECRET.toCharArray());
        store.save(null, Site.builder("::1").name("Six").user("anonymous").build(), null);

        // a second store (another process: the command line) sees the same
        SavedSites other = SavedSites.in(home);
        List<Site> loaded = other.load();
        assertEquals(List.of("Work: main = #1", "Six"), loaded.stream().map(Site::name).toList());
        Site back = loaded.get(0);
        assertEquals("ftp.example.org", back.host());
        assertEquals(2121, back.port());
        assertEquals("bob", back.user());
        assertEquals(Security.EXPLICIT_TLS, back.security());
        assertEquals(7, back.maxConnections());
        assertEquals(SECRET, new String(back.password().password()));
        assertTrue(other.hasPassword("Work: main = #1"));
        assertFalse(other.hasPassword("Six"));
        assertEquals(0, other.password("Six").length);
        assertEquals("::1", other.find("Six").orElseThrow().host());

        assertThrows(java.io.IOException.class, () -> store.save(null, site, null), "a taken name");

        // rename: the password moves with it (sealed again under the new name); null keeps it
        store.save("Work: main = #1", site.toBuilder().name("Renamed").build(), null);
        assertEquals(List.of("Renamed", "Six"), store.names());
        assertEquals(SECRET, new String(store.password("Renamed")));
        // empty removes it
        store.save("Renamed", store.find("Renamed").orElseThrow(), new char[0]);
        assertFalse(store.hasPassword("Renamed"));
        store.save("Renamed", store.find("Renamed").orElseThrow(), SECRET.toCharArray());

        assertNoClearPassword(SECRET);
        Path key = home.resolve(SavedSites.KEY_FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        String text = Files.readString(store.file());
        assertTrue(text.contains("site.1.name = Renamed") && text.contains("site.2.host = ::1"), text);
        assertTrue(text.contains("site.1.password = aes-gcm:"), text);

        assertTrue(store.remove("Renamed"));
        assertFalse(store.remove("Renamed"));
        assertEquals(List.of("Six"), store.names());
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "no temporary file left");
        }
    }

    @Test
    void aCiphertextMovedToAnotherSiteDoesNotDecrypt() throws Exception {
        SavedSites store = SavedSites.in(home);
        store.save(null, Site.builder("a.example").name("A").build(), "for-a".toCharArray());
        store.save(null, Site.builder("b.example").name("B").build(), "for-b".toCharArray());
        String text = Files.readString(store.file());
        String a = line(text, "site.1.password");
        String b = line(text, "site.2.password");
        Files.writeString(store.file(), text.replace(a, "@@").replace(b, a).replace("@@", b));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> store.password("A"));
        assertTrue(e.getMessage().contains("cannot decrypt the password of \u201cA\u201d"), e.getMessage());
        assertEquals(0, store.find("A").orElseThrow().password().password().length, "a failed login, not a crash");
    }

    @Test
    void aDamagedFileIsReportedAndNeverWrittenOver() throws Exception {
        SavedSites store = SavedSites.in(home);
        store.save(null, Site.builder("a.example").name("A").build(), "pw".toCharArray());
        String good = Files.readString(store.file());
        String bad = good.replace("site.1.port = 21", "site.1.port = twenty-one");
        Files.writeString(store.file(), bad);
        SiteFileException e = assertThrows(SiteFileException.class, store::load);
        assertTrue(e.getMessage().contains("site.1 (\u201cA\u201d): port must be a number"), e.getMessage());
        assertThrows(SiteFileException.class, () -> store.save(null, Site.builder("b").name("B").build(), null));
        assertThrows(SiteFileException.class, () -> store.remove("A"));
        assertEquals(bad, Files.readString(store.file()), "the user's file is left as it was");

        Files.writeString(store.file(), "site.1.name = X\nsite.1.host = h\nsite.1.password = hunter2\n");
        e = assertThrows(SiteFileException.class, store::load);
        assertTrue(e.getMessage().contains("the password is not encrypted"), e.getMessage());
        Files.writeString(store.file(), "site.1.name = X\nsite.1.host = h\nsite.2.name = X\nsite.2.host = i\n");
        assertTrue(assertThrows(SiteFileException.class, store::load).getMessage().contains("two sites are called"));
        Files.write(store.file(), new byte[] {'s', 'i', 't', 'e', '=', (byte) 0xff, (byte) 0xfe});
        assertTrue(assertThrows(SiteFileException.class, store::load).getMessage().contains("not UTF-8"));
        Files.writeString(store.file(), "site.1.name = \\uZZZZ\n");
        assertThrows(SiteFileException.class, store::load);
    }

    @Test
    void aLostKeyFileIsReported() throws Exception {
        SavedSites store = SavedSites.in(home);
        store.save(null, Site.builder("a.example").name("A").build(), "pw".toCharArray());
        Files.delete(home.resolve(SavedSites.KEY_FILE_NAME));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> store.password("A"));
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
        Files.writeString(home.resolve(SavedSites.KEY_FILE_NAME), "not a key");
        e = assertThrows(java.io.IOException.class, () -> store.password("A"));
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
    }

    @Test
    void concurrentChangesFromManyWritersAllLand() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            // a store each, as two processes would have
            done.add(pool.submit(() -> {
                SavedSites.in(home).save(null, Site.builder("h" + n).name("S" + n).build(), ("pw" + n).toCharArray());
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        SavedSites store = SavedSites.in(home);
        assertEquals(40, store.names().size());
        for (int i = 0; i < 40; i++) {
            assertArrayEquals(("pw" + i).toCharArray(), store.password("S" + i));
        }
    }

    private void assertNoClearPassword(String password) throws Exception {
        byte[] plain = password.getBytes(StandardCharsets.UTF_8);
        byte[] b64 = Base64.getEncoder().encode(plain);
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(new String(plain, StandardCharsets.ISO_8859_1)), "clear password in " + f);
                assertFalse(content.contains(new String(b64, StandardCharsets.ISO_8859_1)), "base64 password in " + f);
            }
        }
    }

    private static String line(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key)).findFirst().orElseThrow().substring(key.length() + 3);
    }

    @Test
    void skipListsGlobalAndPerSiteSurviveRenameAndGoWithTheSite() throws Exception {
        SavedSites store = SavedSites.in(home);
        store.save(null, Site.builder("a.example").name("left").build(), SECRET.toCharArray());
        store.save(null, Site.builder("b.example").name("right").build(), null);
        assertTrue(store.addSkip(null, "*.tmp"));
        assertTrue(store.addSkip(null, " =#!lead"));
        assertFalse(store.addSkip(null, "*.tmp"), "once");
        assertTrue(store.addSkip("left", "/cache"));
        assertTrue(store.addSkip("left", "logs/**/*.gz"));
        assertTrue(store.addSkip("right", "*.bak"));
        assertThrows(java.io.IOException.class, () -> store.addSkip("nobody", "x"));
        assertThrows(java.io.IOException.class, () -> store.addSkip(null, "two\nlines"));
        assertThrows(java.io.IOException.class, () -> store.addSkip(null, " "));

        SavedSites other = SavedSites.in(home); // another process reads the same file
        assertEquals(List.of("*.tmp", " =#!lead"), other.skipList(null));
        assertEquals(List.of("/cache", "logs/**/*.gz"), other.skipList("left"));
        assertEquals(List.of("*.tmp", " =#!lead", "/cache", "logs/**/*.gz", "*.bak"),
                other.skipPatterns("left", null, "right"));
        assertEquals(List.of("*.tmp", " =#!lead"), other.skipPatterns(null, null));

        // the site manager renames a site (keeping its password): its skip list goes along
        other.save("left", Site.builder("a.example").name("left2").build(), null);
        assertEquals(List.of("/cache", "logs/**/*.gz"), store.skipList("left2"));
        assertArrayEquals(SECRET.toCharArray(), store.password("left2"));
        assertTrue(store.removeSkip("left2", "/cache"));
        assertFalse(store.removeSkip("left2", "/cache"));
        assertEquals(List.of("logs/**/*.gz"), store.skipList("left2"));
        assertTrue(store.removeSkip(null, "*.tmp"));
        assertEquals(List.of(" =#!lead"), store.skipList(null));
        // a removed site takes its list with it; a new site of that name starts with none
        assertTrue(store.remove("right"));
        store.save(null, Site.builder("c.example").name("right").build(), null);
        assertEquals(List.of(), store.skipList("right"));
        String text = Files.readString(store.file());
        assertTrue(text.contains("site.1.skip.1 = logs/**/*.gz"), text);
        assertTrue(text.contains("skip.1 = "), text);
    }
}
