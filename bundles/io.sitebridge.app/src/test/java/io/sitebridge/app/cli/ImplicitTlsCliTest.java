package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * The command line over implicit FTPS ({@code ftpsi://}) on real proftpd ({@code TLSOptions
 * UseImplicitSSL}) and vsftpd ({@code implicit_ssl=YES}): listings, and a relayed copy.
 */
class ImplicitTlsCliTest {
    @TempDir
    static Path tmp;
    static RealPeer proftpdImplicit;
    static RealPeer vsftpdImplicit;

    @BeforeAll
    static void start() throws Exception {
        proftpdImplicit = RealPeers.start(PeerKind.PROFTPD, "127.0.0.3", tmp.resolve("pro-i"), PeerConfig.FXP_IMPLICIT_TLS);
        vsftpdImplicit = RealPeers.start(PeerKind.VSFTPD, "127.0.0.2", tmp.resolve("vs-i"), PeerConfig.FXP_IMPLICIT_TLS);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(proftpdImplicit, vsftpdImplicit);
    }

    record Run(int exit, String out, String err) { }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("SITEBRIDGE_PASSWORD",
                        proftpdImplicit.password(), "SITEBRIDGE_HOME", tmp.resolve("state").toString()), () -> null)
                .execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listsOverImplicitTls() throws Exception {
        for (RealPeer p : List.of(proftpdImplicit, vsftpdImplicit)) {
            TestFiles.create(p.root().resolve("implicit-listed.bin"), 2345, 41);
            assertTrue(p.url("/").startsWith("ftpsi://"), p.url("/"));
            Run r = cli("ls", "--insecure", "-v", p.url("/"));
            assertEquals(0, r.exit, r.err);
            assertTrue(r.out.lines().anyMatch(l -> l.contains(" 2345 ") && l.endsWith("implicit-listed.bin")), r.out);
            assertTrue(r.err.contains("(IMPLICIT_TLS)"), r.err);
            assertTrue(!r.err.contains("> AUTH TLS"), "implicit TLS sends no AUTH: " + r.err);
        }
    }

    @Test
    void relayBetweenImplicitTlsServers() throws Exception {
        byte[] data = TestFiles.create(vsftpdImplicit.root().resolve("implicit-relay.bin"), 500_000, 43);
        Run r = cli("copy", "--insecure", "--no-fxp", "--verify", vsftpdImplicit.url("/implicit-relay.bin"),
                proftpdImplicit.url("/implicit-relay-in.bin"));
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.contains("(relay through this client"), r.out);
        assertArrayEquals(data, Files.readAllBytes(proftpdImplicit.root().resolve("implicit-relay-in.bin")));
    }
}
