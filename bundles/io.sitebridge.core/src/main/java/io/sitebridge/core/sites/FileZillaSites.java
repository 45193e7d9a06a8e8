package io.sitebridge.core.sites;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.Security;
import io.sitebridge.core.ServerText;
import io.sitebridge.core.Site;

/**
 * Reads FileZilla's site manager ({@code sitemanager.xml}: {@code FileZilla3/Servers}, with
 * {@code Folder}s holding {@code Server}s) as sites to save. FileZilla's protocol numbers:
 * 0 FTP ("use explicit FTP over TLS if available"), 1 SFTP, 2 HTTP, 3 FTPS (implicit TLS),
 * 4 FTPES (explicit TLS), 5 HTTPS, 6 insecure FTP (plain only), 7 and up S3, WebDAV and cloud
 * storage. Logon types: 0 anonymous, 1 normal, 2 ask for the password, 3 interactive, 4 account,
 * 5 key file, 6 profile.
 *
 * <p>The file is treated as hostile: bounded in size, in sites and in folder depth; no document
 * type, no entities, nothing fetched from elsewhere; every text taken from it is checked before
 * it becomes a site (a host or user with a line break is refused by {@link Site}).
 */
public final class FileZillaSites {

    /** Larger files are refused (thousands of sites fit in a fraction of this). */
    public static final long MAX_BYTES = 16L << 20;
    /** At most this many sites are read from one file. */
    public static final int MAX_SITES = 10_000;
    static final int MAX_DEPTH = 32;
    private static final int MAX_TEXT = 4096;

    /** What the file held: the sites to save (with their notes) and the entries that cannot be. */
    public record Result(List<Found> found, List<Skipped> skipped) { }

    /** A site to save; {@code notes} say what of FileZilla's settings it does not keep, and why. */
    public record Found(Site site, char[] password, List<String> notes) { }

    /** An entry that is not imported, and why. */
    public record Skipped(String name, String reason) { }

    private final List<Found> found = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private int servers;

    private FileZillaSites() {
    }

