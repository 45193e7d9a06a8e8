package io.sitebridge.core.session;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Parses one MLSD line (RFC 3659: {@code fact=value;fact=value; name}). Our own because
 * commons-net drops entries whose type fact contains '=' ({@code type=OS.unix=symlink},
 * as proftpd sends for symbolic links), and links must be listed as links.
 */
final class MlsdParser {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss[.SSS]", Locale.ROOT);

    private MlsdParser() {
    }

    /** Returns the entry, or null for the folder itself, its parent, and lines that are not MLSD entries. */
    static RemoteEntry parse(String line) {
        int space = line.indexOf(' ');
        if (space < 0 || space == line.length() - 1) {
            return null;
        }
        String facts = line.substring(0, space);
        String name = line.substring(space + 1);
        EntryType type = EntryType.OTHER;
        long size = -1;
        Instant modified = null;
        String perm = "";
        String mode = null;
        String owner = "";
        String group = "";
        String target = null;
        for (String fact : facts.split(";")) {
            int eq = fact.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = fact.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = fact.substring(eq + 1);
            switch (key) {
                case "type" -> {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (v.equals("cdir") || v.equals("pdir")) {
                        return null;
                    }
                    if (v.equals("file")) {
                        type = EntryType.FILE;
                    } else if (v.equals("dir")) {
                        type = EntryType.DIRECTORY;
                    } else if (v.startsWith("os.unix=slink") || v.startsWith("os.unix=symlink")) {
                        type = EntryType.LINK;
                        int colon = value.indexOf(':');
                        target = colon < 0 ? null : value.substring(colon + 1);
                    }
                }
                case "size", "sizd" -> {
                    try {
                        size = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        size = -1;
                    }
                }
                case "modify" -> {
                    try {
                        modified = LocalDateTime.parse(value, TIME).toInstant(ZoneOffset.UTC);
                    } catch (RuntimeException e) {
                        modified = null;
                    }
                }
                case "perm" -> perm = value;
                case "unix.mode" -> mode = value;
                case "unix.owner", "unix.uid" -> owner = owner.isEmpty() ? value : owner;
                case "unix.ownername" -> owner = value;
                case "unix.group", "unix.gid" -> group = group.isEmpty() ? value : group;
                case "unix.groupname" -> group = value;
                default -> {
                    // other facts are not shown
                }
            }
        }
        if (name.equals(".") || name.equals("..")) {
            return null;
        }
        int slash = name.lastIndexOf('/');
        if (slash >= 0 && slash < name.length() - 1) {
            name = name.substring(slash + 1);
        }
        return new RemoteEntry(name, type, size, modified, mode != null ? rwx(mode) : perm, owner, group, target);
    }

    private static String rwx(String octal) {
        try {
            int m = Integer.parseInt(octal.length() > 3 ? octal.substring(octal.length() - 3) : octal, 8);
            StringBuilder sb = new StringBuilder(9);
            for (int shift = 6; shift >= 0; shift -= 3) {
                int bits = (m >> shift) & 7;
                sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-')
                        .append((bits & 1) != 0 ? 'x' : '-');
            }
            return sb.toString();
        } catch (NumberFormatException e) {
            return octal;
        }
    }
}
