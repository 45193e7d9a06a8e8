package io.sitebridge.core.session;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.SocketFactory;
import javax.net.ssl.SSLException;

import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.ftp.parser.DefaultFTPFileEntryParserFactory;
import org.apache.commons.net.util.TrustManagerUtils;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.Security;
import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.trust.CertificateRefusal;
import io.sitebridge.core.trust.CertificateTrust;

/**
 * One logged-in control connection to a {@link Site}, over commons-net. Every command
 * and reply goes to the {@link ControlDialogue}. A session is used by one task at a time
 * (it is not thread-safe, except {@link #abortNow()} and {@link #close()}, which may be
 * called from another thread to stop a transfer that is waiting for its reply).
 *
 * <p>Paths and names that contain CR or LF are refused before anything is sent.
 *
 * <p>Everything a server sends is read within bounds: a reply line of at most 16 Ki
 * characters, a whole reply of at most 256 Ki, finished within the reply timeout once begun
 * (the greeting and {@link #readReply(Duration)} included); a server that exceeds them is cut
 * off. Data connections it opens itself (listings, {@link #retrieve}, {@link #store}) fail as
 * stalled when no byte moves for the data timeout, without then waiting for a final reply.
 * When a server refuses PASV (or EPSV) they are opened with the other, which the session then
 * keeps using. Error messages are one line of at most 200 characters, the server's part quoted.
 */
