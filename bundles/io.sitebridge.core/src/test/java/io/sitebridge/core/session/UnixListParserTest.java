package io.sitebridge.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.parser.UnixFTPEntryParser;
import org.junit.jupiter.api.Test;

/** The fast LIST reader gives what commons-net's Unix parser gives, or null (commons-net then reads the line). */
class UnixListParserTest {

    @Test
    void sameEntriesAsCommonsNet() {
        ZonedDateTime now = ZonedDateTime.now();
        DateTimeFormatter recent = DateTimeFormatter.ofPattern("MMM d HH:mm", Locale.ENGLISH);
        List<String> lines = new ArrayList<>(List.of(
                "-rw-r--r--    1 1000     1000         4096 Nov 28 02:09 file-0000",
                "drwxr-xr-x    2 0        0            4096 Jan  3  2021 folder",
                "lrwxrwxrwx    1 ftp      ftp             4 Mar 15 11:07 link -> sub0",
                "lrwxrwxrwx    1 ftp      ftp             4 Mar 15 11:07 odd link",
                "-rw-r--r--    1 bob      staff  1234567890123 Dec 31  1999   two leading spaces",
                "-rwsr-sr-T    1 root     root            0 Feb 29  2024 setuid",
                "-rw-r--r--+   1 a        b               7 Jul  4 23:59 acl * ? [x] {y}",
                "-rw-r--r--    1 a        b               7 jul  4 23:59 lower month",
                "---------- 1 a b 0 Aug 1 2:05 one-digit hour",
                "-rw-r--r--    1 a        b               7 Aug 10 12:00 name with  two  spaces ",
                "-rw-r--r--    1 John Smith staff        7 Aug 10 12:00 owner with a space",
                "-rw-r--r--    1 ftp                     7 Aug 10 12:00 no group",
                "crw-rw-rw-    1 root     root       1,   3 Aug 10 12:00 null",
                "prw-r--r--    1 a        b               0 Aug 10 12:00 fifo",
                "-rw-r--r--    1 a        b               7 2024-08-10 12:00 iso date",
                "total 8",
                "-rw-r--r--    1 a        b               7 Feb 30 12:00 no such day",
                "-rw-r--r--    1 a        b               7 Feb 29 12:00 leap day, recent",
                "-rw-r--r--    1 \u00fcser     gr\u00fcp            7 Aug 10 12:00 \u00e4\u00f6\u00fc \u65e5\u672c"));
        // dates around now: this year or last, and the one-day slack
        for (int d : new int[] {-400, -200, -2, 0, 1, 2, 30, 200}) {
            ZonedDateTime t = now.plusDays(d);
            lines.add("-rw-r--r--    1 a        b               9 " + recent.format(t) + " near " + d);
        }
        UnixFTPEntryParser commons = new UnixFTPEntryParser();
        UnixListParser fast = new UnixListParser();
        int accepted = 0;
        for (String line : lines) {
            RemoteEntry e = fast.parse(line);
            if (e == null) {
                continue; // commons-net reads it
            }
            accepted++;
            FTPFile f = commons.parseFTPEntry(line);
            assertNotNull(f, line);
            assertEquals(f.getName(), e.name(), line);
            assertEquals(f.getSize(), e.size(), line);
            assertEquals(f.getUser(), e.owner(), line);
            assertEquals(f.getGroup(), e.group(), line);
            assertEquals(f.getLink(), e.linkTarget(), line);
            assertEquals(f.getTimestampInstant(), e.modified(), line);
            assertEquals(switch (f.getType()) {
                case FTPFile.FILE_TYPE -> EntryType.FILE;
                case FTPFile.DIRECTORY_TYPE -> EntryType.DIRECTORY;
                case FTPFile.SYMBOLIC_LINK_TYPE -> EntryType.LINK;
                default -> EntryType.OTHER;
            }, e.type(), line);
            StringBuilder perm = new StringBuilder();
            boolean any = false;
            for (int who = 0; who < 3; who++) {
                for (int what = 0; what < 3; what++) {
                    boolean has = f.hasPermission(who, what);
                    any |= has;
                    perm.append(has ? "rwx".charAt(what) : '-');
                }
            }
            assertEquals(any ? perm.toString() : "", e.permissions(), line);
        }
        assertEquals(true, accepted >= 15, "accepted " + accepted);
        assertNull(fast.parse("total 8"));
        assertNull(fast.parse("-rw-r--r--    1 John Smith staff        7 Aug 10 12:00 owner with a space"));
        assertEquals("  two leading spaces", fast.parse(lines.get(4)).name());
    }

    @Test
    void recentDatesFollowTheYearRule() {
        ZoneId utc = ZoneId.of("UTC");
        ZonedDateTime now = ZonedDateTime.of(2026, 1, 2, 10, 0, 0, 0, utc);
        UnixListParser p = new UnixListParser(utc, now);
        assertEquals(LocalDate.of(2025, 12, 31).atTime(23, 0).atZone(utc).toInstant(),
                p.parse("-rw-r--r-- 1 a b 1 Dec 31 23:00 x").modified());
        assertEquals(LocalDate.of(2026, 1, 3).atTime(9, 0).atZone(utc).toInstant(),
                p.parse("-rw-r--r-- 1 a b 1 Jan 3 09:00 x").modified()); // within a day ahead: this year
        assertEquals(LocalDate.of(2025, 1, 4).atTime(9, 0).atZone(utc).toInstant(),
                p.parse("-rw-r--r-- 1 a b 1 Jan 4 09:00 x").modified());
        // the same minute as the line before is not taken for a day that does not exist
        assertEquals(LocalDate.of(2025, 2, 1).atTime(9, 0).atZone(utc).toInstant(),
                p.parse("-rw-r--r-- 1 a b 1 Feb 1 09:00 x").modified());
        assertEquals(LocalDate.of(2025, 2, 1).atTime(9, 0).atZone(utc).toInstant(),
                p.parse("-rw-r--r-- 1 a b 1 Feb 1 09:00 y").modified());
        assertNull(p.parse("-rw-r--r-- 1 a b 1 Jan 33 09:00 x"));
        assertNull(p.parse("-rw-r--r-- 1 a b 1 Feb 30 09:00 x"));
    }
}
