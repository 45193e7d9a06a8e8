package io.sitebridge.transfer.op;

import java.nio.file.Path;
import java.util.List;

import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;

import io.sitebridge.core.Site;

/** An Apache FtpServer whose user may read but not write: it refuses DELE (450), MKD, RMD, RNFR. */
final class ReadOnlyFtp implements AutoCloseable {
    private final FtpServer server;
    private final String address;
    private final int port;

    private ReadOnlyFtp(FtpServer server, String address, int port) {
        this.server = server;
        this.address = address;
        this.port = port;
    }

    static ReadOnlyFtp start(String address, Path root) throws Exception {
        FtpServerFactory sf = new FtpServerFactory();
        ListenerFactory lf = new ListenerFactory();
        lf.setServerAddress(address);
        lf.setPort(0);
        sf.addListener("default", lf.createListener());
        BaseUser user = new BaseUser();
        user.setName("reader");
        user.setPassword("read-pw");
        user.setHomeDirectory(root.toString());
        user.setAuthorities(List.<Authority>of()); // no WritePermission
        sf.getUserManager().save(user);
        FtpServer server = sf.createServer();
        server.start();
        return new ReadOnlyFtp(server, address, sf.getListener("default").getPort());
    }

    Site site() {
        return Site.builder(address).name("Read-only").port(port).user("reader").password("read-pw").build();
    }

    @Override
    public void close() {
        server.stop();
    }
}
