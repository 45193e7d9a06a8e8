package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.dialogue.DialogueEvent;
import io.sitebridge.core.dialogue.Direction;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TcpFront;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Servers whose control address is not where their data ports are, with relaying forbidden so
 * that only FXP can succeed:
 * <ul>
 * <li>both servers behind a control-only TCP front on another loopback address (their 227 replies
 * announce their own address, where the front does not forward): FXP both ways, by the announced
 * address once nothing answered at the control address; the next copy goes straight there;</li>
 * <li>servers that announce an address where nothing of theirs listens (vsftpd {@code pasv_address},
 * proftpd {@code MasqueradeAddress}) while their data ports answer at the control address: FXP
 * both ways, and the announced address is never sent in PORT (a hostile server cannot aim the
 * other server at a third host while its control address serves the data).</li>
 * </ul>
 */
class FxpDataAddressTest {
    @TempDir
    Path tmp;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    static final TransferOptions NO_RELAY = TransferOptions.defaults().withRelayAllowed(false)
            .withAcceptTimeout(Duration.ofSeconds(3)).withDrainTimeout(Duration.ofSeconds(3));

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    /** The site as a user reaches it: through the front. */
    private static Site through(RealPeer peer, TcpFront front) {
        return peer.siteBuilder().host(front.address()).port(front.port()).name(peer.kind().label + " behind "
                + front.address()).build();
    }

    private record Copy(TransferResult result, List<String> sent) { }

    private static Copy copy(StrategyMemory memory, Site from, String path, Site to, String target) throws Exception {
        ControlDialogue dialogue = new ControlDialogue();
        List<DialogueEvent> events = new CopyOnWriteArrayList<>();
        dialogue.addListener(events::add);
        TransferResult r = new TransferController(dialogue, memory, true).copy(from, path, to, target, NO_RELAY,
                TransferListener.NONE);
        assertTrue(dialogue.flush(Duration.ofSeconds(5)));
        List<String> sent = events.stream().filter(e -> e.direction() == Direction.SENT).map(DialogueEvent::text)
                .toList();
        return new Copy(r, sent);
    }

    @Test
    void bothServersBehindControlOnlyFrontsCopyByFxpBothWays() throws Exception {
        RealPeer pro = keep(RealPeers.start(PeerKind.PROFTPD, "127.0.0.23", tmp.resolve("pro"), PeerConfig.FXP));
        RealPeer vs = keep(RealPeers.start(PeerKind.VSFTPD, "127.0.0.25", tmp.resolve("vs"), PeerConfig.FXP));
        Site proSite = through(pro, keep(TcpFront.start("127.0.0.33", pro.address(), pro.port())));
        Site vsSite = through(vs, keep(TcpFront.start("127.0.0.35", vs.address(), vs.port())));
        byte[] a = TestFiles.create(pro.root().resolve("a.bin"), 400_000, 31);
        byte[] b = TestFiles.create(vs.root().resolve("b.bin"), 300_000, 32);
        StrategyMemory memory = new StrategyMemory();

        Copy there = copy(memory, proSite, "/a.bin", vsSite, "/a-in.bin");
        assertArrayEquals(a, Files.readAllBytes(vs.root().resolve("a-in.bin")));
        assertEquals(TransferMethod.FXP, there.result.strategy().method(), there.result.notes()::toString);
        assertTrue(there.result.strategy().announced(), there.result.notes()::toString);
        assertTrue(there.result.notes().stream().anyMatch(n -> n.contains("nothing answered at 127.0.0.33:")),
                "diagnosed as nothing answering, not as a refusal: " + there.result.notes());
        assertTrue(there.result.notes().stream().noneMatch(n -> n.contains("AllowForeignAddress")),
                "no server setting blamed: " + there.result.notes());
        assertTrue(there.sent.stream().anyMatch(c -> c.startsWith("PORT 127,0,0,23,")), there.sent::toString);

        Copy back = copy(memory, vsSite, "/b.bin", proSite, "/b-in.bin");
        assertArrayEquals(b, Files.readAllBytes(pro.root().resolve("b-in.bin")));
        assertTrue(back.result.strategy().announced(), back.result.notes()::toString);
        assertTrue(back.sent.stream().anyMatch(c -> c.startsWith("PORT 127,0,0,25,")), back.sent::toString);

        // Remembered for the pair: the next copy sends the announced address at once.
        Copy again = copy(memory, proSite, "/a.bin", vsSite, "/a-again.bin");
        assertArrayEquals(a, Files.readAllBytes(vs.root().resolve("a-again.bin")));
        assertTrue(again.result.notes().stream().noneMatch(n -> n.startsWith("FXP refused")), again.result.notes()::toString);
        assertFalse(again.sent.stream().anyMatch(c -> c.startsWith("PORT 127,0,0,33,")), again.sent::toString);
        System.out.println("FRONTED proftpd <-> vsftpd: " + there.result.strategy() + " / " + back.result.strategy());
    }

    @Test
    void serversAnnouncingADeadAddressCopyByTheirControlAddressAndItIsNeverSent() throws Exception {
        RealPeer pro = keep(RealPeers.start(PeerKind.PROFTPD, "127.0.0.23", tmp.resolve("pro"),
                PeerConfig.FXP.announcing("127.0.0.97")));
        RealPeer vs = keep(RealPeers.start(PeerKind.VSFTPD, "127.0.0.25", tmp.resolve("vs"),
                PeerConfig.FXP.announcing("127.0.0.98")));
        byte[] a = TestFiles.create(pro.root().resolve("a.bin"), 200_000, 33);
        byte[] b = TestFiles.create(vs.root().resolve("b.bin"), 250_000, 34);
        for (boolean sourceListens : new boolean[] {true, false}) {
            TransferOptions o = NO_RELAY.withFirstPassiveSide(sourceListens ? PassiveSide.SOURCE : PassiveSide.DESTINATION);
            String tag = sourceListens ? "s" : "d";
            ControlDialogue dialogue = new ControlDialogue();
            List<DialogueEvent> events = new CopyOnWriteArrayList<>();
            dialogue.addListener(events::add);
            TransferController c = new TransferController(dialogue, new StrategyMemory(), true);
            TransferResult there = c.copy(pro.site(), "/a.bin", vs.site(), "/a-" + tag + ".bin", o, TransferListener.NONE);
            TransferResult back = c.copy(vs.site(), "/b.bin", pro.site(), "/b-" + tag + ".bin", o, TransferListener.NONE);
            assertArrayEquals(a, Files.readAllBytes(vs.root().resolve("a-" + tag + ".bin")));
            assertArrayEquals(b, Files.readAllBytes(pro.root().resolve("b-" + tag + ".bin")));
            assertFalse(there.strategy().announced() || back.strategy().announced());
            assertTrue(there.notes().stream().noneMatch(n -> n.startsWith("FXP refused")), there.notes()::toString);
            assertTrue(dialogue.flush(Duration.ofSeconds(5)));
            List<String> ports = events.stream().filter(e -> e.direction() == Direction.SENT)
                    .map(DialogueEvent::text).filter(t -> t.startsWith("PORT") || t.startsWith("EPRT")).toList();
            assertEquals(2, ports.size(), ports::toString);
            assertTrue(ports.stream().noneMatch(t -> t.contains("127,0,0,97") || t.contains("127,0,0,98")
                    || t.contains("127.0.0.97") || t.contains("127.0.0.98")), ports::toString);
            assertTrue(events.stream().anyMatch(e -> e.text().contains("announced 127.0.0.9")),
                    "the dialogue says which address was used and why");
        }
    }
}
