package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sitebridge.core.sites.SavedSites;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/**
 * {@code sitebridge sites} and saved sites by name ({@code NAME:/path}) against real servers: a
 * site added (its password from the environment) or imported from FileZilla is then used with no
 * password anywhere and no terminal to prompt on.
 */
class SitesCliTest {
    @TempDir
    static Path tmp;
    static RealPeer vsftpd;
    static RealPeer proftpd;

    @BeforeAll
    static void start() throws Exception {
        vsftpd = RealPeers.start(PeerKind.VSFTPD, "127.0.0.81", tmp.resolve("vs"), PeerConfig.FXP);
        proftpd = RealPeers.start(PeerKind.PROFTPD, "127.0.0.82", tmp.resolve("pro"), PeerConfig.FXP);
    }

    @AfterAll
    static void stop() {
        RealPeers.closeAll(vsftpd, proftpd);
    }

    record Run(int exit, String out, String err) { }

    /** In-process, with this environment only (no SITEBRIDGE_PASSWORD unless given) and no terminal. */
    static Run run(Path home, Map<String, String> environment, String... args) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("SITEBRIDGE_HOME", home.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, () -> null).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSiteAddedOnceIsUsedByNameWithNoPrompt() throws Exception {
        Path home = tmp.resolve("home-add");
        Run add = run(home, Map.of("SITEBRIDGE_PASSWORD", vsftpd.password()), "sites", "add", vsftpd.url("/"), "left");
        assertEquals(0, add.exit, add.err);
        assertEquals("saved left: " + vsftpd.url("").replace("/", "/") + ", password encrypted", add.out.strip());
        Run addRight = run(home, Map.of("SITEBRIDGE_PASSWORD", proftpd.password()), "sites", "add", proftpd.url("/in"),
                "right");
        assertEquals(0, addRight.exit, addRight.err);
        assertTrue(addRight.out.contains("use right:/in"), addRight.out);

        Run list = run(home, Map.of(), "sites", "list");
        assertEquals(0, list.exit, list.err);
        assertTrue(list.out.lines().anyMatch(l -> l.startsWith("left ") && l.contains(vsftpd.url(""))
                && l.endsWith("(password saved)")), list.out);
        assertTrue(list.out.lines().anyMatch(l -> l.startsWith("right ")), list.out);

        // ls NAME:/path: no password in the environment, no terminal; the store has it
        Files.createDirectories(vsftpd.root().resolve("pub/deeper"));
        TestFiles.create(vsftpd.root().resolve("pub/named.bin"), 4321, 31);
        Run ls = run(home, Map.of(), "ls", "left:/pub");
        assertEquals(0, ls.exit, ls.err);
        assertTrue(ls.out.lines().anyMatch(l -> l.startsWith("-") && l.contains(" 4321 ") && l.endsWith("named.bin")),
                ls.out);
        Run root = run(home, Map.of(), "ls", "left:");
        assertEquals(0, root.exit, root.err);
        assertTrue(root.out.lines().anyMatch(l -> l.startsWith("d") && l.endsWith("pub")), root.out);

        // copy -r between two saved sites, rclone style
        byte[] data = TestFiles.create(vsftpd.root().resolve("pub/deeper/more.bin"), 300_000, 32);
        Run copy = run(home, Map.of(), "copy", "-r", "left:/pub", "right:/pub-copy");
        assertEquals(0, copy.exit, copy.out + copy.err);
        assertArrayEquals(data, Files.readAllBytes(proftpd.root().resolve("pub-copy/deeper/more.bin")));
        // a saved site and a URL mixed; URLs keep working
        Run mixed = run(home, Map.of("SITEBRIDGE_DST_PASSWORD", proftpd.password()), "copy", "left:pub/named.bin",
                proftpd.url("/mixed.bin"));
        assertEquals(0, mixed.exit, mixed.out + mixed.err);
        assertEquals(4321, Files.size(proftpd.root().resolve("mixed.bin")));

        // a name that is not saved: a usage error saying so, before any connection
        Run unknown = run(home, Map.of(), "ls", "nosuch:/pub");
        assertEquals(ExitCode.USAGE.code, unknown.exit);
        assertEquals("sitebridge: no saved site called \u201cnosuch\u201d (sitebridge sites list shows them; a URL "
                + "needs its scheme, e.g. ftp://)", unknown.err.strip());
        assertEquals(ExitCode.USAGE.code, run(home, Map.of(), "ls", "left").exit, "neither a URL nor NAME:path");

        // add refuses a taken name and a password on the command line; it never prompts without a terminal
        assertEquals(ExitCode.USAGE.code, run(home, Map.of("SITEBRIDGE_PASSWORD", "x"), "sites", "add",
                vsftpd.url("/"), "left").exit);
        Run inUrl = run(home, Map.of(), "sites", "add", "ftp://u:secret@127.0.0.81/", "withpw");
        assertEquals(ExitCode.USAGE.code, inUrl.exit);
        assertTrue(inUrl.err.contains("does not go on the command line"), inUrl.err);
        Run noPw = run(home, Map.of(), "sites", "add", "ftp://u@127.0.0.81/", "nopw");
        assertEquals(ExitCode.USAGE.code, noPw.exit);
        assertTrue(noPw.err.contains("SITEBRIDGE_PASSWORD"), noPw.err);

        assertNoPlainPassword(home, vsftpd.password());
        assertNoPlainPassword(home, proftpd.password());

        Run remove = run(home, Map.of(), "sites", "remove", "left");
        assertEquals(0, remove.exit, remove.err);
        assertEquals(ExitCode.USAGE.code, run(home, Map.of(), "sites", "remove", "left").exit);
        assertEquals(ExitCode.USAGE.code, run(home, Map.of(), "ls", "left:/").exit);
    }

