package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.transfer.verify.ContentCheck;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * FXP between real vsftpd, proftpd and pure-ftpd, each on its own loopback address with
 * FXP allowed: every ordered pair, both role assignments, PASV/PORT and EPSV/EPRT; files
 * compared byte for byte.
 */
class FxpRealServersTest {
    @TempDir
    static Path tmp;
    static final Map<PeerKind, RealPeer> PEERS = new EnumMap<>(PeerKind.class);
    static RealPeer secondProftpd;

    @BeforeAll
    static void start() throws Exception {
        PEERS.put(PeerKind.VSFTPD, RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs"), PeerConfig.FXP));
        PEERS.put(PeerKind.PROFTPD, RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro"), PeerConfig.FXP));
        PEERS.put(PeerKind.PUREFTPD, RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.FXP));
        secondProftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.5", tmp.resolve("pro2"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        PEERS.values().forEach(RealPeer::close);
        if (secondProftpd != null) {
            secondProftpd.close();
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (PeerKind src : PeerKind.values()) {
            for (PeerKind dst : PeerKind.values()) {
                if (src == dst) {
                    continue;
                }
                for (PassiveSide side : PassiveSide.values()) {
                    for (DataConnectionMode mode : List.of(DataConnectionMode.PASV_PORT, DataConnectionMode.EPSV_EPRT)) {
                        out.add(Arguments.of(src, dst, side, mode));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} passive, {3}")
    @MethodSource("matrix")
    void copiesByteForByte(PeerKind src, PeerKind dst, PassiveSide passive, DataConnectionMode mode) throws Exception {
        RealPeer s = PEERS.get(src);
        RealPeer d = PEERS.get(dst);
        String name = src.label + "-" + dst.label + "-" + passive + "-" + mode + ".bin";
        byte[] data = TestFiles.create(s.root().resolve(name), 700_000 + name.length(), name.hashCode());
        TransferOptions options = TransferOptions.defaults().withFirstPassiveSide(passive).withDataMode(mode)
                .withRelayAllowed(false).withAcceptTimeout(Duration.ofSeconds(3));
        String outcome = "fail";
        try {
            TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true)
                    .copy(s.site(), "/" + name, d.site(), "/in-" + name, options, TransferListener.NONE);
            assertEquals(Strategy.fxp(passive, mode == DataConnectionMode.EPSV_EPRT), r.strategy(),
                    "no role reversal expected with FXP allowed: " + r.notes());
            assertArrayEquals(data, Files.readAllBytes(d.root().resolve("in-" + name)));
            outcome = "pass (" + r.contentCheck() + ")";
        } finally {
            System.out.println("MATRIX " + src.label + " -> " + dst.label + " | " + passive.name().toLowerCase()
                    + " passive | " + mode + " | " + outcome);
        }
    }

    static Stream<Arguments> rolesAndModes() {
        List<Arguments> out = new ArrayList<>();
        for (PassiveSide side : PassiveSide.values()) {
            for (DataConnectionMode mode : List.of(DataConnectionMode.PASV_PORT, DataConnectionMode.EPSV_EPRT)) {
                out.add(Arguments.of(side, mode));
            }
        }
        return out.stream();
    }

    /** Two proftpd servers both offer mod_digest's hashes: the copy is checked by a server-side hash. */
    @ParameterizedTest(name = "proftpd -> proftpd, {0} passive, {1}")
    @MethodSource("rolesAndModes")
    void proftpdToProftpdIsCheckedByHash(PassiveSide passive, DataConnectionMode mode) throws Exception {
        RealPeer s = PEERS.get(PeerKind.PROFTPD);
        String name = "hash-" + passive + "-" + mode + ".bin";
        byte[] data = TestFiles.create(s.root().resolve(name), 900_000, name.hashCode());
        String outcome = "fail";
        try {
            TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true).copy(
                    s.site(), "/" + name, secondProftpd.site(), "/in-" + name, TransferOptions.defaults()
                            .withFirstPassiveSide(passive).withDataMode(mode).withRelayAllowed(false),
                    TransferListener.NONE);
            assertEquals(Strategy.fxp(passive, mode == DataConnectionMode.EPSV_EPRT), r.strategy());
            org.junit.jupiter.api.Assertions.assertTrue(r.contentCheck().matches("SIZE and (HASH SHA-256|XSHA256)"),
                    r.contentCheck());
            assertArrayEquals(data, Files.readAllBytes(secondProftpd.root().resolve("in-" + name)));
            // The digest we compare is the file's real SHA-256, not some other token of the reply.
            try (io.sitebridge.core.session.FtpSession session = io.sitebridge.core.session.FtpSession.open(
                    secondProftpd.site(), new ControlDialogue())) {
                assertEquals(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(data)),
                        ContentCheck.serverHash(session, "HASH SHA-256", "/in-" + name));
                for (String x : List.of("XSHA256", "XMD5", "XCRC")) {
                    org.junit.jupiter.api.Assertions.assertTrue(session.hasFeature(x), x + " " + session.features());
                }
            }
            outcome = "pass (" + r.contentCheck() + ")";
        } finally {
            System.out.println("MATRIX proftpd -> proftpd | " + passive.name().toLowerCase() + " passive | " + mode
                    + " | " + outcome);
        }
    }
}
