package io.sitebridge.core.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pin file: shared format, atomic replacement, damaged files neither stop nor lose anything. */
class CertificatePinsTest {
    private static final String A = "SHA256:" + "AB:".repeat(31) + "AB";
    private static final String B = "SHA256:" + "01:".repeat(31) + "EF";

    @TempDir
    Path tmp;

    @Test
    void fingerprintsAreReadInEveryCommonSpellingAndWrittenInOne() {
        String hex = "ab".repeat(32);
        assertEquals(Optional.of(A), UntrustedCertificate.parseFingerprint("SHA256:" + hex));
        assertEquals(Optional.of(A), UntrustedCertificate.parseFingerprint("sha256:" + "ab:".repeat(31) + "ab"));
        assertEquals(Optional.of(A), UntrustedCertificate.parseFingerprint(hex.toUpperCase()));
        assertEquals(Optional.of(A), UntrustedCertificate.parseFingerprint(" SHA-256:" + hex + " "));
        assertEquals(Optional.empty(), UntrustedCertificate.parseFingerprint("SHA256:" + hex.substring(2)));
        assertEquals(Optional.empty(), UntrustedCertificate.parseFingerprint("SHA256:" + "zz".repeat(32)));
        assertEquals(Optional.empty(), UntrustedCertificate.parseFingerprint(null));
    }

    @Test
    void pinsAreKeptPerServerAndReplaced() throws Exception {
        CertificatePins pins = new CertificatePins(tmp.resolve("sub/" + CertificatePins.FILE));
        assertEquals(Optional.empty(), pins.pinned("h:21"));
        pins.pin("h:21", A);
        pins.pin("[::1]:990", B);
        pins.pin("h:21", B.toLowerCase());
        assertEquals(Map.of("h:21", B, "[::1]:990", B), pins.all());
        assertEquals(Optional.of(B), new CertificatePins(pins.file()).pinned("h:21"));
        String text = Files.readString(pins.file());
        assertEquals(1, text.lines().filter(l -> l.startsWith("h:21 ")).count(), text);
        assertTrue(text.startsWith("#"), text);
        try (var files = Files.list(pins.file().getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> pins.pin("h:21", "SHA256:12"));
        assertThrows(IllegalArgumentException.class, () -> pins.pin("h 21", A));
    }

    @Test
    void aDamagedFileKeepsWhatItCanReadAndLosesNothing() throws Exception {
        Path f = tmp.resolve(CertificatePins.FILE);
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 27, '\n'};
        Files.write(f, garbage);
        Files.write(f, ("good:21 " + A + "\nhalf:21 SHA256:AB:C\nno fingerprint at all\n").getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);
        CertificatePins pins = new CertificatePins(f);
        assertEquals(Map.of("good:21", A), pins.all());
        pins.pin("new:990", B);
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("half:21 SHA256:AB:C"), text);
        assertTrue(text.contains("no fingerprint at all"), text);
        assertEquals(Map.of("good:21", A, "new:990", B), pins.all());
    }

    @Test
    void aFolderInPlaceOfTheFileMeansNoPinsAndAClearFailureToPin() throws Exception {
        Path f = tmp.resolve(CertificatePins.FILE);
        Files.createDirectories(f);
        CertificatePins pins = new CertificatePins(f);
        assertEquals(Map.of(), pins.all());
        assertThrows(java.io.IOException.class, () -> pins.pin("h:21", A));
    }
}
