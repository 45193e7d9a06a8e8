package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sitebridge.core.Site;
import io.sitebridge.core.UserFolder;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.CertificateRefusedException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.trust.CertificateAsker;
import io.sitebridge.core.trust.CertificatePins;
import io.sitebridge.core.trust.CertificateTrust;
import io.sitebridge.core.trust.UntrustedCertificate;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;
import io.sitebridge.transfer.queue.SessionPool;

/**
 * FTPS certificates the way users expect, against real servers with the harness's self-signed
 * certificate: asked when untrusted, silent when pinned, refused loudly when the pin differs, and
 * "trust once" holding for every session of the process (pooled ones included).
 */
class CertificateTrustRealServersTest {
    @TempDir
    Path tmp;
    private String oldHome;
    private final List<UntrustedCertificate> asked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void ownUserFolder() {
        oldHome = System.getProperty(UserFolder.PROPERTY);
        System.setProperty(UserFolder.PROPERTY, tmp.resolve("home").toString());
        CertificateTrust.forgetTrustedOnce();
    }

    @AfterEach
    void restore() {
        CertificateTrust.setAsker(null);
        CertificateTrust.forgetTrustedOnce();
        if (oldHome == null) {
            System.clearProperty(UserFolder.PROPERTY);
        } else {
            System.setProperty(UserFolder.PROPERTY, oldHome);
        }
    }

