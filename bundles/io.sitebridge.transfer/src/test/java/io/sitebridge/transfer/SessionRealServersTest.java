package io.sitebridge.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;
import io.sitebridge.testing.peers.TestFiles;

/** Browsing real servers: MLSD on proftpd and pure-ftpd, LIST parsing on vsftpd; UTF-8 names with spaces. */
class SessionRealServersTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(PeerKind.class)
    void listsAndChangesFiles(PeerKind kind) throws Exception {
        try (RealPeer peer = RealPeers.start(kind, "127.0.0.2", tmp.resolve(kind.label), PeerConfig.FXP)) {
            String odd = "späce name ü.txt";
            TestFiles.create(peer.root().resolve(odd), 4096, 1);
            Files.createDirectories(peer.root().resolve("folder"));
            Files.createSymbolicLink(peer.root().resolve("link"), Path.of(odd));
            try (FtpSession s = FtpSession.open(peer.site(), new ControlDialogue())) {
                assertEquals(kind != PeerKind.VSFTPD, s.offersMlsd(), s.features().toString());
                List<RemoteEntry> list = s.list("/");
                RemoteEntry file = list.stream().filter(e -> e.name().equals(odd)).findFirst()
                        .orElseThrow(() -> new AssertionError(list.toString()));
                assertEquals(EntryType.FILE, file.type());
                assertEquals(4096, file.size());
                assertTrue(list.stream().anyMatch(e -> e.name().equals("folder") && e.isDirectory()), list::toString);
                if (kind != PeerKind.PUREFTPD) { // pure-ftpd leaves symbolic links out of MLSD
                    assertTrue(list.stream().anyMatch(e -> e.name().equals("link") && e.isLink()), list::toString);
                }
                assertEquals(4096, s.size("/" + odd));
                s.mkdir("/new folder");
                s.rename("/" + odd, "/new folder/moved.txt");
                assertEquals(4096, s.size("/new folder/moved.txt"));
                s.delete("/new folder/moved.txt");
                assertEquals(-1, s.size("/new folder/moved.txt"));
                s.cd("/new folder");
                assertEquals("/new folder", s.pwd());
            }
        }
    }
}
