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

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/** FXP over IPv6 on ::1: EPSV/EPRT chosen automatically, every ordered pair, both roles. */
class FxpIpv6Test {
    @TempDir
    static Path tmp;
    static final Map<PeerKind, RealPeer> PEERS = new EnumMap<>(PeerKind.class);

    @BeforeAll
    static void start() throws Exception {
        for (PeerKind k : PeerKind.values()) {
            PEERS.put(k, RealPeers.start(k, "::1", tmp.resolve(k.label), PeerConfig.FXP));
        }
    }

    @AfterAll
    static void stop() {
        PEERS.values().forEach(RealPeer::close);
    }

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (PeerKind s : PeerKind.values()) {
            for (PeerKind d : PeerKind.values()) {
                if (s != d) {
                    for (PassiveSide side : PassiveSide.values()) {
                        out.add(Arguments.of(s, d, side));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "[::1] {0} -> {1}, {2} passive")
    @MethodSource("pairs")
    void copiesWithEpsvEprt(PeerKind src, PeerKind dst, PassiveSide passive) throws Exception {
        RealPeer s = PEERS.get(src);
        RealPeer d = PEERS.get(dst);
        String name = "v6-" + src.label + "-" + dst.label + "-" + passive + ".bin";
        byte[] data = TestFiles.create(s.root().resolve(name), 400_000, name.hashCode());
        String outcome = "fail";
        try {
            TransferResult r = new TransferController(new ControlDialogue(), new StrategyMemory(), true).copy(
                    s.site(), "/" + name, d.site(), "/in-" + name, TransferOptions.defaults().withFirstPassiveSide(passive)
                            .withRelayAllowed(false).withAcceptTimeout(Duration.ofSeconds(3)), TransferListener.NONE);
            assertEquals(Strategy.fxp(passive, true), r.strategy(), r.notes()::toString);
            assertArrayEquals(data, Files.readAllBytes(d.root().resolve("in-" + name)));
            outcome = "pass";
        } finally {
            System.out.println("MATRIX [::1] " + src.label + " -> " + dst.label + " | " + passive.name().toLowerCase()
                    + " passive | EPSV_EPRT | " + outcome);
        }
    }
}
