package io.sitebridge.core.sites;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.Security;
import io.sitebridge.core.Site;

class FileZillaSitesTest {
    @TempDir
    Path tmp;

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static final String WORK_PW = "w0rk-\u00fc-secret";
    static final String IMPLICIT_PW = "impl1cit!";
    static final String PLAIN_PW = "plain-pass";
    static final String SFTP_PW = "ssh-only-pw";

    /** As FileZilla 3.6x writes it: folders (one nested), every FTP flavour, SFTP, an asking logon, a crypt password. */
    static String sitemanager(String host, int port) {
        return """
                <?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
                <FileZilla3 version="3.66.4" platform="*nix">
                    <Servers>
                        <Folder expanded="1">Work
                            <Server>
                                <Host>%1$s</Host>
                                <Port>%2$d</Port>
                                <Protocol>4</Protocol>
                                <Type>0</Type>
                                <User>alice</User>
                                <Pass encoding="base64">%3$s</Pass>
                                <Logontype>1</Logontype>
                                <PasvMode>MODE_DEFAULT</PasvMode>
                                <EncodingType>Auto</EncodingType>
                                <BypassProxy>0</BypassProxy>
                                <Name>Explicit</Name>
                                <Comments />
                                <Colour>0</Colour>
                                <LocalDir />
                                <RemoteDir />
                                <SyncBrowsing>0</SyncBrowsing>
                                <DirectoryComparison>0</DirectoryComparison>
                            </Server>
                            <Folder expanded="0">Old boxes
                                <Server>
                                    <Host>legacy.example.net</Host>
                                    <Port>990</Port>
                                    <Protocol>3</Protocol>
                                    <Type>0</Type>
                                    <User>bob</User>
                                    <Pass encoding="base64">%4$s</Pass>
                                    <Logontype>1</Logontype>
                                    <TimezoneOffset>60</TimezoneOffset>
                                    <PasvMode>MODE_ACTIVE</PasvMode>
                                    <MaximumMultipleConnections>2</MaximumMultipleConnections>
                                    <EncodingType>Custom</EncodingType>
                                    <CustomEncoding>ISO-8859-1</CustomEncoding>
                                    <Name>Implicit/990</Name>
                                    <RemoteDir>1 0 4 home 3 bob</RemoteDir>
                                </Server>
                            </Folder>
                            <Server>
                                <Host>sftp.example.net</Host>
                                <Port>22</Port>
                                <Protocol>1</Protocol>
                                <User>carol</User>
                                <Pass encoding="base64">%5$s</Pass>
                                <Logontype>1</Logontype>
                                <Name>Shell box</Name>
                            </Server>
                        </Folder>
                        <Server>
                            <Host>plain.example.org</Host>
                            <Port>21</Port>
                            <Protocol>6</Protocol>
                            <User>dave</User>
                            <Pass encoding="base64">%6$s</Pass>
                            <Logontype>1</Logontype>
                            <Name>Plain only</Name>
                        </Server>
                        <Server>
                            <Host>maybe-tls.example.org</Host>
                            <Port>21</Port>
                            <Protocol>0</Protocol>
                            <User>erin</User>
                            <Logontype>2</Logontype>
                            <Name>Ask each time</Name>
                        </Server>
                        <Server>
                            <Host>mirror.example.org</Host>
                            <Protocol>0</Protocol>
                            <Logontype>0</Logontype>
                            <Name>Anonymous mirror</Name>
                        </Server>
                        <Server>
                            <Host>locked.example.org</Host>
                            <Protocol>4</Protocol>
                            <User>frank</User>
                            <Pass encoding="crypt" pubkey="ABCDEF">Zm9vYmFy</Pass>
                            <Logontype>1</Logontype>
                            <Name>Master password</Name>
                        </Server>
                        <Server>
                            <Host>bucket.s3.example.com</Host>
                            <Protocol>7</Protocol>
                            <Logontype>1</Logontype>
                            <Name>Cloud</Name>
                        </Server>
                    </Servers>
                </FileZilla3>
                """.formatted(host, port, b64(WORK_PW), b64(IMPLICIT_PW), b64(SFTP_PW), b64(PLAIN_PW));
    }

