package io.sitebridge.ui.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.AuthorizationRequest;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.UserFactory;

/**
 * An embedded FTPS server (Apache FtpServer, explicit TLS, protected data) with a self-signed
 * certificate of its own, made with the JDK's keytool: a real TLS handshake, a certificate no
 * trust store knows, and a second certificate for the same host and port when a test needs one
 * that "changed".
 */
final class FtpsTestServer implements AutoCloseable {
    static final String USER = "secure";
    static final String PASSWORD = "secure-pw";
    private static final String STORE_PASSWORD = "sitebridge";

    private final FtpServer server;
    private final int port;

    private FtpsTestServer(FtpServer server, int port) {
        this.server = server;
        this.port = port;
    }

    int port() {
        return port;
    }

    /** A new PKCS#12 key store with one self-signed RSA certificate of subject {@code CN=<cn>}. */
    static Path keyStore(Path file, String cn) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "ftp", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "3650", "-dname", "CN=" + cn + ", O=Sitebridge UI tests",
                "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", STORE_PASSWORD,
                "-keypass", STORE_PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        return file;
    }

    /** The SHA-256 fingerprint of the key store's certificate, {@code SHA256:AB:CD:…}, computed here. */
    static String fingerprint(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        X509Certificate c = (X509Certificate) ks.getCertificate("ftp");
        return "SHA256:" + HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /** Starts on {@code host:port} (0: a free port) with the key store's certificate; {@code home} is "/". */
    static FtpsTestServer start(String host, int port, Path keyStore, Path home) throws IOException {
        Files.createDirectories(home);
        SslConfigurationFactory sslFactory = new SslConfigurationFactory();
        sslFactory.setKeystoreFile(keyStore.toFile());
        sslFactory.setKeystoreType("PKCS12");
        sslFactory.setKeystorePassword(STORE_PASSWORD);
        sslFactory.setKeyPassword(STORE_PASSWORD);
        SslConfiguration ssl = sslFactory.createSslConfiguration();

        FtpServerFactory serverFactory = new FtpServerFactory();
        ListenerFactory listenerFactory = new ListenerFactory();
        listenerFactory.setServerAddress(host);
        listenerFactory.setPort(port);
        listenerFactory.setSslConfiguration(ssl);
        listenerFactory.setImplicitSsl(false);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setSslConfiguration(ssl);
        listenerFactory.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        serverFactory.addListener("default", listenerFactory.createListener());
        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setMaxLogins(32);
        connections.setAnonymousLoginEnabled(false);
        serverFactory.setConnectionConfig(connections.createConnectionConfig());

        UserManager users = new PropertiesUserManagerFactory().createUserManager();
        UserFactory user = new UserFactory();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(home.toAbsolutePath().toString());
        user.setAuthorities(List.of(new Authority() {
            @Override
            public boolean canAuthorize(AuthorizationRequest request) {
                return true;
            }

            @Override
            public AuthorizationRequest authorize(AuthorizationRequest request) {
                return request;
            }
        }));
        try {
            users.save(user.createUser());
            serverFactory.setUserManager(users);
            FtpServer server = serverFactory.createServer();
            server.start();
            return new FtpsTestServer(server, serverFactory.getListener("default").getPort());
        } catch (FtpException e) {
            throw new IOException("cannot start the FTPS test server on " + host + ":" + port, e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