    /** The fingerprint of the harness's certificate, computed here from its PEM file, not by the code under test. */
    private static String expectedFingerprint() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of(RealPeers.properties().getProperty("cert")))) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return "SHA256:" + java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        }
    }

    private void answer(CertificateAsker.Answer a) {
        CertificateTrust.setAsker(c -> {
            asked.add(c);
            return a;
        });
    }

    private static String key(RealPeer p) {
        return p.address() + ":" + p.port();
    }

    @ParameterizedTest
    @EnumSource(PeerKind.class)
    void anUntrustedCertificateIsShownAndRefusedWhenTheUserSaysNo(PeerKind kind) throws Exception {
        try (RealPeer peer = RealPeers.start(kind, "127.0.0.2", tmp.resolve(kind.label), PeerConfig.FXP_TLS)) {
            answer(CertificateAsker.Answer.REFUSE);
            CertificateRefusedException e = assertThrows(CertificateRefusedException.class,
                    () -> FtpSession.open(peer.site(), new ControlDialogue()));
            assertEquals(1, asked.size());
            UntrustedCertificate c = asked.get(0);
            assertEquals(expectedFingerprint(), c.fingerprint());
            assertEquals(key(peer), c.site());
            assertEquals("CN=sitebridge-test", c.subject());
            assertEquals("CN=sitebridge-test", c.issuer());
            assertTrue(c.validAt(java.time.Instant.now()), c.validity());
            assertFalse(e.changed());
            assertTrue(e.getMessage().contains(expectedFingerprint()), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("home").resolve(CertificatePins.FILE)), "nothing pinned");
        }
    }

    @Test
    void trustOnceHoldsForEverySessionOfTheProcessAndIsNotKept() throws Exception {
        try (RealPeer peer = RealPeers.start(PeerKind.PROFTPD, "127.0.0.2", tmp.resolve("p"), PeerConfig.FXP_TLS)) {
            TestFiles.create(peer.root().resolve("a.bin"), 1000, 1);
            Site site = peer.siteBuilder().maxConnections(4).build();
            answer(CertificateAsker.Answer.TRUST_ONCE);
            // four pooled sessions connecting at the same moment: one question, answered once for all
            try (SessionPool pool = new SessionPool(new ControlDialogue(), true)) {
                ExecutorService threads = Executors.newFixedThreadPool(3);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<FtpSession>> sessions = new java.util.ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sessions.add(threads.submit(() -> {
                        go.await();
                        return pool.acquire(site);
                    }));
                }
                go.countDown();
                for (Future<FtpSession> f : sessions) {
                    FtpSession s = f.get();
                    assertEquals(1000, s.list("/").stream().filter(e -> e.name().equals("a.bin")).findFirst()
                            .orElseThrow().size()); // a protected data connection too
                    pool.discard(s); // the next one is a new connection: asked again it would be
                }
                threads.shutdown();
                FtpSession again = pool.acquire(site);
                pool.release(again);
            }
            try (FtpSession s = FtpSession.open(site, new ControlDialogue())) {
                assertEquals("/", s.pwd());
            }
            assertEquals(1, asked.size(), "asked once for the whole process");
            assertFalse(Files.exists(tmp.resolve("home").resolve(CertificatePins.FILE)), "trust once pins nothing");

            CertificateTrust.forgetTrustedOnce(); // a new process
            answer(CertificateAsker.Answer.REFUSE);
            assertThrows(CertificateRefusedException.class, () -> FtpSession.open(site, new ControlDialogue()));
            assertEquals(2, asked.size());
        }
    }

    @Test
    void trustAlwaysPinsInTheUserFolderAndThenConnectsWithoutAsking() throws Exception {
        try (RealPeer peer = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("v"), PeerConfig.FXP_TLS)) {
            answer(CertificateAsker.Answer.TRUST_ALWAYS);
            try (FtpSession s = FtpSession.open(peer.site(), new ControlDialogue())) {
                s.list("/");
            }
            assertEquals(1, asked.size());
            Path file = tmp.resolve("home").resolve(CertificatePins.FILE);
            assertTrue(Files.readString(file).contains(key(peer) + " " + expectedFingerprint()), Files.readString(file));

            CertificateTrust.forgetTrustedOnce(); // a new process: the pin holds, nobody is asked
            CertificateTrust.setAsker(c -> {
                throw new AssertionError("asked about a pinned certificate: " + c);
            });
            try (FtpSession s = FtpSession.open(peer.site(), new ControlDialogue())) {
                s.list("/");
            }
        }
    }

    @Test
    void aCertificateOtherThanThePinnedOneIsRefusedNamingBothFingerprints() throws Exception {
        try (RealPeer peer = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.2", tmp.resolve("u"), PeerConfig.FXP_TLS)) {
            String old = "SHA256:" + "5A:".repeat(31) + "5A";
            CertificatePins.inUserFolder().pin(key(peer), old);
            List<String> warned = new CopyOnWriteArrayList<>();
            CertificateTrust.setAsker(new CertificateAsker() {
                @Override
                public Answer ask(UntrustedCertificate c) {
                    asked.add(c);
                    return Answer.TRUST_ONCE; // must never be reached: a changed pin is no question
                }

                @Override
                public boolean replacePin(String pinned, UntrustedCertificate presented) {
                    warned.add(pinned + " " + presented.fingerprint());
                    return false;
                }
            });
            CertificateRefusedException e = assertThrows(CertificateRefusedException.class,
                    () -> FtpSession.open(peer.site(), new ControlDialogue()));
            assertTrue(e.changed());
            assertEquals(old, e.pinned());
            assertEquals(expectedFingerprint(), e.certificate().fingerprint());
            assertTrue(e.getMessage().contains(old) && e.getMessage().contains(expectedFingerprint()), e.getMessage());
            assertTrue(e.getMessage().contains("CHANGED"), e.getMessage());
            assertEquals(List.of(old + " " + expectedFingerprint()), warned);
            assertEquals(List.of(), asked);
            assertEquals(Optional.of(old), CertificatePins.inUserFolder().pinned(key(peer)), "the pin stays");

            // an explicit choice of the new certificate (the command line's --trust) replaces the pin
            CertificateTrust.setAsker(new CertificateAsker() {
                @Override
                public Answer ask(UntrustedCertificate c) {
                    return Answer.REFUSE;
                }

                @Override
                public boolean replacePin(String pinned, UntrustedCertificate presented) {
                    return true;
                }
            });
            try (FtpSession s = FtpSession.open(peer.site(), new ControlDialogue())) {
                s.list("/");
            }
            assertEquals(Optional.of(expectedFingerprint()), CertificatePins.inUserFolder().pinned(key(peer)));
        }
    }
}