    @Test
    void readsFoldersProtocolsAndPasswords() throws Exception {
        Path xml = tmp.resolve("sitemanager.xml");
        Files.writeString(xml, sitemanager("ftp.example.com", 2121));
        FileZillaSites.Result r = FileZillaSites.read(xml);
        Map<String, FileZillaSites.Found> found = r.found().stream()
                .collect(Collectors.toMap(f -> f.site().name(), f -> f));
        assertEquals(List.of("Work/Explicit", "Work/Old boxes/Implicit\u2215990", "Plain only", "Ask each time",
                "Anonymous mirror", "Master password"), r.found().stream().map(f -> f.site().name()).toList());

        Site explicit = found.get("Work/Explicit").site();
        assertEquals("ftp.example.com", explicit.host());
        assertEquals(2121, explicit.port());
        assertEquals("alice", explicit.user());
        assertEquals(Security.EXPLICIT_TLS, explicit.security());
        assertEquals(WORK_PW, new String(found.get("Work/Explicit").password()));
        assertEquals(List.of(), found.get("Work/Explicit").notes());

        FileZillaSites.Found implicit = found.get("Work/Old boxes/Implicit\u2215990");
        assertEquals(Security.IMPLICIT_TLS, implicit.site().security());
        assertEquals(990, implicit.site().port());
        assertEquals(2, implicit.site().maxConnections());
        assertEquals("ISO-8859-1", implicit.site().encoding().name());
        assertEquals(IMPLICIT_PW, new String(implicit.password()));
        String notes = String.join("\n", implicit.notes());
        assertTrue(notes.contains("time zone") && notes.contains("active mode") && notes.contains("folders are not kept"),
                notes);

        assertEquals(Security.PLAIN, found.get("Plain only").site().security());
        assertEquals(Security.EXPLICIT_TLS, found.get("Ask each time").site().security());
        assertTrue(found.get("Ask each time").notes().get(0).contains("only when the server offered it"));
        assertNull(found.get("Ask each time").password());
        assertTrue(found.get("Ask each time").notes().stream().anyMatch(n -> n.contains("asks for this password")));
        assertEquals("anonymous", found.get("Anonymous mirror").site().user());
        assertNull(found.get("Master password").password());
        assertTrue(found.get("Master password").notes().stream().anyMatch(n -> n.contains("master password")));

        assertEquals(List.of("Work/Shell box", "Cloud"), r.skipped().stream().map(FileZillaSites.Skipped::name).toList());
        assertTrue(r.skipped().get(0).reason().startsWith("SFTP (SSH) is not FTP"), r.skipped().get(0).reason());
        assertTrue(r.skipped().get(1).reason().startsWith("protocol 7 (S3) is not FTP"), r.skipped().get(1).reason());
    }

