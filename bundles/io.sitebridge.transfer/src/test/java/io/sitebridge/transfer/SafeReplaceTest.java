package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.engine.FileTransfer;
import io.sitebridge.transfer.engine.LocalPlace;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.engine.RemotePlace;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TcpFront;
import io.sitebridge.testing.peers.TestFiles;

/**
 * Never lose the user's file: a copy that replaces an existing destination file is killed half-way
 * — the server killed, the control connection cut, or this client killed with {@code kill -9} —
 * and the old file is still there byte for byte, for FXP, relay, upload and download alike, with
 * vsftpd, proftpd and pure-ftpd each as the server hit (the other side proftpd or vsftpd), all
 * slowed to 300 KB/s so that the copy is caught in the middle.
 */
class SafeReplaceTest {
    @TempDir
    Path tmp;
    RealPeer near;
    RealPeer far;
    TcpFront front;
    Path local;

    enum Kind { FXP, RELAY, UPLOAD, DOWNLOAD }

    enum Cut { SERVER_KILLED, CONNECTION_CUT, CLIENT_KILLED }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PeerKind server : PeerKind.values()) {
            for (Kind k : Kind.values()) {
                for (Cut c : Cut.values()) {
                    out.add(Arguments.of(server, k, c));
                }
            }
        }
        return out;
    }

    /** {@code hit}: the server the cut hits (the destination; for a download, the source); the other is proftpd or vsftpd. */
    void start(PeerKind hit) throws Exception {
        PeerKind other = hit == PeerKind.PROFTPD ? PeerKind.VSFTPD : PeerKind.PROFTPD;
        near = RealPeers.start(other, "127.0.0.43", tmp.resolve("near"), PeerConfig.FXP.withRate(300));
        far = RealPeers.start(hit, "127.0.0.45", tmp.resolve("far"), PeerConfig.FXP.withRate(300));
        local = Files.createDirectories(tmp.resolve("local"));
    }

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
        if (near != null) {
            near.close();
        }
        if (far != null) {
            far.close();
        }
    }

    @ParameterizedTest(name = "{0} hit, {1}, {2}")
    @MethodSource("cases")
    void theOldFileSurvivesAReplacingCopyKilledHalfWay(PeerKind hit, Kind kind, Cut cut) throws Exception {
        start(hit);
        RealPeer server = far; // the server the cut hits: the destination, or a download's source
        RealPeer source = kind == Kind.DOWNLOAD ? far : near;
        byte[] fresh = TestFiles.create(kind == Kind.UPLOAD ? local.resolve("new.bin")
                : source.root().resolve("new.bin"), 1_500_000, 51);
        // The destination, and the file there that the copy replaces.
        Path old = kind == Kind.DOWNLOAD ? local.resolve("old.bin") : far.root().resolve("old.bin");
        byte[] before = TestFiles.create(old, 700_000, 52);
        Path part = old.resolveSibling("old.bin" + Place.PART);
        Site serverSite = server.site();
        if (cut == Cut.CONNECTION_CUT) {
            front = TcpFront.start("127.0.0.53", server.address(), server.port());
            // its data ports are not behind the front: the client connects where the server says
            serverSite = server.siteBuilder().host(front.address()).port(front.port())
                    .passiveAddressPolicy(io.sitebridge.core.PassiveAddressPolicy.REPLY_ADDRESS).build();
        }
        Site src = kind == Kind.DOWNLOAD ? serverSite : near.site();
        Site dst = kind == Kind.DOWNLOAD ? null : serverSite;
        String from = kind == Kind.UPLOAD ? local.resolve("new.bin").toString() : "/new.bin";
        String to = kind == Kind.DOWNLOAD ? old.toString() : "/old.bin";

        if (cut == Cut.CLIENT_KILLED) {
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), Child.class.getName(), kind.name(), describe(src),
                    describe(dst), from, to).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
                    .start();
            awaitGrowing(part, child::isAlive);
            child.destroyForcibly(); // SIGKILL: no clean-up, no rename, nothing
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } else {
            CompletableFuture<TransferResult> copy = CompletableFuture.supplyAsync(() -> {
                try {
                    return Child.copy(kind, src, dst, from, to);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            awaitGrowing(part, () -> {
                if (copy.isDone()) {
                    copy.join(); // fails the test with the copy's own error
                }
                return true;
            });
            if (cut == Cut.SERVER_KILLED) {
                server.close();
            } else {
                front.close();
            }
            Exception e = assertThrows(Exception.class, () -> copy.get(60, TimeUnit.SECONDS));
            System.out.println("REPLACE " + hit + " " + kind + " " + cut + ": " + e.getCause().getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(old), kind + " " + cut + ": the old file is unchanged");
        if (cut == Cut.CONNECTION_CUT && kind == Kind.DOWNLOAD) {
            assertTrue(!Files.exists(part), "the failed download's part file is removed: " + part);
        }
        assertTrue(fresh.length > before.length);
    }

    /** Waits until the copy's temporary sibling exists and has data. */
    private static void awaitGrowing(Path part, java.util.function.BooleanSupplier running) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && running.getAsBoolean()) {
            try {
                if (Files.size(part) > 100_000) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not there yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the copy never wrote " + part);
    }

    private static String describe(Site s) {
        return s == null ? "-" : s.host() + ":" + s.port() + ":" + s.user() + ":" + new String(s.password().password());
    }

    /** The copy, in this JVM or in a child JVM that the test kills. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Kind kind = Kind.valueOf(args[0]);
            copy(kind, site(args[1]), site(args[2]), args[3], args[4]);
        }

        static Site site(String d) {
            if (d.equals("-")) {
                return null;
            }
            String[] p = d.split(":");
            return Site.builder(p[0]).port(Integer.parseInt(p[1])).user(p[2]).password(p[3])
                    .passiveAddressPolicy(io.sitebridge.core.PassiveAddressPolicy.REPLY_ADDRESS).build();
        }

        static TransferResult copy(Kind kind, Site src, Site dst, String from, String to) throws Exception {
            ControlDialogue dialogue = new ControlDialogue();
            TransferOptions o = TransferOptions.defaults().withFxpAllowed(kind == Kind.FXP)
                    .withDrainTimeout(Duration.ofSeconds(2)).withTransferTimeout(Duration.ofSeconds(30));
            if (kind == Kind.FXP || kind == Kind.RELAY) {
                return new TransferController(dialogue, new StrategyMemory(), true).copy(src, from, dst, to, o,
                        TransferListener.NONE);
            }
            try (FtpSession s = FtpSession.open(kind == Kind.UPLOAD ? dst : src, dialogue)) {
                Place remote = new RemotePlace(s);
                FileTransfer t = kind == Kind.UPLOAD ? new FileTransfer(LocalPlace.INSTANCE, remote, o, new StrategyMemory())
                        : new FileTransfer(remote, LocalPlace.INSTANCE, o, new StrategyMemory());
                return t.copy(from, to, TransferListener.NONE);
            }
        }
    }
}