    @Test
    void importsFileZillasSitesAndReportsWhatItSkipped() throws Exception {
        Path home = tmp.resolve("home-import");
        Path xml = tmp.resolve("sitemanager.xml");
        String b64 = Base64.getEncoder().encodeToString(proftpd.password().getBytes(StandardCharsets.UTF_8));
        Files.writeString(xml, """
                <?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
                <FileZilla3 version="3.66.4" platform="*nix">
                  <Servers>
                    <Folder expanded="1">Lab
                      <Server>
                        <Host>127.0.0.82</Host><Port>%d</Port><Protocol>6</Protocol><Type>0</Type>
                        <User>%s</User><Pass encoding="base64">%s</Pass><Logontype>1</Logontype>
                        <Name>proftpd</Name>
                      </Server>
                      <Server>
                        <Host>127.0.0.82</Host><Port>22</Port><Protocol>1</Protocol>
                        <User>x</User><Logontype>1</Logontype><Name>ssh</Name>
                      </Server>
                    </Folder>
                  </Servers>
                </FileZilla3>
                """.formatted(proftpd.port(), proftpd.user(), b64));
        Run imp = run(home, Map.of(), "sites", "import", xml.toString());
        assertEquals(0, imp.exit, imp.err);
        assertTrue(imp.out.startsWith("imported 1 site from " + xml + ", skipped 1"), imp.out);
        assertTrue(imp.out.contains("  imported Lab/proftpd (plain FTP, password saved encrypted)"), imp.out);
        assertTrue(imp.out.contains("  skipped Lab/ssh: SFTP (SSH) is not FTP"), imp.out);

        TestFiles.create(proftpd.root().resolve("imported.bin"), 777, 33);
        Run ls = run(home, Map.of(), "ls", "Lab/proftpd:/");
        assertEquals(0, ls.exit, ls.err);
        assertTrue(ls.out.lines().anyMatch(l -> l.contains(" 777 ") && l.endsWith("imported.bin")), ls.out);
        assertNoPlainPassword(home, proftpd.password());

        Run again = run(home, Map.of(), "sites", "import", xml.toString());
        assertTrue(again.out.contains("skipped Lab/proftpd: a site of that name is already saved"), again.out);
        assertEquals(ExitCode.USAGE.code, run(home, Map.of(), "sites", "import", tmp.resolve("none.xml").toString()).exit);
        Files.writeString(tmp.resolve("evil.xml"), "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>");
        Run evil = run(home, Map.of(), "sites", "import", tmp.resolve("evil.xml").toString());
        assertEquals(ExitCode.FAILED.code, evil.exit);
        assertFalse(evil.err.contains("root:"), evil.err);
        assertEquals(1, evil.err.strip().lines().count(), evil.err);
    }

    @Test
    void aDamagedSitesFileIsReportedNotOverwritten() throws Exception {
        Path home = tmp.resolve("home-damaged");
        Files.createDirectories(home);
        Path file = home.resolve(SavedSites.FILE_NAME);
        Files.writeString(file, "site.1.name = x\nsite.1.host = h\nsite.1.port = many\n");
        Run list = run(home, Map.of(), "sites", "list");
        assertEquals(ExitCode.FAILED.code, list.exit);
        assertTrue(list.err.contains("port must be a number"), list.err);
        Run add = run(home, Map.of(), "sites", "add", "ftp://anonymous@127.0.0.81/", "y");
        assertEquals(ExitCode.FAILED.code, add.exit);
        assertEquals("site.1.name = x\nsite.1.host = h\nsite.1.port = many\n", Files.readString(file));
    }

    private static void assertNoPlainPassword(Path home, String password) throws Exception {
        String b64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(content.contains(password) || content.contains(b64), "the password is readable in " + f);
            }
        }
    }
}