public final class FtpSession implements Closeable {
    private static final AtomicInteger IDS = new AtomicInteger();
    /** Built on first use: a formatter costs a command line's start a few milliseconds it rarely needs. */
    private static final class Mdtm {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss[.SSS]", Locale.ROOT);
        static final DateTimeFormatter SETTING = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);
    }

    private final Site site;
    private final String id;
    private final ControlDialogue dialogue;
    private final FTPClient client;
    private final RawControl raw;
    private volatile boolean broken;
    /** Written by the thread that sends (one at a time per session), read by the pool: volatile. */
    private volatile long commandsSent;
    /** A data connection of this session broke or stalled: its transfer's final reply is not waited for. */
    private volatile boolean dataBroken;
    private volatile String greeting = "";
    private Set<String> features = Set.of();
    private boolean dataProtected;
    private final boolean verifyCertificates;
    /** Commands may be sent ahead of replies ({@link #sendAhead}). */
    private volatile boolean pipelining;
    private volatile Runnable pipelineBroke;
    /** Who may cut this session off while it opens (null: nobody), and its sessions when reopened. */
    private final Openings openings;
    /** Guards {@link #controlSocket} and {@link #cutOff}: a socket is never made after a cut-off. */
    private final Object cutLock = new Object();
    private Socket controlSocket;
    private boolean cutOff;

    private FtpSession(Site site, ControlDialogue dialogue, boolean verifyCertificates, Openings openings) {
        this.site = site;
        this.openings = openings;
        this.id = "s" + IDS.incrementAndGet();
        this.dialogue = dialogue;
        this.verifyCertificates = verifyCertificates;
        if (site.security() == Security.PLAIN) {
            PlainControlClient c = new PlainControlClient();
            this.client = c;
            this.raw = c;
        } else {
            TlsControlClient c = new TlsControlClient(site.security() == Security.IMPLICIT_TLS);
            if (!verifyCertificates) {
                c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
            } else {
                // The JVM's trust store and host name checks (commons-net's default checks only dates),
                // else the user's pins and answers: one decision for every session of the process.
                c.setTrustManager(CertificateTrust.forServer(site.host(), site.port()));
                c.setEndpointCheckingEnabled(true);
            }
            this.client = c;
            this.raw = c;
        }
        client.setSocketFactory(new ControlSockets());
    }

    /**
     * Makes the sockets of the session's client; remembers the first (the control connection's),
     * the one {@link #cutOff()} closes. Data connections get plain sockets, as by default.
     */
    private final class ControlSockets extends SocketFactory {
        @Override
        public Socket createSocket() throws IOException {
            synchronized (cutLock) {
                if (cutOff) {
                    throw new SocketException("stopped before connecting");
                }
                Socket socket = new Socket();
                if (controlSocket == null) {
                    controlSocket = socket;
                }
                return socket;
            }
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return SocketFactory.getDefault().createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return SocketFactory.getDefault().createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return SocketFactory.getDefault().createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return SocketFactory.getDefault().createSocket(address, port, localAddress, localPort);
        }
    }

    /** Closes the control socket of a session being opened (see {@link Openings}); any thread. */
    void cutOff() {
        Socket socket;
        synchronized (cutLock) {
            cutOff = true;
            socket = controlSocket;
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed
            }
        }
    }

    private boolean wasCutOff() {
        synchronized (cutLock) {
            return cutOff;
        }
    }

    /**
     * Connects, logs in, reads FEAT once, switches to binary and UTF-8 where offered.
     * Certificates of FTPS sites are checked by {@link CertificateTrust}: the JVM's trust store,
     * then the user's pins, then its {@link io.sitebridge.core.trust.CertificateAsker}; a refused
     * certificate fails with a {@link CertificateRefusedException}.
     */
    public static FtpSession open(Site site, ControlDialogue dialogue) throws FtpException {
        return open(site, dialogue, true);
    }

    /**
     * As {@link #open(Site, ControlDialogue)}; with {@code verifyCertificates} false any
     * server certificate is accepted (self-signed test servers, a user's explicit choice).
     */
    public static FtpSession open(Site site, ControlDialogue dialogue, boolean verifyCertificates) throws FtpException {
        return open(site, dialogue, verifyCertificates, null);
    }

    /**
     * As {@link #open(Site, ControlDialogue, boolean)}, under {@code openings} (null: none), which
     * may cut the connection off while it opens: a closing queue does not wait for a mute server.
     */
    public static FtpSession open(Site site, ControlDialogue dialogue, boolean verifyCertificates, Openings openings)
            throws FtpException {
        FtpSession s = new FtpSession(site, dialogue, verifyCertificates, openings);
        if (openings != null) {
            openings.started(s);
        }
        try {
            s.connectAndLogin();
            return s;
        } catch (FtpException e) {
            s.close();
            throw s.wasCutOff() ? s.stopped(e) : e;
        } catch (IOException | RuntimeException e) {
            s.broken = true; // out of step (malformed, cut or missing reply): no polite QUIT to wait for
            FtpReply closing = e instanceof FTPConnectionClosedException ? s.lastReply() : null;
            s.close();
            if (s.wasCutOff()) {
                throw s.stopped(e);
            }
            CertificateRefusal refusal = CertificateRefusedException.refusalIn(e);
            if (refusal != null) {
                CertificateRefusedException refused = new CertificateRefusedException(site.name(), refusal, e);
                s.dialogue.note(site.name(), s.id, CertificateRefusedException.detail(refusal));
                throw refused;
            }
            if (closing != null && closing.code() == 421) {
                // A greeting or a login answered 421 (too many connections, shutting down): the server's own words.
                throw new FtpException(site.name(), site.name() + " refused the connection: "
                        + ServerText.quote(closing.text()), closing);
            }
            throw s.failure("cannot connect to " + site.host() + ":" + site.port(), e);
        } finally {
            if (openings != null) {
                openings.ended(s);
            }
        }
    }

    private FtpException stopped(Exception cause) {
        dialogue.note(site.name(), id, "stopped while connecting to " + site.host() + ":" + site.port());
        return new FtpException(site.name(), site.name() + ": stopped while connecting to " + site.host() + ":"
                + site.port(), cause);
    }

    private void connectAndLogin() throws IOException {
        var t = site.timeouts();
        client.setControlEncoding(site.encoding().name());
        client.setConnectTimeout((int) t.connect().toMillis());
        client.setDefaultTimeout((int) t.reply().toMillis());
        client.setDataTimeout(t.data());
        raw.guard().setReplyCompleteWithin(t.reply());
        client.addProtocolCommandListener(new DialogueBridge());
        if (site.passiveAddressPolicy() == PassiveAddressPolicy.CONTROL_ADDRESS) {
            client.setPassiveNatWorkaroundStrategy(host -> client.getRemoteAddress().getHostAddress());
        } else {
            // The user trusts the address in 227 replies (a server whose data ports are not behind the
            // address it is reached at): commons-net must not refuse a data connection to another host.
            client.setPassiveNatWorkaroundStrategy(null);
            client.setIpAddressFromPasvResponse(true);
            client.setRemoteVerificationEnabled(false);
        }
        dialogue.note(site.name(), id, "connecting to " + site.host() + ":" + site.port()
                + (site.security().isTls() ? " (" + site.security() + ")" : ""));
        client.connect(site.host(), site.port());
        // Commands are whole lines and some are sent back to back without waiting (FXP, pipelining):
        // Nagle would hold the second until the first is acknowledged.
        client.setTcpNoDelay(true);
        client.setSoTimeout((int) t.reply().toMillis());
        if (greeting.isEmpty()) {
            greeting = String.join("\n", client.getReplyStrings());
        }
        if (!isPositive(client.getReplyCode())) {
            throw new FtpException(site.name(), site.name() + " refused the connection: "
                    + ServerText.quote(lastReply().text()), lastReply());
        }
        char[] pw = site.password().password();
        boolean ok;
        try {
            ok = client.login(site.user(), new String(pw));
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (!ok) {
            throw new FtpException(site.name(), site.name() + ": login failed: " + ServerText.quote(lastReply().text()),
                    lastReply());
        }
        if (client instanceof FTPSClient tls) {
            tls.execPBSZ(0);
            tls.execPROT("P");
            dataProtected = true;
        }
        readFeatures();
        if (features.contains("UTF8") && "UTF-8".equalsIgnoreCase(site.encoding().name())) {
            execute("OPTS UTF8 ON"); // a refusal here is harmless
        }
        // commons-net sends TYPE I itself here (and so knows the type); one round trip, not two
        try {
            client.setFileType(FTP.BINARY_FILE_TYPE);
        } catch (IOException e) {
            throw ioFailure("TYPE", e);
        }
        requirePositive(lastReply(), "TYPE I");
        client.enterLocalPassiveMode();
        boolean epsv = site.dataConnectionMode() == DataConnectionMode.EPSV_EPRT
                || (site.dataConnectionMode() == DataConnectionMode.AUTO && isIpv6());
        client.setUseEPSVwithIPv4(epsv && !isIpv6());
    }

    private void readFeatures() throws IOException {
        FtpReply r = execute("FEAT");
        Set<String> f = new LinkedHashSet<>();
        if (r.code() == 211) {
            for (String line : r.lines()) {
                if (line.length() > 1 && line.charAt(0) == ' ') {
                    f.add(line.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        // Keep the full feature lines (e.g. "HASH SHA-256*;MD5") and the bare names.
        Set<String> names = new LinkedHashSet<>(f);
        for (String line : f) {
            int sp = line.indexOf(' ');
            names.add(sp < 0 ? line : line.substring(0, sp));
        }
        features = Collections.unmodifiableSet(names);
    }

    // ---- identity -------------------------------------------------------------------

    public Site site() { return site; }

    /** Identifies this session in the dialogue (e.g. {@code s7}). */
    public String id() { return id; }

    public ControlDialogue dialogue() { return dialogue; }

    /** The server's 220 greeting (all lines). */
    public String greeting() { return greeting; }

    /** FEAT lines in upper case, plus the bare feature names ("MLSD", "HASH", "SSCN", ...). */
    public Set<String> features() { return features; }

    public boolean hasFeature(String name) { return features.contains(name.toUpperCase(Locale.ROOT)); }

    /** MLSD is announced as the MLST feature (RFC 3659); some servers list MLSD itself. */
    public boolean offersMlsd() { return hasFeature("MLST") || hasFeature("MLSD"); }

    /** The address the control connection goes to. */
    public InetAddress remoteAddress() { return client.getRemoteAddress(); }

    public boolean isIpv6() { return client.getRemoteAddress() instanceof Inet6Address; }

    /** Whether the control connection is TLS-protected and data connections default to PROT P. */
    public boolean isDataProtected() { return dataProtected; }

    public boolean isConnected() { return client.isConnected() && !broken; }

    /**
     * How many commands this session has sent since it connected. (Long-lived sessions get slower
     * on some servers: proftpd 1.3.8's session process spends more CPU on every transfer the more
     * it has done, about twice as much after 30,000; the pool replaces a session after many.)
     */
    public long commandsSent() { return commandsSent; }

    /** Adds a NOTE line to this session's dialogue. */
    public void note(String text) {
        dialogue.note(site.name(), id, text);
    }

    // ---- file operations --------------------------------------------------------------

    public String pwd() throws FtpException {
        FtpReply r = requirePositive(execute("PWD"), "PWD");
        String m = r.message();
        int a = m.indexOf('"');
        int b = m.lastIndexOf('"');
        if (r.code() != 257 || a < 0 || b <= a) {
            throw new FtpException(site.name(), site.name() + ": malformed reply to PWD: "
                    + ServerText.quote(r.toString()), r);
        }
        return m.substring(a + 1, b).replace("\"\"", "\"");
    }

    public void cd(String path) throws FtpException {
        requirePositive(execute("CWD " + path), "CWD " + path);
    }

    public void mkdir(String path) throws FtpException {
        requirePositive(execute("MKD " + path), "MKD " + path);
    }

    public void delete(String path) throws FtpException {
        requirePositive(execute("DELE " + path), "DELE " + path);
    }

    public void removeDirectory(String path) throws FtpException {
        requirePositive(execute("RMD " + path), "RMD " + path);
    }

    public void rename(String from, String to) throws FtpException {
        checkName(to);
        FtpReply r = execute("RNFR " + from);
        if (r.code() != 350) {
            throw negative(r, "RNFR " + from);
        }
        requirePositive(execute("RNTO " + to), "RNTO " + to);
    }

    /** SIZE in bytes (binary type), or -1 when the file does not exist or SIZE is refused. */
    public long size(String path) throws FtpException {
        FtpReply r = execute("SIZE " + path);
        try {
            return r.size();
        } catch (NumberFormatException e) {
            throw new FtpException(site.name(), site.name() + ": malformed reply to SIZE: "
                    + ServerText.quote(r.toString()), r);
        }
    }

    /** MDTM as an instant, or null when unknown. */
    public Instant modified(String path) throws FtpException {
        FtpReply r = execute("MDTM " + path);
        if (r.code() != 213) {
            return null;
        }
        try {
            return LocalDateTime.parse(r.message().trim(), Mdtm.FORMAT).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new FtpException(site.name(), site.name() + ": malformed reply to MDTM: "
                    + ServerText.quote(r.toString()), r);
        }
    }

    /**
     * The command this server sets a file's modification time with: {@code MFMT} when its FEAT
     * announces it (proftpd, pure-ftpd), {@code MDTM} for vsftpd (whose {@code MDTM YYYYMMDDHHMMSS
     * path} form sets the time, with its default {@code mdtm_write=YES}; it announces nothing and is
     * recognised by its greeting), else null. Another server is never sent the two-argument MDTM: it
     * would take the time as part of a file name.
     */
    public String timeSetter() {
        if (hasFeature("MFMT")) {
            return "MFMT";
        }
        return greeting.toLowerCase(Locale.ROOT).contains("vsftpd") ? "MDTM" : null;
    }

    /**
     * Sets a file's modification time (UTC, to the second) with {@link #timeSetter()}.
     *
     * @return false when the server has no way to, or refused (its reply is in the dialogue)
     * @throws FtpException the connection failed
     */
    public boolean setModified(String path, Instant time) throws FtpException {
        String setter = timeSetter();
        if (setter == null) {
            return false;
        }
        checkName(path);
        String stamp = Mdtm.SETTING.format(time.atOffset(ZoneOffset.UTC));
        return execute(setter + " " + stamp + " " + path).isPositive();
    }

    /** Lists a folder: MLSD where the server offers it, LIST parsing where not. */
    public List<RemoteEntry> list(String path) throws FtpException {
        checkName(path);
        try {
            if (offersMlsd()) {
                return mlsd(path);
            }
            if (unixList()) {
                return unixList(path);
            }
            return otherList(path);
        } catch (FtpException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure("listing " + path, e);
        }
    }

    /** LIST read with the commons-net parser for the server's system type (SYST), line by bounded line. */
    private List<RemoteEntry> otherList(String path) throws IOException {
        String key = System.getProperty(FTPClient.FTP_SYSTEM_TYPE);
        FTPFileEntryParser parser = new DefaultFTPFileEntryParserFactory()
                .createFileEntryParser(key != null ? key : client.getSystemType());
        List<String> lines = new ArrayList<>();
        readListing("LIST", path, reader -> {
            for (String entry; (entry = parser.readNextEntry(reader)) != null;) {
                lines.add(entry);
            }
        });
        List<RemoteEntry> out = new ArrayList<>(lines.size());
        for (String line : parser.preParse(lines)) {
            FTPFile f = parser.parseFTPEntry(line);
            if (f == null) {
                continue; // a line the parser could not read
            }
            String name = f.getName();
            if (name == null || name.equals(".") || name.equals("..")) {
                continue;
            }
            int slash = name.lastIndexOf('/');
            if (slash >= 0 && slash < name.length() - 1) {
                name = name.substring(slash + 1); // some servers answer LIST dir with paths
            }
            out.add(toEntry(name, f));
        }
        return out;
    }

    /** Reads the lines of a listing's data connection. */
    private interface ListingReader {
        void read(BoundedLineReader reader) throws IOException;
    }

    /**
     * Opens a listing's data connection, hands its lines (each at most {@link ControlGuard#MAX_LINE}
     * characters; nothing may stall longer than the data timeout) to {@code reader}, and reads the
     * final reply.
     */
    private void readListing(String verb, String path, ListingReader reader) throws IOException {
        java.net.Socket data = raw.openDataConnection(verb, path);
        if (data == null) {
            throw refusedData(verb + " " + path);
        }
        DataConnection dc = new DataConnection(data, site.timeouts().data(), site.name(), "the listing of " + path,
                this::dataBroke);
        try (BoundedLineReader lines = new BoundedLineReader(dc.input(), site.encoding(), ControlGuard.MAX_LINE,
                Long.MAX_VALUE, "listing", false)) {
            reader.read(lines);
        }
        if (!client.completePendingCommand()) {
            throw negative(lastReply(), verb + " " + path);
        }
    }

    private List<RemoteEntry> mlsd(String path) throws IOException {
        List<RemoteEntry> out = new ArrayList<>();
        readListing("MLSD", path, reader -> {
            for (String line; (line = reader.readLine()) != null;) {
                RemoteEntry e = MlsdParser.parse(line);
                if (e != null) {
                    out.add(e);
                }
            }
        });
        return out;
    }

    /** Whether commons-net would read this server's LIST with its plain Unix parser (SYST says UNIX). */
    private boolean unixList() throws IOException {
        if (System.getProperty(FTPClient.FTP_SYSTEM_TYPE) != null) {
            return false;
        }
        String key = client.getSystemType().toUpperCase(Locale.ENGLISH);
        return key.contains("UNIX") && !key.contains("UNIX_LTRIM");
    }

    /**
     * LIST read with {@link UnixListParser} (no regular expression or date formatter per line);
     * a line it is not sure of goes to commons-net's Unix parser, so the entries are the same.
     */
    private List<RemoteEntry> unixList(String path) throws IOException {
        UnixListParser fast = new UnixListParser();
        org.apache.commons.net.ftp.parser.UnixFTPEntryParser[] slow = {null};
        List<RemoteEntry> out = new ArrayList<>();
        readListing("LIST", path, reader -> {
            for (String line; (line = reader.readLine()) != null;) {
                RemoteEntry e = fast.parse(line);
                if (e == null) {
                    if (slow[0] == null) {
                        slow[0] = new org.apache.commons.net.ftp.parser.UnixFTPEntryParser();
                    }
                    FTPFile f = slow[0].parseFTPEntry(line);
                    if (f == null || f.getName() == null) {
                        continue; // "total 8", or a line no parser can read
                    }
                    e = toEntry(f.getName(), f);
                }
                String name = e.name();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                int slash = name.lastIndexOf('/');
                if (slash >= 0 && slash < name.length() - 1) {
                    e = new RemoteEntry(name.substring(slash + 1), e.type(), e.size(), e.modified(), e.permissions(),
                            e.owner(), e.group(), e.linkTarget()); // some servers answer LIST dir with paths
                }
                out.add(e);
            }
        });
        return out;
    }

    private static RemoteEntry toEntry(String name, FTPFile f) {
        EntryType type = switch (f.getType()) {
            case FTPFile.FILE_TYPE -> EntryType.FILE;
            case FTPFile.DIRECTORY_TYPE -> EntryType.DIRECTORY;
            case FTPFile.SYMBOLIC_LINK_TYPE -> EntryType.LINK;
            default -> EntryType.OTHER;
        };
        Instant modified = f.getTimestampInstant();
        return new RemoteEntry(name, type, f.getSize(), modified, permissions(f),
                f.getUser() == null ? "" : f.getUser(), f.getGroup() == null ? "" : f.getGroup(), f.getLink());
    }

    private static String permissions(FTPFile f) {
        boolean any = false;
        StringBuilder sb = new StringBuilder(9);
        int[] who = {FTPFile.USER_ACCESS, FTPFile.GROUP_ACCESS, FTPFile.WORLD_ACCESS};
        int[] what = {FTPFile.READ_PERMISSION, FTPFile.WRITE_PERMISSION, FTPFile.EXECUTE_PERMISSION};
        char[] letters = {'r', 'w', 'x'};
        for (int w : who) {
            for (int i = 0; i < 3; i++) {
                boolean has = f.hasPermission(w, what[i]);
                any |= has;
                sb.append(has ? letters[i] : '-');
            }
        }
        return any ? sb.toString() : "";
    }

    // ---- data through the client (relay, small files) ----------------------------------

    /**
     * Starts RETR of a file and returns its data; call {@link #finishTransfer()} after closing the stream.
     * A read that gets no byte for the site's data timeout fails with a {@link DataStallException}.
     */
    public InputStream retrieve(String path, long restartOffset) throws FtpException {
        checkName(path);
        try {
            return openData("RETR", path, restartOffset).input();
        } catch (FtpException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure("RETR " + path, e);
        }
    }

    /**
     * Starts STOR (or APPE when {@code append}) and returns the data stream; then {@link #finishTransfer()}.
     * A write that cannot send for the site's data timeout fails with a {@link DataStallException}.
     */
    public OutputStream store(String path, boolean append) throws FtpException {
        checkName(path);
        String verb = append ? "APPE" : "STOR";
        try {
            return openData(verb, path, 0).output();
        } catch (FtpException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure(verb + " " + path, e);
        }
    }

    private DataConnection openData(String verb, String path, long restartOffset) throws IOException {
        dataBroken = false;
        java.net.Socket data;
        client.setRestartOffset(restartOffset);
        try {
            data = raw.openDataConnection(verb, path);
        } finally {
            client.setRestartOffset(0); // not left over for the next data command when PASV was refused
        }
        if (data == null) {
            throw refusedData(verb + " " + path);
        }
        return new DataConnection(data, site.timeouts().data(), site.name(), verb + " " + path, this::dataBroke);
    }

    /** A data connection broke or stalled: the session is out of step; its final reply is not waited for. */
    private void dataBroke() {
        dataBroken = true;
        broken = true;
    }

    /** The server refused a data command, or the passive commands before it (both PASV and EPSV). */
    private FtpException refusedData(String what) {
        FtpReply r = lastReply();
        String verb = raw.guard().lastVerb();
        if (verb.equals("PASV") || verb.equals("EPSV")) {
            String refused = raw.guard().triedBothPassiveVerbs() ? "PASV and EPSV" : verb;
            return new FtpException(site.name(), site.name() + " refused passive mode (" + refused + ") for "
                    + SecretMaskingAccess.mask(what) + ": " + ServerText.quote(r.text()), r);
        }
        return negative(r, what);
    }

    /** Reads the final reply of a {@link #retrieve}/{@link #store} transfer; throws unless it is 2xx. */
    public FtpReply finishTransfer() throws FtpException {
        if (dataBroken) {
            dataBroken = false;
            throw new FtpException(site.name(), site.name() + ": the transfer's data connection broke; its final reply"
                    + " was not waited for", (FtpReply) null);
        }
        try {
            boolean ok = client.completePendingCommand();
            FtpReply r = lastReply();
            if (!ok) {
                throw negative(r, "transfer");
            }
            return r;
        } catch (FtpException e) {
            throw e;
        } catch (IOException e) {
            throw ioFailure("finishing the transfer", e);
        }
    }

    // ---- raw dialogue (the FXP engine) ---------------------------------------------------

    /**
     * Sends one command and reads its reply (which may be a 1xx preliminary reply; read the
     * final one with {@link #readReply(Duration)}). Negative replies are returned, not thrown.
     */
    public FtpReply execute(String command) throws FtpException {
        checkName(command);
        settleOwed(); // they come before a reply to a command sent ahead
        if (raw.guard().takeAhead(command)) {
            return aheadReply(command);
        }
        try {
            client.sendCommand(command);
            return lastReply();
        } catch (IOException e) {
            throw ioFailure(verb(command), e);
        }
    }

    // ---- pipelining ------------------------------------------------------------------------

    /** The longest wait for the reply to a command sent ahead, once the replies before it have come. */
    private static final Duration AHEAD_WAIT = Duration.ofSeconds(10);
    /**
     * The most commands waiting ahead: their replies (tens of bytes each) stay far below what the
     * sockets buffer, so a server blocked writing replies we do not read yet can never block us.
     */
    static final int MAX_AHEAD = 32;

    /**
     * Lets this session send commands ahead of the replies it waits for ({@link #sendAhead}), or
     * not (lock-step, the default). {@code broke} is told when the server shows that it cannot take
     * pipelined commands; the session is then back in lock-step.
     */
    public void pipeline(boolean allowed, Runnable broke) {
        pipelining = allowed;
        pipelineBroke = broke;
    }

    /** Whether this session sends commands ahead. */
    public boolean pipelining() {
        return pipelining;
    }

    /**
     * Sends {@code command} now, behind whatever the server is still doing (a transfer, earlier
     * commands), without waiting: its reply is read when the same command is executed next, or
     * read and dropped before any other command goes out. The protocol's order is kept: a server
     * answers commands in the order it got them. Returns false, sending nothing, in lock-step or
     * when {@value #MAX_AHEAD} commands are waiting already.
     */
    public boolean sendAhead(String command) throws FtpException {
        if (!pipelining || !isConnected() || raw.guard().aheadCount() >= MAX_AHEAD) {
            return false;
        }
        checkName(command);
        try {
            raw.sendWithoutReply(command);
            raw.guard().sentAhead(command);
            return true;
        } catch (IOException e) {
            throw ioFailure(verb(command), e);
        }
    }

    /**
     * Sends {@code commands} (the caller reads their replies) and, when this session pipelines,
     * {@code ahead} behind them ({@link #sendAhead}), all in one write. A server that looks at its
     * control connection during a transfer (proftpd answers SIZE, pure-ftpd says 500) finds the
     * commands behind a transfer command already read with it, and answers them in order after it.
     */
    public void sendTogether(List<String> commands, List<String> ahead) throws FtpException {
        for (String c : commands) {
            checkName(c);
        }
        for (String c : ahead) {
            checkName(c);
        }
        boolean pipe = pipelining && raw.guard().aheadCount() + ahead.size() <= MAX_AHEAD;
        List<String> all = new java.util.ArrayList<>(commands);
        if (pipe) {
            all.addAll(ahead);
        }
        try {
            raw.guard().settleAhead();
            raw.sendWithoutReply(all.toArray(String[]::new));
            if (pipe) {
                ahead.forEach(raw.guard()::sentAhead);
            }
        } catch (IOException e) {
            throw ioFailure(verb(all.get(0)), e);
        }
    }

    /** Whether replies to commands sent ahead are still to come. */
    public boolean hasAhead() {
        return raw.guard().hasAhead();
    }

    /** Where a reply owed to a caller that went on is handed ({@link #owe}). */
    public interface OwedReply {
        /** The reply came (any code: judging it is the handler's). */
        void arrived(FtpReply reply);

        /** It will never be read: the session broke, timed out or closed first ({@code why}). */
        void lost(String why);
    }

    /**
     * The next reply on this session that nobody has read yet (after the replies owed already)
     * belongs to a caller that went on without it: typically a transfer's final reply, read while
     * the next file's commands are already with the server. It is read, in order, before any
     * other reply is read here — by the next {@link #readReply}, {@link #execute} or any command
     * that waits for its reply, or by {@link #settleOwed} — and handed to {@code handler}, within
     * {@code within} of the moment it is waited for. If the session breaks, is resynchronized or
     * closes first, the handler is told it was lost. The handler runs on the thread that reads and
     * must not use this session. Commands without a reply of their own read ({@link #send},
     * {@link #sendTogether}) may go out before owed replies are read: the server answers in order.
     */
    public void owe(Duration within, OwedReply handler) {
        raw.guard().owe(millis(within), handler);
    }

    /**
     * As {@link #owe}, for the reply to {@code command} sent ahead ({@link #sendAhead},
     * {@link #sendTogether}): it must be the oldest command sent ahead; else nothing changes and
     * the result is false (read it with {@link #execute}).
     */
    public boolean oweAhead(String command, Duration within, OwedReply handler) {
        return raw.guard().oweAhead(command, millis(within), handler);
    }

    /** Whether replies owed to callers that went on ({@link #owe}) are still to be read. */
    public boolean hasOwed() {
        return raw.guard().hasOwed();
    }

    /**
     * Reads the owed replies now and hands them to their handlers ({@link #owe}). On a session that
     * is out of step or closed they are lost instead; so are they, and the session is broken, when
     * one does not come in time.
     */
    public void settleOwed() throws FtpException {
        if (!raw.guard().hasOwed()) {
            return;
        }
        if (broken || !client.isConnected()) {
            raw.guard().loseOwed("the connection to " + site.name() + " was out of step or closed");
            return;
        }
        try {
            raw.guard().settleOwed(0);
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw ioFailure("the wait for a reply", e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /**
     * The server answered out of step or refused a command because it came early: this session
     * is closed for reuse, and the site goes back to lock-step (the caller retries).
     */
    public void pipelineBroke(String why) {
        broken = true;
        raw.guard().forgetAhead();
        notePipelineBroke(why);
    }

    private void notePipelineBroke(String why) {
        boolean was = pipelining;
        pipelining = false; // what is still ahead is read in order before the next command
        if (was) {
            note(site.name() + " cannot take pipelined commands (" + why + "): lock-step from now on");
            Runnable r = pipelineBroke;
            if (r != null) {
                r.run();
            }
        }
    }

    /** A reply to a command sent ahead; one refused because it came early is sent again in lock-step. */
    private FtpReply aheadReply(String command) throws FtpException {
        FtpReply r;
        try {
            r = readReply(min(AHEAD_WAIT, site.timeouts().reply()));
        } catch (ReplyTimeoutException e) {
            notePipelineBroke("no reply to " + verb(command) + " sent ahead");
            throw e;
        }
        if (refusedAsEarly(r.code())) {
            notePipelineBroke(verb(command) + " sent ahead was answered " + ServerText.quote(r.toString()));
            return execute(command);
        }
        return r;
    }

    /**
     * Codes a server gives a command it will not take while busy or out of order: 450 (proftpd's
     * "transfer in progress" when it reads commands during a transfer), 500/501 (a command line it
     * read garbled), 503 (bad sequence).
     */
    public static boolean refusedAsEarly(int code) {
        return code == 450 || code == 500 || code == 501 || code == 503;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Writes one command without waiting for its reply. */
    public void send(String command) throws FtpException {
        checkName(command);
        try {
            raw.guard().settleAhead();
            raw.sendWithoutReply(command);
        } catch (IOException e) {
            throw ioFailure(verb(command), e);
        }
    }

    /**
     * Reads the next reply, waiting at most {@code timeout}.
     *
     * @throws ReplyTimeoutException if no complete reply came in time; the session is then
     *                               out of step and should be closed
     */
    public FtpReply readReply(Duration timeout) throws FtpException {
        settleOwed(); // the replies owed to earlier callers come first
        try {
            if (!client.isConnected()) {
                // closed meanwhile (another thread gave up on this session): no socket to read from
                throw new FTPConnectionClosedException("the connection was closed");
            }
            client.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            try {
                client.getReply();
                return lastReply();
            } finally {
                if (client.isConnected()) {
                    client.setSoTimeout((int) site.timeouts().reply().toMillis());
                }
            }
        } catch (SocketTimeoutException e) {
            broken = true;
            throw new ReplyTimeoutException(site.name(), site.name() + " sent no reply within "
                    + timeout.toMillis() / 1000.0 + " s", e);
        } catch (IOException e) {
            throw ioFailure("the wait for a reply", e);
        } catch (RuntimeException e) {
            // commons-net's socket vanished under us (closed from another thread)
            throw ioFailure("the wait for a reply", new FTPConnectionClosedException("the connection was closed"));
        }
    }

    /**
     * Sends ABOR without reading the reply: safe while another thread waits in
     * {@link #readReply(Duration)} for a transfer's final reply.
     */
    public void abortNow() {
        try {
            raw.sendWithoutReply("ABOR");
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    /** Sets data protection (PROT C or P) on an FTPS session; a no-op on plain FTP. */
    public void setDataProtection(boolean protect) throws FtpException {
        if (!(client instanceof FTPSClient tls) || protect == dataProtected) {
            return;
        }
        try {
            tls.execPROT(protect ? "P" : "C");
            dataProtected = protect;
        } catch (SSLException e) {
            throw new FtpException(site.name(), site.name() + " refused PROT " + (protect ? "P" : "C") + ": "
                    + ServerText.quote(lastReply().text()), lastReply());
        } catch (IOException e) {
            throw ioFailure("PROT", e);
        }
    }

    /**
     * Brings the dialogue back in step after an aborted or refused transfer: sends NOOP and
     * reads (and discards) replies until its 200 arrives. Returns false, and marks the
     * session broken, if that does not happen within {@code timeout}.
     */
    public boolean resync(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        raw.guard().loseOwed("the dialogue with " + site.name() + " was resynchronized after a failed transfer");
        raw.guard().forgetAhead(); // their replies are skipped with the rest, up to NOOP's 200
        try {
            send("NOOP");
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    broken = true;
                    return false;
                }
                FtpReply r = readReply(Duration.ofNanos(left));
                if (r.code() == 200) {
                    return true;
                }
            }
        } catch (FtpException e) {
            broken = true;
            return false;
        }
    }

    /** A new session to the same site with the same settings (after this one broke). */
    public FtpSession reopen() throws FtpException {
        close();
        return open(site, dialogue, verifyCertificates, openings);
    }

    /** This session while it is connected, else a new one to the same site ({@link #reopen()}). */
    public FtpSession reopenIfClosed() throws FtpException {
        return isConnected() ? this : reopen();
    }

    /** Marks the session as out of step with the server; it should be closed, not reused. */
    public void markBroken() {
        broken = true;
    }

    /** The last reply read on this session. */
    public FtpReply lastReply() {
        String[] lines = client.getReplyStrings();
        return new FtpReply(client.getReplyCode(), lines == null ? List.of() : Arrays.asList(lines));
    }

    private void disconnectQuietly() {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            // closed
        }
    }

    /** Sends QUIT (briefly) and closes the connection; never throws. */
    @Override
    public void close() {
        try {
            if (client.isConnected() && !broken) {
                client.setSoTimeout(2000);
                client.logout(); // owed replies are read first, within those 2 s
            }
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
        raw.guard().loseOwed("the connection to " + site.name() + " closed");
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
        broken = true;
    }

    @Override
    public String toString() {
        return site.name() + "/" + id;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** Refuses text that would end an FTP command early and smuggle in another. */
    public void checkName(String text) throws FtpException {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new FtpException(site.name(), "refused before sending: name contains CR or LF: "
                    + text.replace("\r", "\\r").replace("\n", "\\n"), (FtpReply) null);
        }
    }

    private FtpReply requirePositive(FtpReply r, String what) throws FtpException {
        if (!r.isPositive()) {
            throw negative(r, what);
        }
        return r;
    }

    private FtpException negative(FtpReply r, String what) {
        return new FtpException(site.name(), site.name() + " refused " + SecretMaskingAccess.mask(what) + ": "
                + ServerText.quote(r.text()), r);
    }

    private FtpException ioFailure(String what, IOException e) {
        broken = true;
        if (e instanceof ReplyLimitException) {
            disconnectQuietly(); // reading on could mean reading without end
            return new FtpException(site.name(), site.name() + " " + e.getMessage() + " during " + what
                    + "; cut it off", e);
        }
        if (e instanceof FTPConnectionClosedException) {
            return new FtpException(site.name(), site.name() + " closed the connection during " + what
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
        if (e instanceof SocketTimeoutException) {
            return new FtpException(site.name(), site.name() + " did not answer in time during " + what, e);
        }
        if (e instanceof org.apache.commons.net.MalformedServerReplyException) {
            return new FtpException(site.name(), site.name() + " sent a malformed reply during " + what + ": "
                    + malformed(e), e);
        }
        return new FtpException(site.name(), site.name() + ": connection lost during " + what + " ("
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }

    private FtpException failure(String what, Exception e) {
        String why;
        if (e instanceof ReplyLimitException) {
            why = "it " + e.getMessage() + "; cut it off";
        } else if (e instanceof org.apache.commons.net.MalformedServerReplyException) {
            why = "it sent a malformed reply: " + malformed(e);
        } else if (e instanceof FTPConnectionClosedException) {
            why = "it closed the connection before a complete reply";
        } else if (e instanceof SocketTimeoutException || (e.getMessage() != null
                && e.getMessage().startsWith("Timed out waiting for initial connect reply"))) {
            why = "no complete reply in time";
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new FtpException(site.name(), site.name() + ": " + what + " (" + why + ")", e);
    }

    /** A commons-net complaint about a reply, with the server's part quoted and shortened. */
    private static String malformed(Exception e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        int at = m.indexOf("Server Reply: ");
        int skip = "Server Reply: ".length();
        if (at < 0) {
            at = m.indexOf(": ");
            skip = 2;
        }
        if (at < 0) {
            return ServerText.quote(m);
        }
        String said = m.substring(at + skip).trim();
        if (said.length() >= 2 && said.startsWith("'") && said.endsWith("'")) {
            said = said.substring(1, said.length() - 1);
        }
        String ours = m.substring(0, at).trim();
        if (ours.endsWith(".")) {
            ours = ours.substring(0, ours.length() - 1);
        }
        return ours.toLowerCase(Locale.ROOT) + " " + ServerText.quote(said);
    }

    private static String verb(String command) {
        return SecretMaskingAccess.mask(command);
    }

    private static boolean isPositive(int code) {
        return code >= 200 && code < 300;
    }

    /** Bridges commons-net's command events into the control dialogue. */
    private final class DialogueBridge implements ProtocolCommandListener {
        @Override
        public void protocolCommandSent(ProtocolCommandEvent event) {
            commandsSent++;
            dialogue.sent(site.name(), id, event.getMessage());
        }

        @Override
        public void protocolReplyReceived(ProtocolCommandEvent event) {
            if (greeting.isEmpty()) {
                greeting = SecretMaskingAccess.stripEol(event.getMessage()); // FTPS sends AUTH before connect() returns
            }
            dialogue.received(site.name(), id, event.getMessage());
        }
    }

    private static final class SecretMaskingAccess {
        static String stripEol(String s) {
            return s.replaceAll("[\r\n]+$", "");
        }

        static String mask(String command) {
            return io.sitebridge.core.dialogue.SecretMasking.maskCommand(command);
        }
    }

}
