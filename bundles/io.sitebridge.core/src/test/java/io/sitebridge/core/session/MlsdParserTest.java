package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MlsdParserTest {
    @Test
    void parsesFilesFoldersAndLinks() {
        RemoteEntry f = MlsdParser.parse("modify=20260101120000;perm=adfrw;size=42;type=file;UNIX.mode=0644;"
                + "UNIX.ownername=bob;UNIX.groupname=staff; a name; with ;semicolons.txt");
        assertEquals("a name; with ;semicolons.txt", f.name());
        assertEquals(EntryType.FILE, f.type());
        assertEquals(42, f.size());
        assertEquals("rw-r--r--", f.permissions());
        assertEquals("bob", f.owner());
        assertEquals("staff", f.group());
        assertEquals(java.time.Instant.parse("2026-01-01T12:00:00Z"), f.modified());
        assertEquals(EntryType.DIRECTORY, MlsdParser.parse("type=dir;modify=20260101120000; sub").type());
        RemoteEntry l = MlsdParser.parse("type=OS.unix=slink:/target.txt;size=10; link");
        assertEquals(EntryType.LINK, l.type());
        assertEquals("/target.txt", l.linkTarget());
        assertEquals(EntryType.LINK, MlsdParser.parse("type=OS.unix=symlink;size=10; link2").type());
        assertNull(MlsdParser.parse("type=cdir; ."));
        assertNull(MlsdParser.parse("type=pdir; .."));
        assertNull(MlsdParser.parse("garbage"));
    }
}