    /** Reads {@code file}; fails with a message for the user when it is not a FileZilla site manager file. */
    public static Result read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(file + " is " + size + " bytes long; a FileZilla site manager file is far smaller");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in.readNBytes((int) MAX_BYTES + 1), file.toString());
        }
    }

    static Result read(byte[] xml, String where) throws IOException {
        if (xml.length > MAX_BYTES) {
            throw new IOException(where + " is too large for a FileZilla site manager file");
        }
        Document doc;
        try {
            InputSource source = new InputSource(new ByteArrayInputStream(xml));
            source.setSystemId("sitemanager.xml"); // a relative reference has nothing to resolve against
            doc = parser().parse(source);
        } catch (SAXException e) {
            throw new IOException(where + " is not a FileZilla site manager file: "
                    + ServerText.printable(String.valueOf(e.getMessage())));
        }
        Element root = doc.getDocumentElement();
        Element servers = root == null || !root.getTagName().equals("FileZilla3") ? null : child(root, "Servers");
        if (servers == null) {
            throw new IOException(where + " is not a FileZilla site manager file (no FileZilla3/Servers)");
        }
        FileZillaSites reader = new FileZillaSites();
        reader.folder(servers, "", 0);
        return new Result(List.copyOf(reader.found), List.copyOf(reader.skipped));
    }

    private static DocumentBuilder parser() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            // no DOCTYPE at all: no entities (billion laughs), no external DTD or entity fetched
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not read");
            });
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IOException("no safe XML parser: " + e.getMessage(), e);
        }
    }

    private void folder(Element folder, String path, int depth) {
        for (Node n = folder.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            if (e.getTagName().equals("Folder")) {
                String name = clean(ownText(e));
                String inner = path + (name.isEmpty() ? "(unnamed folder)" : name.replace("/", "\u2215")) + "/";
                if (depth + 1 >= MAX_DEPTH) {
                    skipped.add(new Skipped(inner, "folders nested more than " + MAX_DEPTH + " deep are not read"));
                } else {
                    folder(e, inner, depth + 1);
                }
            } else if (e.getTagName().equals("Server")) {
                if (++servers > MAX_SITES) {
                    if (servers == MAX_SITES + 1) {
                        skipped.add(new Skipped(path + "\u2026", "only the first " + MAX_SITES + " sites are read"));
                    }
                    continue;
                }
                server(e, path);
            }
        }
    }

    private void server(Element s, String path) {
        String own = clean(text(s, "Name"));
        if (own.isEmpty()) {
            own = clean(ownText(s)); // older files: the name is the element's own text
        }
        String host = clean(text(s, "Host"));
        if (own.isEmpty()) {
            own = host.isEmpty() ? "(unnamed site)" : host;
        }
        String name = path + own.replace("/", "\u2215");
        if (name.length() > SavedSites.MAX_NAME) {
            name = name.substring(0, SavedSites.MAX_NAME - 1).strip() + "\u2026";
        }
        List<String> notes = new ArrayList<>();
        int protocol = number(s, "Protocol", 0);
        Security security;
        switch (protocol) {
            case 0 -> {
                security = Security.EXPLICIT_TLS;
                notes.add("FileZilla used TLS only when the server offered it; imported as explicit FTPS "
                        + "(choose PLAIN in the site manager if the server has no TLS)");
            }
            case 3 -> security = Security.IMPLICIT_TLS;
            case 4 -> security = Security.EXPLICIT_TLS;
            case 6 -> security = Security.PLAIN;
            case 1 -> {
                skipped.add(new Skipped(name, "SFTP (SSH) is not FTP: Sitebridge speaks FTP and FTPS only"));
                return;
            }
            default -> {
                skipped.add(new Skipped(name, "protocol " + protocolName(protocol)
                        + " is not FTP: Sitebridge speaks FTP and FTPS only"));
                return;
            }
        }
        if (host.isEmpty()) {
            skipped.add(new Skipped(name, "no host"));
            return;
        }
        int port = number(s, "Port", 0);
        if (port < 0 || port > 65535) {
            notes.add("port " + port + " is impossible: the default port is used");
            port = 0;
        }
        int logon = number(s, "Logontype", 1);
        String user = clean(text(s, "User"));
        char[] password = null;
        switch (logon) {
            case 0 -> user = "anonymous";
            case 1, 4 -> password = password(s, name, notes);
            case 2, 3 -> notes.add("FileZilla asks for this password each time: none is saved (the command line "
                    + "asks for it; save one in the site manager)");
            default -> {
                skipped.add(new Skipped(name, "logon type " + logon + " (key file or profile) works with SFTP only"));
                return;
            }
        }
        if (logon == 4 || !clean(text(s, "Account")).isEmpty()) {
            notes.add("the account (ACCT) is not supported and was left out");
        }
        if (user.isEmpty()) {
            user = "anonymous";
        }
        Site.Builder b = Site.builder(host).name(name).port(port).user(user).security(security);
        String pasv = clean(text(s, "PasvMode"));
        if (pasv.equals("MODE_ACTIVE")) {
            notes.add("FileZilla used active mode (PORT) for this site; Sitebridge uses passive mode and "
                    + "falls back by itself");
        }
        int max = number(s, "MaximumMultipleConnections", 0);
        if (max > 0) {
            b.maxConnections(Math.min(max, 32));
        }
        String encoding = clean(text(s, "EncodingType"));
        if (encoding.equals("Custom")) {
            String custom = clean(text(s, "CustomEncoding"));
            try {
                b.encoding(Charset.forName(custom));
            } catch (IllegalArgumentException e) {
                notes.add("the character set \u201c" + custom + "\u201d is unknown here: UTF-8 is used");
            }
        }
        if (number(s, "TimezoneOffset", 0) != 0) {
            notes.add("the time zone offset is not supported (times are shown as the server sends them)");
        }
        if (!clean(text(s, "RemoteDir")).isEmpty() || !clean(text(s, "LocalDir")).isEmpty()) {
            notes.add("the default local and remote folders are not kept");
        }
        Element commands = child(s, "PostLoginCommands");
        if (commands != null && child(commands, "Command") != null) {
            notes.add("the commands after login are not run");
        }
        if (number(s, "Type", 0) != 0) {
            notes.add("the server type is detected, not set");
        }
        b.dataConnectionMode(DataConnectionMode.AUTO);
        try {
            found.add(new Found(b.build(), password, List.copyOf(notes)));
        } catch (IllegalArgumentException e) {
            skipped.add(new Skipped(name, ServerText.printable(String.valueOf(e.getMessage()))));
        }
    }

    private static char[] password(Element s, String name, List<String> notes) {
        Element pass = child(s, "Pass");
        if (pass == null) {
            return null;
        }
        String encoding = pass.getAttribute("encoding");
        String text = pass.getTextContent();
        if (text.length() > MAX_TEXT) {
            notes.add("the saved password is implausibly long and was left out");
            return null;
        }
        if (encoding.equals("crypt")) {
            notes.add("the password is encrypted with FileZilla's master password and was left out: "
                    + "enter it in the site manager");
            return null;
        }
        if (encoding.equals("base64")) {
            try {
                byte[] raw = Base64.getMimeDecoder().decode(text.strip());
                java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw));
                char[] pw = new char[chars.remaining()];
                chars.get(pw);
                java.util.Arrays.fill(raw, (byte) 0);
                if (chars.hasArray()) {
                    java.util.Arrays.fill(chars.array(), '\0');
                }
                return pw;
            } catch (IllegalArgumentException e) {
                notes.add("the saved password is not valid base64 and was left out");
                return null;
            }
        }
        if (!encoding.isEmpty()) {
            notes.add("the password's encoding \u201c" + encoding + "\u201d is unknown; it was left out");
            return null;
        }
        return text.toCharArray(); // FileZilla before 3.26 saved it in clear
    }

    private static String protocolName(int p) {
        return switch (p) {
            case 2 -> "2 (HTTP)";
            case 5 -> "5 (HTTPS)";
            case 7 -> "7 (S3)";
            case 8, 16 -> p + " (Storj)";
            case 9, 15 -> p + " (WebDAV)";
            default -> Integer.toString(p);
        };
    }

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? "" : e.getTextContent();
    }

    /** The element's own text (not its children's): a folder's or an old server entry's name. */
    private static String ownText(Element e) {
        StringBuilder sb = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                sb.append(n.getNodeValue());
            }
        }
        return sb.toString();
    }

    private static int number(Element s, String tag, int otherwise) {
        String t = clean(text(s, tag));
        try {
            return t.isEmpty() ? otherwise : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** Trimmed, bounded, without control characters (they have no place in names, hosts or users). */
    private static String clean(String s) {
        String t = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .forEach(sb::appendCodePoint);
        return sb.toString().strip();
    }
}
