package io.sitebridge.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;

/**
 * A small explicit-FTPS server for tests that answers CPSV, which none of the real servers
 * installed here offers. CPSV is PASV (a 227 reply, then a data connection accepted) except that,
 * under PROT P, this server is the TLS <em>client</em> of that data connection, trusting any
 * certificate: in protected FXP the other server, which connects to it, is then the TLS server as
 * usual for an active-mode server. Control connection and PASV data: TLS server with the test
 * certificate. One user, one served folder; commands one at a time, except ABOR during a transfer.
 * Not implemented (502): PORT/EPRT/EPSV and listings.
 */
public final class CpsvServer implements AutoCloseable {
    /**
     * One data connection as this server saw it: {@code protection} "clear", "TLS client" or "TLS
     * server", {@code protocol} the TLS version ("" when clear), {@code peer} the address it came from.
     */
    public record DataConnection(String command, String path, long offset, String protection, String protocol,
            String peer, long bytes) {
    }

    private static final Duration DATA_ACCEPT = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final DateTimeFormatter MDTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final List<String> FEATURES = List.of("AUTH TLS", "PBSZ", "PROT", "CPSV", "SIZE", "MDTM",
            "REST STREAM");

    private final Path root;
    private final String user;
    private final String password;
    private final ServerSocket listener;
    private final SSLContext serverTls;
    private final SSLContext clientTls;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<DataConnection> data = new CopyOnWriteArrayList<>();
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CpsvServer(String address, Path root, String user, String password, SSLContext serverTls)
            throws IOException, GeneralSecurityException {
        this.root = root;
        this.user = user;
        this.password = password;
        this.serverTls = serverTls;
        this.clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, new TrustManager[] {new TrustingAnything()}, null);
        this.listener = new ServerSocket(0, 50, InetAddress.getByName(address));
        Thread t = new Thread(this::acceptLoop, "cpsv-stand-in-" + port());
        t.setDaemon(true);
        t.start();
    }

    /** Serves {@code root} on {@code address} (a free port), with the certificate and PKCS#8 key in PEM files. */
    public static CpsvServer start(String address, Path root, String user, String password, Path certPem,
            Path keyPem) throws IOException {
        try {
            return new CpsvServer(address, root, user, password, serverContext(certPem, keyPem));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS from " + certPem + " and " + keyPem, e);
        }
    }

    public String address() { return listener.getInetAddress().getHostAddress(); }

    public int port() { return listener.getLocalPort(); }

    public Path root() { return root; }

    /** Every command received so far, in order (PASS masked). */
    public List<String> received() { return List.copyOf(received); }

    /** Every data connection that carried a file so far, in order. */
    public List<DataConnection> dataConnections() { return List.copyOf(data); }

    public Site site() {
        return Site.builder(address()).name("cpsv-stand-in@" + address()).port(port()).user(user).password(password)
                .security(Security.EXPLICIT_TLS)
                .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .build();
    }

    @Override
    public void close() {
        closed = true;
        quietly(listener);
        open.forEach(CpsvServer::quietly);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                Thread t = new Thread(new Session(s), "cpsv-stand-in-session-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    // ---- one control connection -----------------------------------------------------------------

    private final class Session implements Runnable {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tls;
        private boolean loggedIn;
        private String userGiven;
        private boolean protect;
        private String cwd = "/";
        private long rest;
        private Path renameFrom;
        /** Listening after PASV/CPSV, until a transfer command takes it. */
        private ServerSocket passive;
        private boolean cpsv;
        private Thread transfer;
        private volatile ServerSocket accepting;
        private volatile Socket dataSocket;
        private volatile boolean aborted;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            open.add(socket);
        }

        @Override
        public void run() {
            try {
                socket.setSoTimeout((int) IDLE.toMillis());
                reply("220 Sitebridge CPSV stand-in ready");
                for (String line = readLine(); line != null; line = readLine()) {
                    received.add(line.regionMatches(true, 0, "PASS ", 0, 5) ? "PASS ****" : line);
                    if (!handle(line)) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the client went away (or closed us): nothing to answer
            } finally {
                aborted = true; // a transfer still running ends with its connections
                quietly(accepting);
                quietly(dataSocket);
                quietly(passive);
                quietly(socket);
                open.remove(socket);
            }
        }

        /** One CRLF-terminated line, read byte by byte (nothing is buffered past it before AUTH TLS). */
        private String readLine() throws IOException {
            byte[] buf = new byte[4096];
            int n = 0;
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    return null;
                }
                if (n == buf.length) {
                    throw new IOException("command line too long");
                }
                buf[n++] = (byte) b;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        }

        private synchronized void reply(String text) {
            try {
                out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                quietly(socket); // the reader sees the end
            }
        }

        /** Returns false after QUIT. */
        private boolean handle(String line) throws IOException {
            int sp = line.indexOf(' ');
            String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            String arg = sp < 0 ? "" : line.substring(sp + 1);
            if (verb.equals("ABOR")) {
                abortTransfer();
                return true;
            }
            awaitTransfer(); // one command at a time: anything else waits for the transfer's end
            switch (verb) {
                case "QUIT" -> {
                    reply("221 Goodbye");
                    return false;
                }
                case "AUTH" -> auth(arg);
                case "FEAT" -> {
                    StringBuilder sb = new StringBuilder("211-Features:\r\n");
                    FEATURES.forEach(f -> sb.append(' ').append(f).append("\r\n"));
                    reply(sb.append("211 End").toString());
                }
                case "NOOP" -> reply("200 NOOP ok");
                case "USER" -> {
                    userGiven = arg;
                    loggedIn = false;
                    reply("331 Password required for " + arg);
                }
                case "PASS" -> {
                    loggedIn = user.equals(userGiven) && password.equals(arg);
                    reply(loggedIn ? "230 Logged in" : "530 Login incorrect");
                }
                case "PBSZ" -> reply(tls ? "200 PBSZ=0" : "503 PBSZ needs AUTH TLS first");
                case "PROT" -> prot(arg);
                default -> {
                    if (!loggedIn) {
                        reply("530 Please login with USER and PASS");
                    } else {
                        command(verb, arg);
                    }
                }
            }
            return true;
        }

        private void auth(String arg) throws IOException {
            if (tls) {
                reply("503 TLS is already on");
                return;
            }
            if (!arg.equalsIgnoreCase("TLS") && !arg.equalsIgnoreCase("TLS-C") && !arg.equalsIgnoreCase("SSL")) {
                reply("504 AUTH " + arg + " not supported");
                return;
            }
            reply("234 Proceed with TLS negotiation");
            SSLSocket s = (SSLSocket) serverTls.getSocketFactory().createSocket(socket,
                    socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            s.setUseClientMode(false);
            s.startHandshake();
            open.remove(socket);
            open.add(s);
            synchronized (this) {
                socket = s;
                in = s.getInputStream();
                out = s.getOutputStream();
            }
            tls = true;
        }

        private void prot(String arg) {
            if (!tls) {
                reply("503 PROT needs AUTH TLS first");
            } else if (arg.equalsIgnoreCase("P") || arg.equalsIgnoreCase("C")) {
                protect = arg.equalsIgnoreCase("P");
                reply("200 Protection level set to " + (protect ? "Private" : "Clear"));
            } else if (arg.equalsIgnoreCase("S") || arg.equalsIgnoreCase("E")) {
                reply("536 PROT " + arg + " not supported");
            } else {
                reply("504 PROT " + arg + " unrecognised");
            }
        }

        private void command(String verb, String arg) throws IOException {
            switch (verb) {
                case "TYPE" -> reply(arg.equalsIgnoreCase("I") || arg.equalsIgnoreCase("L 8") ? "200 Type set to I"
                        : "504 Only TYPE I (binary) is served");
                case "PWD" -> reply("257 \"" + cwd.replace("\"", "\"\"") + "\" is the current directory");
                case "CWD" -> {
                    String v = virtual(arg);
                    Path p = v == null ? null : local(v);
                    if (p != null && Files.isDirectory(p)) {
                        cwd = v;
                        reply("250 Directory changed to " + v);
                    } else {
                        reply("550 " + arg + ": No such directory");
                    }
                }
                case "SIZE" -> {
                    Path p = file(arg);
                    reply(p != null && Files.isRegularFile(p) ? "213 " + Files.size(p) : "550 " + arg + ": No such file");
                }
                case "MDTM" -> {
                    Path p = file(arg);
                    reply(p != null && Files.isRegularFile(p)
                            ? "213 " + MDTM.format(Files.getLastModifiedTime(p).toInstant())
                            : "550 " + arg + ": No such file");
                }
                case "REST" -> {
                    try {
                        rest = Long.parseLong(arg);
                        if (rest < 0) {
                            throw new NumberFormatException();
                        }
                        reply("350 Restarting at " + rest + ". Send STOR or RETR");
                    } catch (NumberFormatException e) {
                        rest = 0;
                        reply("501 REST needs a byte offset");
                    }
                }
                case "PASV", "CPSV" -> listen(verb.equals("CPSV"));
                case "RETR", "STOR", "APPE" -> startTransfer(verb, arg);
                case "DELE" -> {
                    Path p = file(arg);
                    reply(p != null && Files.isRegularFile(p) && Files.deleteIfExists(p) ? "250 Deleted " + arg
                            : "550 " + arg + ": No such file");
                }
                case "RNFR" -> {
                    Path p = file(arg);
                    renameFrom = p != null && Files.exists(p) ? p : null;
                    reply(renameFrom != null ? "350 Ready for RNTO" : "550 " + arg + ": No such file or directory");
                }
                case "RNTO" -> {
                    Path to = file(arg);
                    Path from = renameFrom;
                    renameFrom = null;
                    if (from == null) {
                        reply("503 RNFR first");
                    } else if (to == null) {
                        reply("553 " + arg + ": invalid name");
                    } else {
                        try {
                            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                            reply("250 Renamed");
                        } catch (IOException e) {
                            reply("553 Rename failed: " + e.getMessage());
                        }
                    }
                }
                default -> reply("502 " + verb + " not implemented");
            }
        }

        // ---- paths: "/" is the served root, ".." never climbs above it ----------------------

        private String virtual(String arg) {
            if (arg.isEmpty()) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (String seg : ((arg.startsWith("/") ? "" : cwd + "/") + arg).split("/")) {
                if (seg.equals("..")) {
                    if (!parts.isEmpty()) {
                        parts.remove(parts.size() - 1);
                    }
                } else if (!seg.isEmpty() && !seg.equals(".")) {
                    parts.add(seg);
                }
            }
            return "/" + String.join("/", parts);
        }

        private Path local(String virtual) {
            try {
                return virtual.equals("/") ? root : root.resolve(virtual.substring(1));
            } catch (InvalidPathException e) {
                return null;
            }
        }

        private Path file(String arg) {
            String v = virtual(arg);
            return v == null || v.equals("/") ? null : local(v);
        }

        // ---- data connections ------------------------------------------------------------------

        private void listen(boolean asTlsClient) throws IOException {
            quietly(passive);
            passive = null;
            byte[] a = socket.getLocalAddress().getAddress();
            if (a.length != 4) {
                reply("425 PASV/CPSV need IPv4");
                return;
            }
            passive = new ServerSocket(0, 1, socket.getLocalAddress());
            passive.setSoTimeout((int) DATA_ACCEPT.toMillis());
            cpsv = asTlsClient;
            int p = passive.getLocalPort();
            reply("227 Entering Passive Mode (" + (a[0] & 0xff) + "," + (a[1] & 0xff) + "," + (a[2] & 0xff) + ","
                    + (a[3] & 0xff) + "," + (p >> 8) + "," + (p & 0xff) + ")");
        }

        private void startTransfer(String verb, String arg) throws IOException {
            long offset = rest;
            rest = 0;
            Path p = file(arg);
            if (p == null) {
                reply("553 " + arg + ": invalid name");
                return;
            }
            if (verb.equals("RETR") && !Files.isRegularFile(p)) {
                reply("550 " + arg + ": No such file");
                return;
            }
            if (!verb.equals("RETR") && !Files.isDirectory(p.getParent())) {
                reply("553 " + arg + ": cannot create it here");
                return;
            }
            long have = Files.isRegularFile(p) ? Files.size(p) : -1;
            if (offset > 0 && (verb.equals("APPE") || offset > have)) {
                reply("554 Cannot restart at " + offset + " (the file has " + have + " bytes)");
                return;
            }
            if (passive == null) {
                reply("425 Use PASV or CPSV first");
                return;
            }
            ServerSocket listening = passive;
            passive = null;
            boolean client = cpsv;
            boolean protectedData = protect;
            aborted = false;
            accepting = listening;
            transfer = new Thread(() -> transfer(verb, arg, p, offset, listening, client, protectedData),
                    "cpsv-stand-in-data-" + listening.getLocalPort());
            transfer.setDaemon(true);
            transfer.start();
        }

        /** Runs on its own thread so that the control connection can take ABOR meanwhile. */
        private void transfer(String verb, String arg, Path p, long offset, ServerSocket listening,
                boolean asTlsClient, boolean protectedData) {
            Socket raw;
            try {
                raw = listening.accept();
                open.add(raw);
            } catch (SocketTimeoutException e) {
                reply("425 No data connection within " + DATA_ACCEPT.toSeconds() + " s");
                return;
            } catch (IOException e) {
                reply(aborted ? "426 Transfer aborted before the data connection" : "425 Cannot open data connection");
                return;
            } finally {
                quietly(listening);
                accepting = null;
            }
            dataSocket = raw;
            String peer = raw.getInetAddress().getHostAddress();
            reply("150 Opening BINARY mode data connection for " + arg + (offset > 0 ? " (restarting at " + offset + ")"
                    : ""));
            try {
                raw.setSoTimeout(30_000);
                Socket s = raw;
                String protection = "clear";
                String tlsProtocol = "";
                if (protectedData) {
                    SSLSocket ssl;
                    try {
                        ssl = (SSLSocket) (asTlsClient ? clientTls : serverTls).getSocketFactory().createSocket(raw,
                                peer, raw.getPort(), true);
                        ssl.setUseClientMode(asTlsClient);
                        ssl.startHandshake();
                    } catch (IOException e) {
                        reply("425 TLS negotiation on the data connection failed: " + e.getMessage());
                        return;
                    }
                    s = ssl;
                    dataSocket = ssl;
                    protection = asTlsClient ? "TLS client" : "TLS server";
                    tlsProtocol = ssl.getSession().getProtocol();
                }
                long n = verb.equals("RETR") ? send(p, offset, s) : receive(p, offset, verb.equals("APPE"), s);
                s.close();
                data.add(new DataConnection(verb, arg, offset, protection, tlsProtocol, peer, n));
                reply("226 Transfer complete, " + n + " bytes");
            } catch (IOException e) {
                reply("426 Data connection closed; transfer aborted" + (aborted ? "" : ": " + e.getMessage()));
            } finally {
                quietly(dataSocket);
                open.remove(raw);
                dataSocket = null;
            }
        }

        private long send(Path p, long offset, Socket s) throws IOException {
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.position(offset);
                long n = Channels.newInputStream(ch).transferTo(s.getOutputStream());
                endOfFile(s);
                return n;
            }
        }

        /**
         * Tells the receiver the file is complete (FIN, or close_notify under TLS) and reads what it
         * still says (a TLS 1.3 session ticket, its close_notify) until it closes. Closing with unread
         * bytes makes the kernel reset the connection, and the receiver may lose the file's tail: seen
         * with vsftpd under TLS 1.3 ("426 Failure reading network stream.", 3 transfers in 22).
         */
        private void endOfFile(Socket s) throws IOException {
            s.shutdownOutput();
            s.setSoTimeout(5000);
            try {
                s.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed, or nothing more within the time: the file went out whole either way
            }
        }

        private long receive(Path p, long offset, boolean append, Socket s) throws IOException {
            try (FileChannel ch = append
                    ? FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                    : FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                if (!append) {
                    ch.truncate(offset); // STOR replaces the file from the restart offset on
                    ch.position(offset);
                }
                return s.getInputStream().transferTo(Channels.newOutputStream(ch));
            }
        }

        /** ABOR: ends a transfer (426 for it, then 226) or says there was none (225). */
        private void abortTransfer() {
            Thread t = transfer;
            if (t == null || !t.isAlive()) {
                transfer = null;
                reply("225 No transfer to abort");
                return;
            }
            aborted = true;
            quietly(accepting);
            quietly(dataSocket);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            transfer = null;
            reply("226 Abort successful");
        }

        private void awaitTransfer() {
            Thread t = transfer;
            if (t != null) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                transfer = null;
            }
        }
    }

    // ---- TLS ---------------------------------------------------------------------------------------

    /** A server context from a PEM certificate chain and a PEM PKCS#8 key (RSA or EC, as the certificate's). */
    private static SSLContext serverContext(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
        List<Certificate> chain;
        try (InputStream in = Files.newInputStream(certPem)) {
            chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new IOException(certPem + ": no certificate");
        }
        Matcher m = Pattern.compile("-----BEGIN PRIVATE KEY-----(.*?)-----END PRIVATE KEY-----", Pattern.DOTALL)
                .matcher(Files.readString(keyPem));
        if (!m.find()) {
            throw new IOException(keyPem + ": no PKCS#8 key (BEGIN PRIVATE KEY)");
        }
        PrivateKey key = KeyFactory.getInstance(chain.get(0).getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
        char[] pw = "stand-in".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** The CPSV data connection's trust: the other server's test certificate is self-signed. */
    private static final class TrustingAnything extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    private static void quietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
