package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.core.trust.CertificateTrust;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Certificates on the command line, against real FTPS servers with the harness's self-signed
 * certificate: the fingerprint and the {@code --trust} to give are printed, {@code --trust} pins
 * (in the user folder, the application's file) and later runs need nothing, a changed certificate is
 * refused naming both fingerprints, {@code --insecure} warns every time.
 */
class CertificateTrustCliTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpdTls;
    static RealPeer proftpdTls;
    static String fingerprint;
    private Path home;
    private static int homes;

    @BeforeAll
    static void start() throws Exception {
        vsftpdTls = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs-tls"), PeerConfig.FXP_TLS);
        proftpdTls = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro-tls"), PeerConfig.FXP_TLS);
        try (InputStream in = Files.newInputStream(Path.of(RealPeers.properties().getProperty("cert")))) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            fingerprint = "SHA256:" + HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        }
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpdTls, proftpdTls);
    }

    @BeforeEach
    void newUser() {
        home = tmp.resolve("home" + ++homes); // a user who trusts nothing yet
        CertificateTrust.forgetTrustedOnce();
    }

    record Run(int exit, String out, String err) { }

    Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("SITEBRIDGE_PASSWORD",
                        vsftpdTls.password(), "SITEBRIDGE_HOME", home.toString()), () -> null)
                .execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path pinFile() {
        return home.resolve(CertificatePins.FILE);
    }

    private static String key(RealPeer p) {
        return p.address() + ":" + p.port();
    }

    @Test
    void anUntrustedCertificateIsDescribedWithTheTrustToGiveAndNothingIsPinned() throws Exception {
        Run r = cli("ls", vsftpdTls.url("/"));
        assertEquals(ExitCode.CONNECT.code, r.exit, r.err);
        assertTrue(r.err.contains("the TLS certificate of " + key(vsftpdTls) + " is not trusted"), r.err);
        assertTrue(r.err.contains("Subject:     CN=sitebridge-test"), r.err);
        assertTrue(r.err.contains("Issuer:      CN=sitebridge-test"), r.err);
        assertTrue(r.err.matches("(?s).*Valid:       \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC to \\d{4}.*"), r.err);
        assertTrue(r.err.contains("Fingerprint: " + fingerprint), r.err);
        assertTrue(r.err.contains("run again with --trust " + fingerprint), r.err);
        assertFalse(r.err.contains("Exception"), r.err);
        assertFalse(Files.exists(pinFile()));

        Run wrong = cli("ls", "--trust", "SHA256:" + "00:".repeat(31) + "00", vsftpdTls.url("/"));
        assertEquals(ExitCode.CONNECT.code, wrong.exit, wrong.err);
        assertFalse(Files.exists(pinFile()), "another fingerprint than the server's pins nothing");

        assertEquals(ExitCode.USAGE.code, cli("ls", "--trust", "SHA256:12:34", vsftpdTls.url("/")).exit);
        assertEquals(ExitCode.USAGE.code, cli("ls", "--trust", fingerprint, "-k", vsftpdTls.url("/")).exit);
    }

    @Test
    void trustPinsTheCertificateAndLaterRunsNeedNothing() throws Exception {
        TestFiles.create(vsftpdTls.root().resolve("trusted.bin"), 3456, 51);
        // typed the way openssl prints it, without our prefix and in lower case: the same fingerprint
        String typed = fingerprint.substring("SHA256:".length()).toLowerCase();
        Run first = cli("ls", "--trust", typed, vsftpdTls.url("/"));
        assertEquals(0, first.exit, first.err);
        assertTrue(first.out.contains("trusted.bin"), first.out);
        assertTrue(first.err.contains("trusting the certificate of " + key(vsftpdTls)), first.err);
        assertTrue(Files.readString(pinFile()).contains(key(vsftpdTls) + " " + fingerprint), Files.readString(pinFile()));

        CertificateTrust.forgetTrustedOnce(); // a later run
        Run later = cli("ls", vsftpdTls.url("/"));
        assertEquals(0, later.exit, later.err);
        assertTrue(later.out.contains("trusted.bin"), later.out);
        assertEquals("", later.err);

        // the pin is per server: another server with a certificate nobody trusted is still refused
        Run other = cli("ls", proftpdTls.url("/"));
        assertEquals(ExitCode.CONNECT.code, other.exit, other.err);
        assertTrue(other.err.contains("Fingerprint: " + fingerprint), other.err);
    }

    @Test
    void aChangedCertificateIsRefusedNamingBothUntilTrustNamesTheNewOne() throws Exception {
        String old = "SHA256:" + "C0:".repeat(31) + "DE";
        new CertificatePins(pinFile()).pin(key(vsftpdTls), old);
        Run r = cli("ls", vsftpdTls.url("/"));
        assertEquals(ExitCode.CONNECT.code, r.exit, r.err);
        assertTrue(r.err.contains("WARNING: THE CERTIFICATE OF " + key(vsftpdTls) + " HAS CHANGED"), r.err);
        assertTrue(r.err.contains("pinned:    " + old), r.err);
        assertTrue(r.err.contains("presented: " + fingerprint), r.err);
        assertTrue(Files.readString(pinFile()).contains(old), "the pin stays");

        Run retrusted = cli("ls", "--trust", fingerprint, vsftpdTls.url("/"));
        assertEquals(0, retrusted.exit, retrusted.err);
        assertTrue(retrusted.err.contains("replacing the pinned certificate"), retrusted.err);
        assertFalse(Files.readString(pinFile()).contains(old));
        assertTrue(Files.readString(pinFile()).contains(key(vsftpdTls) + " " + fingerprint));
    }

    @Test
    void insecureWarnsOnEveryUse() throws Exception {
        for (int i = 0; i < 2; i++) {
            Run r = cli("ls", "--insecure", vsftpdTls.url("/"));
            assertEquals(0, r.exit, r.err);
            assertTrue(r.err.startsWith("sitebridge: WARNING: --insecure: server certificates are not checked"), r.err);
        }
        Run k = cli("ls", "-k", proftpdTls.url("/"));
        assertEquals(0, k.exit, k.err);
        assertTrue(k.err.contains("WARNING: --insecure"), k.err);
        assertFalse(Files.exists(pinFile()), "--insecure pins nothing");
        Run after = cli("ls", vsftpdTls.url("/"));
        assertEquals(ExitCode.CONNECT.code, after.exit, "--insecure trusts nothing for later runs: " + after.err);
    }

    @Test
    void copyPrintsTheCertificateOnceAndTrustMakesItWork() throws Exception {
        byte[] data = TestFiles.create(vsftpdTls.root().resolve("pinned-copy.bin"), 300_000, 52);
        Run refused = cli("copy", "--no-fxp", vsftpdTls.url("/pinned-copy.bin"), proftpdTls.url("/"));
        assertNotEquals(0, refused.exit, refused.err);
        for (RealPeer p : new RealPeer[] {vsftpdTls, proftpdTls}) { // each described once, however many sessions
            assertEquals(1, refused.err.split("certificate of " + key(p) + " is not trusted:", -1).length - 1,
                    refused.err);
        }
        assertTrue(refused.err.contains("--trust " + fingerprint), refused.err);
        assertFalse(Files.exists(proftpdTls.root().resolve("pinned-copy.bin")));

        // both servers present the harness's certificate: one --trust pins it for each
        Run copied = cli("copy", "--no-fxp", "--trust", fingerprint, vsftpdTls.url("/pinned-copy.bin"),
                proftpdTls.url("/"));
        assertEquals(0, copied.exit, copied.err);
        assertArrayEquals(data, Files.readAllBytes(proftpdTls.root().resolve("pinned-copy.bin")));
        String pins = Files.readString(pinFile());
        assertTrue(pins.contains(key(vsftpdTls) + " " + fingerprint) && pins.contains(key(proftpdTls) + " " + fingerprint),
                pins);
    }
}