    @Test
    void importsIntoTheStoreWithNoPasswordInAnyPlainFile() throws Exception {
        Path home = tmp.resolve("home");
        Path xml = tmp.resolve("sitemanager.xml");
        Files.writeString(xml, sitemanager("ftp.example.com", 21));
        SavedSites store = SavedSites.in(home);
        store.save(null, Site.builder("other.example").name("Plain only").build(), null); // already there

        SiteImport.Report report = SiteImport.fromFileZilla(store, xml);
        assertEquals(List.of("Work/Explicit", "Work/Old boxes/Implicit\u2215990", "Ask each time", "Anonymous mirror",
                "Master password"), report.imported().stream().map(SiteImport.Imported::name).toList());
        assertEquals(List.of("Plain only", "Work/Shell box", "Cloud"),
                report.skipped().stream().map(FileZillaSites.Skipped::name).toList());
        String text = report.text();
        assertTrue(text.startsWith("imported 5 sites from " + xml + ", skipped 3"), text);
        assertTrue(text.contains("  imported Work/Explicit (explicit FTPS, password saved encrypted)"), text);
        assertTrue(text.contains("  skipped Plain only: a site of that name is already saved"), text);
        assertTrue(text.contains("  skipped Work/Shell box: SFTP (SSH) is not FTP"), text);

        assertEquals(WORK_PW, new String(store.password("Work/Explicit")));
        assertEquals(IMPLICIT_PW, new String(store.password("Work/Old boxes/Implicit\u2215990")));
        assertEquals("other.example", store.find("Plain only").orElseThrow().host(), "the saved one is left alone");
        for (String pw : List.of(WORK_PW, IMPLICIT_PW, PLAIN_PW, SFTP_PW)) {
            byte[] plain = pw.getBytes(StandardCharsets.UTF_8);
            try (Stream<Path> files = Files.walk(home)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertFalse(content.contains(new String(plain, StandardCharsets.ISO_8859_1)), pw + " in " + f);
                    assertFalse(content.contains(b64(pw)), pw + " (base64) in " + f);
                }
            }
        }
        // importing again adds nothing and says why
        SiteImport.Report again = SiteImport.fromFileZilla(store, xml);
        assertEquals(0, again.imported().size());
        assertEquals(8, again.skipped().size());
    }

    @Test
    void hostileFilesAreRefused() throws Exception {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE FileZilla3 [<!ENTITY x SYSTEM "%s">]>
                <FileZilla3><Servers><Server><Host>&x;</Host><Protocol>6</Protocol><Name>n</Name></Server></Servers></FileZilla3>
                """.formatted(secret.toUri());
        IOException e = assertThrows(IOException.class, () -> read(xxe));
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());

        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                + "<FileZilla3><Servers><Server><Host>&b;</Host></Server></Servers></FileZilla3>";
        assertThrows(IOException.class, () -> read(laughs));

        assertThrows(IOException.class, () -> read("<html><body>not it</body></html>"));
        assertThrows(IOException.class, () -> read("<FileZilla3><Servers><Server>"));
        IOException big = assertThrows(IOException.class,
                () -> FileZillaSites.read(new byte[(int) FileZillaSites.MAX_BYTES + 1], "big.xml"));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());

        // deep folders stop at a bound; control characters and line breaks never reach a site
        StringBuilder deep = new StringBuilder("<FileZilla3><Servers>");
        deep.append("<Folder>f".repeat(50)).append("<Server><Host>h</Host><Protocol>6</Protocol></Server>")
                .append("</Folder>".repeat(50)).append("</Servers></FileZilla3>");
        FileZillaSites.Result r = read(deep.toString());
        assertEquals(0, r.found().size());
        assertTrue(r.skipped().get(0).reason().contains("nested more than"), r.skipped().toString());
        // and the parser's own bound (secure processing) refuses a thousand levels outright
        assertThrows(IOException.class, () -> read("<FileZilla3><Servers>" + "<Folder>".repeat(1000)
                + "</Folder>".repeat(1000) + "</Servers></FileZilla3>"));
        FileZillaSites.Result esc = read("<FileZilla3><Servers><Server><Host>evil.example&#13;&#10;DELE x</Host>"
                + "<Protocol>6</Protocol><Name>a&#x9b;2J&#x202e;b</Name></Server></Servers></FileZilla3>");
        assertEquals("evil.exampleDELE x", esc.found().get(0).site().host().replace(" ", " "));
        assertEquals("a2Jb", esc.found().get(0).site().name());
    }

    private static FileZillaSites.Result read(String xml) throws IOException {
        return FileZillaSites.read(xml.getBytes(StandardCharsets.UTF_8), "test.xml");
    }
}
