package io.sitebridge.testing.peers;

import java.nio.file.Path;
import java.util.List;

import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.AuthorizationRequest;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.UserFactory;

import io.sitebridge.core.Site;

/** An Apache FtpServer in this JVM, on a loopback address and a free port, serving one folder. */
public final class EmbeddedFtp implements AutoCloseable {
    public static final String USER = "sb";
    public static final String PASSWORD = "secret-pw";

    private final FtpServer server;
    private final String address;
    private final int port;
    private final Path root;

    private EmbeddedFtp(FtpServer server, String address, int port, Path root) {
        this.server = server;
        this.address = address;
        this.port = port;
        this.root = root;
    }

    public static EmbeddedFtp start(String address, Path root) throws FtpException {
        return start(address, root, java.util.Set.of());
    }

    /**
     * A server that answers {@code 500 Command not understood} to the given commands (e.g. PASV or
     * PORT), as old or stripped-down servers do for the forms they lack.
     */
    public static EmbeddedFtp start(String address, Path root, java.util.Set<String> unknownCommands)
            throws FtpException {
        FtpServerFactory sf = new FtpServerFactory();
        if (!unknownCommands.isEmpty()) {
            // a map of our own: FtpServer clears it when it stops
            java.util.Map<String, org.apache.ftpserver.ftplet.Ftplet> ftplets = new java.util.HashMap<>();
            ftplets.put("unknown-commands", new org.apache.ftpserver.ftplet.DefaultFtplet() {
                @Override
                public org.apache.ftpserver.ftplet.FtpletResult beforeCommand(
                        org.apache.ftpserver.ftplet.FtpSession session, org.apache.ftpserver.ftplet.FtpRequest request)
                        throws FtpException, java.io.IOException {
                    if (unknownCommands.contains(request.getCommand().toUpperCase(java.util.Locale.ROOT))) {
                        session.write(new org.apache.ftpserver.ftplet.DefaultFtpReply(500, "Command not understood."));
                        return org.apache.ftpserver.ftplet.FtpletResult.SKIP;
                    }
                    return super.beforeCommand(session, request);
                }
            });
            sf.setFtplets(ftplets);
        }
        ListenerFactory lf = new ListenerFactory();
        lf.setServerAddress(address);
        lf.setPort(0);
        sf.addListener("default", lf.createListener());
        // UserFactory and an authority of our own: the user manager's implementation package
        // (BaseUser, WritePermission) is not exported to OSGi bundles like this one.
        UserFactory user = new UserFactory();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(root.toString());
        user.setAuthorities(List.<Authority>of(new GrantAll()));
        sf.getUserManager().save(user.createUser());
        FtpServer server = sf.createServer();
        server.start();
        int port = sf.getListener("default").getPort();
        return new EmbeddedFtp(server, address, port, root);
    }

    public Site site(String name) {
        return Site.builder(address).name(name).port(port).user(USER).password(PASSWORD).build();
    }

    public Path root() { return root; }
    public int port() { return port; }

    @Override
    public void close() {
        server.stop();
    }

    /** Everything is allowed: write, upload rate, login count. */
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
