package io.sitebridge.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.AuthorizationRequest;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.UserFactory;

/**
 * One embedded FTP server (Apache FtpServer) on a loopback address with one
 * user whose home is a folder on disk. FXP works with FtpServer's defaults:
 * it checks neither the PORT address nor the address a passive data
 * connection comes from.
 */
public final class DemoServer implements AutoCloseable {

    private final String name;
    private final String host;
    private final String user;
    private final String password;
    private final Path home;
    private final FtpServer server;
    private final int port;

    private DemoServer(String name, String host, String user, String password, Path home, FtpServer server, int port) {
        this.name = name;
        this.host = host;
        this.user = user;
        this.password = password;
        this.home = home;
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on {@code host} (a loopback address) and a free port.
     *
     * @param home the folder the user sees as "/"; created if missing
     */
    public static DemoServer start(String name, String host, String user, String password, Path home)
            throws IOException {
        return start(name, host, user, password, home, 600);
    }

    /**
     * As {@link #start(String, String, String, String, Path)}, closing a control connection that
     * stays idle for {@code idleSeconds} (without a reply: the server just closes it).
     */
    public static DemoServer start(String name, String host, String user, String password, Path home,
            int idleSeconds) throws IOException {
        Files.createDirectories(home);
        FtpServerFactory serverFactory = new FtpServerFactory();
        ListenerFactory listenerFactory = new ListenerFactory();
        listenerFactory.setServerAddress(host);
        listenerFactory.setPort(0);
        listenerFactory.setIdleTimeout(idleSeconds);
        serverFactory.addListener("default", listenerFactory.createListener());
        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setMaxLogins(64);
        connections.setMaxThreads(0);
        connections.setAnonymousLoginEnabled(false);
        serverFactory.setConnectionConfig(connections.createConnectionConfig());

        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        UserFactory userFactory = new UserFactory();
        userFactory.setName(user);
        userFactory.setPassword(password);
        userFactory.setHomeDirectory(home.toAbsolutePath().toString());
        userFactory.setMaxIdleTime(0);
        userFactory.setAuthorities(List.of(new GrantAll()));
        try {
            users.save(userFactory.createUser());
        } catch (FtpException e) {
            throw new IOException("cannot create demo user " + user, e);
        }
        serverFactory.setUserManager(users);

        FtpServer server = serverFactory.createServer();
        try {
            server.start();
        } catch (FtpException e) {
            throw new IOException("cannot start demo FTP server " + name + " on " + host, e);
        }
        Listener listener = serverFactory.getListener("default");
        return new DemoServer(name, host, user, password, home, server, listener.getPort());
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Path home() {
        return home;
    }

    /** {@code ftp://user@host:port/} — without the password. */
    public String url() {
        return "ftp://" + user + "@" + host + ":" + port + "/";
    }

    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }

    /** Write, concurrent logins, transfer rate: everything is allowed on a demo server. */
    private static final class GrantAll implements Authority {
        @Override
        public boolean canAuthorize(AuthorizationRequest request) {
            return true;
        }

        @Override
        public AuthorizationRequest authorize(AuthorizationRequest request) {
            return request;
        }
    }
}
