package io.sitebridge.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * Starts vsftpd, proftpd and pure-ftpd for tests, each on its own loopback address and
 * high ports, from config files written into a temporary folder. The servers are those
 * {@code .ci/peers/install} put in place (it writes {@code peers.properties}); they must run
 * as root (chroot, PAM). Set {@code SITEBRIDGE_SKIP_REAL_SERVERS=1} to skip these tests on
 * a machine without them; otherwise a missing install fails the tests.
 */
public final class RealPeers {
    public static final String PROPERTIES = System.getenv().getOrDefault("SITEBRIDGE_PEERS",
            "/var/cache/sitebridge-peers") + "/peers.properties";
    // Below the Linux ephemeral range, so outgoing connections never take our ports.
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(
            12000 + 40 * ThreadLocalRandom.current().nextInt(400));

    private static Properties props;

    private RealPeers() {
    }

    /** Loads the install's facts; skips (opt-in) or fails when the servers are missing. */
    public static synchronized Properties properties() {
        if (props != null) {
            return props;
        }
        if ("1".equals(System.getenv("SITEBRIDGE_SKIP_REAL_SERVERS"))) {
            Assumptions.abort("SITEBRIDGE_SKIP_REAL_SERVERS=1");
        }
        Path p = Path.of(PROPERTIES);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("real FTP servers are not installed (" + p
                    + " missing): run .ci/peers/install as root, or set SITEBRIDGE_SKIP_REAL_SERVERS=1");
        }
        Properties pr = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            pr.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the real FTP servers need root (chroot, PAM); run the tests as root");
        }
        props = pr;
        return pr;
    }

    /** Allocates a control port plus a passive range of 38 ports. */
    static int[] ports() {
        int base = NEXT_PORT.getAndAdd(40);
        if (base > 28000) {
            NEXT_PORT.set(12000);
            base = NEXT_PORT.getAndAdd(40);
        }
        return new int[] {base, base + 1, base + 38};
    }

    /** Stops the servers a test class started ({@code null}: one that did not start). */
    public static void closeAll(RealPeer... peers) {
        for (RealPeer p : peers) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** Starts a server; the folder it serves is {@code dir/root} (created, writable for the FTP user). */
    public static RealPeer start(PeerKind kind, String address, Path dir, PeerConfig config) throws IOException {
        Properties pr = properties();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // vsftpd changes into local_root as the FTP user before chroot: every folder above must be passable.
        for (Path up = dir.toAbsolutePath().getParent(); up != null; up = up.getParent()) {
            var perms = Files.getPosixFilePermissions(up);
            if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(up, perms);
            }
        }
        Path root = dir.resolve("root");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int[] ports = ports();
            List<String> cmd = switch (kind) {
                case VSFTPD -> ServerConfigs.vsftpd(pr, address, ports, dir, root, config);
                case PROFTPD -> ServerConfigs.proftpd(pr, address, ports, dir, root, config);
                case PUREFTPD -> ServerConfigs.pureftpd(pr, address, ports, dir, root, config);
            };
            Path log = dir.resolve(kind.label + "-" + ports[0] + ".out");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealPeer peer = new RealPeer(kind, address, ports[0], root, process, config,
                    pr.getProperty("user"), pr.getProperty("password"));
            try {
                waitForGreeting(address, ports[0], process, log, config.implicitTls());
                return peer;
            } catch (IOException e) {
                peer.close();
                last = e;
            }
        }
        throw last;
    }

    /**
     * Starts a server again after {@link RealPeer#close()}: same kind, address, ports, folder and
     * configuration (tests of reconnecting and resuming).
     */
    public static RealPeer restart(RealPeer stopped) throws IOException {
        Properties pr = properties();
        int[] ports = {stopped.port(), stopped.port() + 1, stopped.port() + 38};
        Path dir = stopped.root().getParent();
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            List<String> cmd = switch (stopped.kind()) {
                case VSFTPD -> ServerConfigs.vsftpd(pr, stopped.address(), ports, dir, stopped.root(), stopped.config());
                case PROFTPD -> ServerConfigs.proftpd(pr, stopped.address(), ports, dir, stopped.root(), stopped.config());
                case PUREFTPD -> ServerConfigs.pureftpd(pr, stopped.address(), ports, dir, stopped.root(), stopped.config());
            };
            Path log = dir.resolve(stopped.kind().label + "-" + ports[0] + "-restart.out");
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            RealPeer peer = new RealPeer(stopped.kind(), stopped.address(), ports[0], stopped.root(), process,
                    stopped.config(), pr.getProperty("user"), pr.getProperty("password"));
            try {
                waitForGreeting(stopped.address(), ports[0], process, log, stopped.config().implicitTls());
                return peer;
            } catch (IOException e) {
                peer.close(); // the port may still be held by the old process: try again shortly
                last = e;
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
        }
        throw last;
    }

    private static void waitForGreeting(String address, int port, Process process, Path log, boolean implicitTls)
            throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 500);
                if (implicitTls) {
                    return; // TLS from the first byte: the greeting comes only after a handshake
                }
                s.setSoTimeout(5000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (line != null && line.startsWith("220")) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        throw new IOException("no greeting from " + address + ":" + port + " within 10 s: " + Files.readString(log));
    }

    static List<String> list(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
