package io.sitebridge.testing.peers;

import java.nio.file.Path;
import java.time.Duration;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;

/** A running real FTP server; closing it kills it and all its children. */
public final class RealPeer implements AutoCloseable {
    private final PeerKind kind;
    private final String address;
    private final int port;
    private final Path root;
    private final Process process;
    private final PeerConfig config;
    private final String user;
    private final String password;

    RealPeer(PeerKind kind, String address, int port, Path root, Process process, PeerConfig config, String user,
            String password) {
        this.kind = kind;
        this.address = address;
        this.port = port;
        this.root = root;
        this.process = process;
        this.config = config;
        this.user = user;
        this.password = password;
    }

    public PeerKind kind() { return kind; }
    public String address() { return address; }
    public int port() { return port; }
    public String user() { return user; }
    public String password() { return password; }
    /** The folder the FTP user sees as "/". */
    public Path root() { return root; }
    public PeerConfig config() { return config; }
    /** The server's main process (its sessions are its descendants). */
    public Process process() { return process; }

    public Site.Builder siteBuilder() {
        return Site.builder(address).name(kind.label + "@" + address).port(port).user(user).password(password)
                .security(!config.tls() ? Security.PLAIN
                        : config.implicitTls() ? Security.IMPLICIT_TLS : Security.EXPLICIT_TLS)
                .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20)));
    }

    public Site site() {
        return siteBuilder().build();
    }

    /** ftp://, ftps:// or ftpsi:// URL of a path on this server, without credentials. */
    public String url(String path) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return (!config.tls() ? "ftp" : config.implicitTls() ? "ftpsi" : "ftps") + "://" + user + "@" + host + ":"
                + port + path;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return kind.label + "@" + address + ":" + port;
    }
}
