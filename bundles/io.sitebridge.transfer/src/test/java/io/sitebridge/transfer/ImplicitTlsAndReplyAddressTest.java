package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Implicit FTPS ({@code ftpsi://}) on real proftpd ({@code TLSOptions UseImplicitSSL}) and
 * vsftpd ({@code implicit_ssl=YES}): FXP with protected data (SSCN on proftpd); and the
 * passive-address policy that uses the address in the 227 reply. (Listings and a relay over
 * implicit TLS through the command line: {@code io.sitebridge.app.cli.ImplicitTlsCliTest}.)
 */
class ImplicitTlsAndReplyAddressTest {
    @TempDir
    static Path tmp;
    static RealPeer proftpdImplicit;
    static RealPeer vsftpdImplicit;
    static RealPeer pure;
    static RealPeer proftpd;

    @BeforeAll
    static void start() throws Exception {
        proftpdImplicit = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro-i"), PeerConfig.FXP_IMPLICIT_TLS);
        vsftpdImplicit = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs-i"), PeerConfig.FXP_IMPLICIT_TLS);
        pure = RealPeers.start(PeerKind.PUREFTPD, "127.0.0.4", tmp.resolve("pure"), PeerConfig.FXP);
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.5", tmp.resolve("pro"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(proftpdImplicit, vsftpdImplicit, pure, proftpd);
    }

    @Test
    void fxpWithProtectedDataBetweenImplicitTlsServers() throws Exception {
        byte[] data = TestFiles.create(proftpdImplicit.root().resolve("implicit-fxp.bin"), 700_000, 42);
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        TransferResult r = new TransferController(dialogue, new StrategyMemory(), false).copy(proftpdImplicit.site(),
                "/implicit-fxp.bin", vsftpdImplicit.site(), "/implicit-fxp-in.bin", TransferOptions.defaults()
                        .withRelayAllowed(false).withAcceptTimeout(Duration.ofSeconds(3)), TransferListener.NONE);
        assertEquals(TransferMethod.FXP, r.strategy().method(), r.notes()::toString);
        assertArrayEquals(data, Files.readAllBytes(vsftpdImplicit.root().resolve("implicit-fxp-in.bin")));
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().equals("SSCN ON")));
        System.out.println("MATRIX implicit TLS proftpd -> vsftpd | " + r.strategy() + " | PROT P + SSCN | pass");
    }

    /**
     * {@link PassiveAddressPolicy#REPLY_ADDRESS}: the other server is told the address from the 227
     * reply (here the passive server's own address, what we connect to), not the control address.
     */
    @Test
    void replyAddressPolicyUsesThe227Address() throws Exception {
        Site pureSite = pure.siteBuilder().passiveAddressPolicy(PassiveAddressPolicy.REPLY_ADDRESS).build();
        Site proSite = proftpd.siteBuilder().passiveAddressPolicy(PassiveAddressPolicy.REPLY_ADDRESS).build();
        for (PassiveSide side : PassiveSide.values()) {
            String name = "reply-address-" + side + ".bin";
            byte[] data = TestFiles.create(pure.root().resolve(name), 600_000, name.hashCode());
            ControlDialogue dialogue = new ControlDialogue();
            List<DialogueEvent> events = new CopyOnWriteArrayList<>();
            dialogue.addListener(events::add);
            TransferResult r = new TransferController(dialogue, new StrategyMemory(), true).copy(pureSite, "/" + name,
                    proSite, "/in-" + name, TransferOptions.defaults().withRelayAllowed(false)
                            .withFirstPassiveSide(side).withAcceptTimeout(Duration.ofSeconds(3)), TransferListener.NONE);
            assertEquals(Strategy.fxp(side, false), r.strategy(), r.notes()::toString);
            assertArrayEquals(data, Files.readAllBytes(proftpd.root().resolve("in-" + name)));
            assertTrue(dialogue.flush(Duration.ofSeconds(5)));
            RealPeer passive = side == PassiveSide.SOURCE ? pure : proftpd;
            String expected = "PORT " + passive.address().replace('.', ',') + ",";
            DialogueEvent pasv = events.stream().filter(e -> e.direction() == Direction.RECEIVED
                    && e.text().startsWith("227")).findFirst().orElseThrow();
            assertTrue(pasv.text().contains(passive.address().replace('.', ',')), pasv.text());
            assertTrue(events.stream().anyMatch(e -> e.direction() == Direction.SENT && e.text().startsWith(expected)),
                    () -> events.toString());
        }
        // Listing through the client's own PASV data connection with the same policy.
        TestFiles.create(pure.root().resolve("reply-listed.bin"), 999, 44);
        try (FtpSession s = FtpSession.open(pureSite, new ControlDialogue())) {
            assertTrue(s.list("/").stream().anyMatch(e -> e.name().equals("reply-listed.bin") && e.size() == 999));
        }
    }
}
