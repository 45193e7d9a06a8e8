package io.sitebridge.core.session;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A fast reader of the common Unix {@code LIST} line
 * ({@code -rw-r--r--  1 owner group  4096 Nov 28 02:09 name}), without regular expressions or
 * date formatters: one pass over the characters, no per-line objects but the entry. It gives the
 * same entry as commons-net's {@code UnixFTPEntryParser} for the lines it accepts (type, size,
 * owner, group, permissions, link target, the name exactly as sent, leading spaces included, and
 * the time read in this JVM's zone: {@code MMM d HH:mm} in the year that keeps it no more than a
 * day ahead of now, {@code MMM d yyyy} at midnight). Anything unusual (other types, owner names
 * with spaces, a missing group, other date formats) returns null, and the caller falls back to
 * commons-net for that line. One listing's reader: not for several threads at once (it keeps the
 * last time it read, as a folder's files often share a minute).
 */
final class UnixListParser {
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private final ZoneId zone;
    private final ZonedDateTime latest;
    private final int thisYear;
    /** The last "MMM d HH:mm" read (month, day, hour and minute in one number) and its time. */
    private int lastKey = -1;
    private Instant lastTime;

    UnixListParser() {
        this(ZoneId.systemDefault(), ZonedDateTime.now());
    }

    UnixListParser(ZoneId zone, ZonedDateTime now) {
        this.zone = zone;
        this.latest = now.withZoneSameInstant(zone).plusDays(1); // commons-net's lenient future dates
        this.thisYear = latest.getYear();
    }

    /** The entry of one line, or null when this parser is not sure of it. */
    RemoteEntry parse(String line) {
        int n = line.length();
        if (n < 12) {
            return null;
        }
        char t = line.charAt(0);
        EntryType type = switch (t) {
            case '-' -> EntryType.FILE;
            case 'd' -> EntryType.DIRECTORY;
            case 'l' -> EntryType.LINK;
            default -> null;
        };
        if (type == null) {
            return null;
        }
        char[] perm = new char[9];
        boolean anyPermission = false;
        for (int i = 0; i < 9; i++) {
            char c = line.charAt(1 + i);
            int k = i % 3;
            boolean ok = k == 0 ? c == 'r' || c == '-' : k == 1 ? c == 'w' || c == '-'
                    : c == 'x' || c == 's' || c == 'S' || c == 't' || c == 'T' || c == 'L' || c == '-';
            if (!ok) {
                return null;
            }
            boolean has = c != '-' && !(k == 2 && Character.isUpperCase(c));
            perm[i] = has ? "rwx".charAt(k) : '-';
            anyPermission |= has;
        }
        int p = 10;
        if (line.charAt(p) == '+') {
            p++;
        }
        // link count, owner, group, size, month, day, time or year: eight fields separated by spaces
        int[] start = new int[7];
        int[] end = new int[7];
        for (int f = 0; f < 7; f++) {
            int s = p;
            while (s < n && line.charAt(s) == ' ') {
                s++;
            }
            if (s == p || s >= n) {
                return null; // fields are separated by at least one space
            }
            int e = s;
            while (e < n && line.charAt(e) != ' ') {
                e++;
            }
            start[f] = s;
            end[f] = e;
            p = e;
        }
        // after the time or year: exactly one space, then the name (which may start with spaces)
        if (p >= n - 1 || line.charAt(p) != ' ') {
            return null;
        }
        String name = line.substring(p + 1);
        if (!digits(line, start[0], end[0]) || !digits(line, start[3], end[3]) || end[3] - start[3] > 18) {
            return null;
        }
        long size = Long.parseLong(line, start[3], end[3], 10);
        int month = month(line, start[4], end[4]);
        if (month < 0 || !digits(line, start[5], end[5]) || end[5] - start[5] > 2) {
            return null;
        }
        int day = Integer.parseInt(line, start[5], end[5], 10);
        Instant when = time(line, start[6], end[6], month, day);
        if (when == null) {
            return null;
        }
        String owner = line.substring(start[1], end[1]);
        String group = line.substring(start[2], end[2]);
        String link = null;
        if (type == EntryType.LINK) {
            int arrow = name.indexOf(" -> ");
            if (arrow >= 0) {
                link = name.substring(arrow + 4);
                name = name.substring(0, arrow);
            }
        }
        return new RemoteEntry(name, type, size, when, anyPermission ? new String(perm) : "", owner, group, link);
    }

    private Instant time(String line, int s, int e, int month, int day) {
        try {
            int colon = line.indexOf(':', s);
            if (colon > s && colon < e) {
                // MMM d HH:mm: this year, or last year if that would be more than a day ahead
                if (colon - s > 2 || e - colon - 1 != 2 || !digits(line, s, colon) || !digits(line, colon + 1, e)) {
                    return null;
                }
                int h = Integer.parseInt(line, s, colon, 10);
                int m = Integer.parseInt(line, colon + 1, e, 10);
                if (h > 23 || m > 59) {
                    return null;
                }
                int key = ((month * 100 + day) * 24 + h) * 60 + m; // (day: two digits at most) no two share a key
                if (key == lastKey) {
                    return lastTime; // a folder's files were often written in the same minute
                }
                ZonedDateTime z = LocalDateTime.of(thisYear, month, day, h, m).atZone(zone);
                if (z.isAfter(latest)) {
                    z = LocalDateTime.of(thisYear - 1, month, day, h, m).atZone(zone);
                }
                lastKey = key;
                lastTime = z.toInstant();
                return lastTime;
            }
            if (e - s != 4 || !digits(line, s, e)) {
                return null;
            }
            return LocalDate.of(Integer.parseInt(line, s, e, 10), month, day).atStartOfDay(zone).toInstant();
        } catch (java.time.DateTimeException ex) {
            return null; // e.g. Feb 29 of a year without one, day 0 or 31 of a short month
        }
    }

    private static int month(String line, int s, int e) {
        if (e - s != 3) {
            return -1;
        }
        for (int m = 0; m < 12; m++) {
            if (line.regionMatches(true, s, MONTHS, 3 * m, 3)) {
                return m + 1;
            }
        }
        return -1;
    }

    private static boolean digits(String line, int s, int e) {
        if (e <= s) {
            return false;
        }
        for (int i = s; i < e; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
