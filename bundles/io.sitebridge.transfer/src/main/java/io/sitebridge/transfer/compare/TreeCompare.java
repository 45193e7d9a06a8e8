package io.sitebridge.transfer.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.engine.Place;
import io.sitebridge.transfer.verify.ContentCheck;

/**
 * Compares two trees, each a folder on one {@link Place} (a site's session or the local file
 * system), listed with the same listing code the queue walks folders with (MLSD, else LIST).
 * Every path of both trees gets one {@link Difference}. Nothing is changed on either side.
 *
 * <p>Times: MLSD and MDTM are UTC to the second; LIST is in the server's own zone and at best
 * minute-precise, so for a server that lists with LIST the time of every file both sides hold is
 * asked with MDTM, and only where MDTM is refused are LIST times compared, to within a day. Copies
 * made by a mirror take their source's time where the destination can set it (MFMT, vsftpd's
 * two-argument MDTM), to the second; on a destination that cannot, a file of the same size that is
 * newer there counts as the same (lftp's rule), since every copy is newer than its source.
 *
 * <p>Content: with {@link CompareMode#HASH}, files of equal size are compared by the strongest
 * hash command both servers offer ({@link ContentCheck}); no byte passes through this client.
 *
 * <p>Left alone, each with one reason: symbolic links (never followed, so no loop of links is
 * walked), other special files, folders that cannot be listed (everything inside them), names
 * that differ only in case, a folder on one side where the other has a file, and trees nested
 * deeper than {@link #MAX_DEPTH} (a loop a server presents as real folders). Our own unfinished
 * copies ({@code NAME.sitebridge-part}) never take part.
 */
public final class TreeCompare {
    /** Folders deeper than this are not entered. */
    public static final int MAX_DEPTH = 64;

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration LIST_PRECISION = Duration.ofDays(1);

    private final Side source;
    private final Side destination;
    private final CompareMode asked;
    private final PathFilter filter;
    private boolean wantTimes;
    private final List<String> notes = new ArrayList<>();
    private final List<Difference> out = new ArrayList<>();
    private final Set<String> kept = new HashSet<>();
    /** Folders (relative) that hold an excluded entry, directly or further down. */
    private final Set<String> holdingExcluded = new HashSet<>();
    private boolean sourceComplete = true;
    private int sourceRootEntries;
    private boolean destinationRootExists = true;
    private String hash;

    private TreeCompare(Place source, String sourceRoot, Place destination, String destinationRoot, CompareMode mode,
            PathFilter filter, boolean wantTimes) {
        this.source = new Side("source", source, sourceRoot);
        this.destination = new Side("destination", destination, destinationRoot);
        this.asked = mode;
        this.filter = filter;
        this.wantTimes = wantTimes || mode == CompareMode.TIME;
    }

    /**
     * Compares the tree at {@code sourceRoot} with the one at {@code destinationRoot}.
     *
     * @param wantTimes also find out which side is newer when the mode does not compare times
     *                  (for a mirror's {@code --only-newer})
     * @throws TransferException the source root cannot be listed, or a connection failed
     */
    public static Comparison compare(Place source, String sourceRoot, Place destination, String destinationRoot,
            CompareMode mode, PathFilter filter, boolean wantTimes) throws TransferException {
        return new TreeCompare(source, sourceRoot, destination, destinationRoot, mode, filter, wantTimes).run();
    }

    /** One tree: a place and its root; how its times are to be read. */
    private final class Side {
        final String label;
        final Place place;
        final String root;
        final boolean listTimes;
        boolean warnedDayPrecision;

        Side(String label, Place place, String root) {
            this.label = label;
            this.place = place;
            this.root = root;
            this.listTimes = place.session() != null && !place.session().offersMlsd();
        }

        String path(String rel) {
            if (rel.isEmpty()) {
                return root;
            }
            char sep = place.session() == null ? java.io.File.separatorChar : '/';
            String r = place.session() == null ? rel.replace('/', sep) : rel;
            return root.endsWith(String.valueOf(sep)) ? root + r : root + sep + r;
        }

        private Boolean canSetTimes;

        /** Whether a copy can be given its source's time here (else it is noted once). */
        boolean canSetTimes() {
            if (canSetTimes == null) {
                canSetTimes = place.canSetModified();
                if (!canSetTimes) {
                    notes.add(place.name() + " cannot set file times (no MFMT): a file of the same size that is newer "
                            + "there than at the source counts as the same");
                }
            }
            return canSetTimes;
        }

        /** The entry's time and how precisely it is known. */
        Instant time(String rel, RemoteEntry e, Duration[] precision) throws TransferException {
            precision[0] = SECOND;
            if (!listTimes) {
                return e.modified();
            }
            Instant t = place.modified(path(rel));
            if (t != null) {
                return t;
            }
            if (!warnedDayPrecision) {
                warnedDayPrecision = true;
                notes.add(place.name() + " answers no MDTM: its times (from LIST, in the server's own zone) "
                        + "are compared to within a day");
            }
            precision[0] = LIST_PRECISION;
            return e.modified();
        }
    }

    private record Folder(String rel, boolean inSource, boolean inDestination, int depth) { }

    private Comparison run() throws TransferException {
        if (asked == CompareMode.HASH) {
            if (source.place.session() != null && destination.place.session() != null) {
                hash = ContentCheck.commonServerHash(source.place.session(), destination.place.session());
            }
            if (hash == null) {
                notes.add(source.place.name() + " and " + destination.place.name() + " share no hash command (HASH, "
                        + "XSHA256, XSHA512, XSHA1, XMD5, XCRC): compared by size and time instead");
                wantTimes = true;
            }
        }
        Deque<Folder> todo = new ArrayDeque<>();
        todo.add(new Folder("", true, true, 0));
        while (!todo.isEmpty()) {
            Folder f = todo.pollFirst();
            compareFolder(f, todo);
        }
        out.sort(Comparator.comparing(Difference::path));
        onlyExcludedInside();
        CompareMode used = asked == CompareMode.HASH && hash == null ? CompareMode.TIME : asked;
        return new Comparison(List.copyOf(out), used, hash, List.copyOf(notes), sourceComplete, sourceRootEntries,
                destinationRootExists, Set.copyOf(kept));
    }

    private void compareFolder(Folder f, Deque<Folder> todo) throws TransferException {
        Map<String, RemoteEntry> src = Map.of();
        Map<String, RemoteEntry> dst = Map.of();
        if (f.inSource) {
            try {
                src = byName(source.place.list(source.path(f.rel)));
            } catch (TransferException e) {
                if (f.rel.isEmpty() || e.reason() == TransferException.Reason.CONNECTION) {
                    throw e;
                }
                sourceComplete = false;
                keep(f.rel);
                unlisted(f.rel);
                out.add(problem(f.rel, true, "cannot list the source folder: " + e.getMessage()
                        + "; nothing in it is compared, copied or deleted"));
                return;
            }
            if (f.rel.isEmpty()) {
                sourceRootEntries = src.size();
            }
        }
        if (f.inDestination) {
            try {
                dst = byName(destination.place.list(destination.path(f.rel)));
            } catch (TransferException e) {
                if (e.reason() == TransferException.Reason.CONNECTION) {
                    throw e;
                }
                if (f.rel.isEmpty()) {
                    destinationRootExists = false; // a mirror creates it
                } else {
                    keep(f.rel);
                    unlisted(f.rel);
                    out.add(problem(f.rel, true, "cannot list the destination folder: " + e.getMessage()
                            + "; nothing in it is compared, copied or deleted"));
                    return;
                }
            }
        }
        Set<String> clashes = new HashSet<>();
        caseClashes(src, "source", f.rel, clashes);
        caseClashes(dst, "destination", f.rel, clashes);
        // A name one side has and the other has only in another case: two files to us, one to a
        // case-insensitive server; neither is copied nor deleted.
        Map<String, String> dstLower = new HashMap<>();
        for (String n : dst.keySet()) {
            dstLower.put(n.toLowerCase(Locale.ROOT), n);
        }
        for (String n : src.keySet()) {
            String other = dstLower.get(n.toLowerCase(Locale.ROOT));
            if (other != null && !other.equals(n) && !src.containsKey(other) && !dst.containsKey(n)
                    && !clashes.contains(n)) {
                clashes.add(n);
                clashes.add(other);
                keep(f.rel);
                out.add(problem(join(f.rel, n), false, "the source has " + n + ", the destination " + other
                        + ": names that differ only in case (one file on a case-insensitive server); left alone"));
            }
        }
        TreeSet<String> names = new TreeSet<>(src.keySet());
        names.addAll(dst.keySet());
        for (String name : names) {
            if (clashes.contains(name)) {
                continue;
            }
            String rel = join(f.rel, name);
            RemoteEntry s = src.get(name);
            RemoteEntry d = dst.get(name);
            boolean folder = (s == null || s.isDirectory()) && (d == null || d.isDirectory());
            if (!filter.accepts(rel, folder)) {
                if (d != null) {
                    keep(f.rel); // excluded: the destination's copy stays
                }
                for (String r = f.rel; holdingExcluded.add(r) && !r.isEmpty(); r = parent(r)) {
                    // up to the root
                }
                continue;
            }
            RemoteEntry special = s != null && !s.isFile() && !s.isDirectory() ? s
                    : d != null && !d.isFile() && !d.isDirectory() ? d : null;
            if (special != null) {
                if (d != null) {
                    keep(f.rel);
                }
                String where = special == s ? "at the source" : "at the destination";
                out.add(new Difference(rel, Difference.Kind.SKIPPED, false, size(s), size(d), null, null, 0,
                        special.isLink() ? "symbolic link " + where + (special.linkTarget() == null ? ""
                                : " to " + special.linkTarget()) + ": not followed"
                                : "not a file or folder " + where));
                continue;
            }
            if (s != null && d != null && s.isDirectory() != d.isDirectory()) {
                keep(f.rel);
                out.add(problem(rel, false, (s.isDirectory() ? "a folder at the source, a file at the destination"
                        : "a file at the source, a folder at the destination") + "; left alone"));
                continue;
            }
            if (folder) {
                if (f.depth + 1 > MAX_DEPTH) {
                    keep(f.rel);
                    out.add(problem(rel, true, "more than " + MAX_DEPTH + " folders deep (a loop of links?): "
                            + "not entered"));
                    if (s != null) {
                        sourceComplete = false;
                    }
                    continue;
                }
                if (s == null || d == null) {
                    out.add(new Difference(rel, s == null ? Difference.Kind.ONLY_DESTINATION
                            : Difference.Kind.ONLY_SOURCE, true, -1, -1, null, null, 0, ""));
                }
                todo.add(new Folder(rel, s != null, d != null, f.depth + 1));
                continue;
            }
            if (d == null) {
                out.add(new Difference(rel, Difference.Kind.ONLY_SOURCE, false, s.size(), -1, s.modified(), null, 0,
                        ""));
            } else if (s == null) {
                out.add(new Difference(rel, Difference.Kind.ONLY_DESTINATION, false, -1, d.size(), null,
                        d.modified(), 0, ""));
            } else {
                out.add(compareFiles(rel, s, d));
            }
        }
    }

    private Difference compareFiles(String rel, RemoteEntry s, RemoteEntry d) throws TransferException {
        Instant st = null;
        Instant dt = null;
        int order = 0;
        if (wantTimes) {
            Duration[] sp = new Duration[1];
            Duration[] dp = new Duration[1];
            st = source.time(rel, s, sp);
            dt = destination.time(rel, d, dp);
            if (st != null && dt != null) {
                Duration tolerance = sp[0].compareTo(dp[0]) >= 0 ? sp[0] : dp[0];
                Duration gap = Duration.between(dt, st);
                order = gap.compareTo(tolerance) > 0 ? 1 : gap.negated().compareTo(tolerance) > 0 ? -1 : 0;
            }
        }
        boolean sizes = s.size() >= 0 && d.size() >= 0 && s.size() != d.size();
        Difference.Kind kind;
        String detail = "";
        CompareMode mode = asked == CompareMode.HASH && hash == null ? CompareMode.TIME : asked;
        switch (mode) {
            case SIZE -> kind = sizes ? Difference.Kind.SIZE : Difference.Kind.SAME;
            case TIME -> {
                if (order < 0 && !sizes && !destination.canSetTimes()) {
                    // lftp's rule: a destination that cannot take the source's time makes every copy
                    // newer than its source; the same size and not older is the same.
                    kind = Difference.Kind.SAME;
                } else {
                    kind = order > 0 ? Difference.Kind.NEWER : order < 0 ? Difference.Kind.OLDER
                            : sizes ? Difference.Kind.SIZE : Difference.Kind.SAME;
                }
            }
            default -> {
                if (sizes) {
                    kind = Difference.Kind.SIZE;
                } else {
                    try {
                        String a = ContentCheck.serverHash(source.place.session(), hash, source.path(rel));
                        String b = ContentCheck.serverHash(destination.place.session(), hash, destination.path(rel));
                        kind = a.equals(b) ? Difference.Kind.SAME : Difference.Kind.CONTENT;
                        detail = hash + ": source " + a + ", destination " + b;
                    } catch (FtpException e) {
                        if (e.reply() == null) {
                            throw new TransferException(TransferException.Reason.CONNECTION, e.site(),
                                    e.getMessage(), e);
                        }
                        kind = Difference.Kind.PROBLEM;
                        detail = "cannot compare the content: " + e.getMessage();
                        keep(parent(rel));
                    }
                }
            }
        }
        return new Difference(rel, kind, false, s.size(), d.size(), st, dt, order, detail);
    }

    private void caseClashes(Map<String, RemoteEntry> side, String label, String rel, Set<String> clashes) {
        Map<String, Set<String>> groups = new TreeMap<>();
        for (String n : side.keySet()) {
            groups.computeIfAbsent(n.toLowerCase(Locale.ROOT), k -> new LinkedHashSet<>()).add(n);
        }
        for (Set<String> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            keep(rel);
            for (String n : g) {
                if (clashes.add(n)) {
                    out.add(problem(join(rel, n), false, "the " + label + " has names that differ only in case ("
                            + String.join(", ", g) + "): one file on a case-insensitive server; left alone"));
                }
            }
        }
    }

    private static Map<String, RemoteEntry> byName(List<RemoteEntry> entries) {
        Map<String, RemoteEntry> m = new HashMap<>();
        for (RemoteEntry e : entries) {
            String n = e.name();
            if (n.isEmpty() || n.equals(".") || n.equals("..") || n.contains("/") || n.endsWith(Place.PART)) {
                continue; // not a name here, or our own unfinished copy
            }
            m.put(n, e);
        }
        return m;
    }

    /**
     * A folder only one side has, holding nothing but excluded entries (and such folders), is no
     * difference: the filter leaves it as it is (a mirror neither creates nor removes it).
     */
    private void onlyExcludedInside() {
        for (int i = out.size() - 1; i >= 0; i--) { // deepest first: a folder's contents sort after it
            Difference d = out.get(i);
            if (!d.folder() || !holdingExcluded.contains(d.path()) || d.kind() != Difference.Kind.ONLY_SOURCE
                    && d.kind() != Difference.Kind.ONLY_DESTINATION) {
                continue;
            }
            String prefix = d.path() + "/";
            boolean more = false;
            for (int j = i + 1; j < out.size(); j++) {
                String p = out.get(j).path();
                if (p.compareTo(prefix) < 0) {
                    continue; // a sibling such as "name-2" sorts between "name" and "name/"
                }
                if (!p.startsWith(prefix)) {
                    break;
                }
                if (out.get(j).kind().differs()) {
                    more = true;
                    break;
                }
            }
            if (!more) {
                out.set(i, new Difference(d.path(), Difference.Kind.SKIPPED, true, -1, -1, null, null, 0,
                        "only at the " + (d.kind() == Difference.Kind.ONLY_SOURCE ? "source" : "destination")
                        + ", holding only excluded files"));
            }
        }
    }

    /** A folder that could not be listed has one verdict, the problem (not also only-source, say). */
    private void unlisted(String rel) {
        out.removeIf(d -> d.folder() && d.path().equals(rel));
    }

    /** Marks a destination folder and every folder above it as holding something left alone. */
    private void keep(String rel) {
        for (String r = rel; ; r = parent(r)) {
            kept.add(r);
            if (r.isEmpty()) {
                return;
            }
        }
    }

    private static Difference problem(String rel, boolean folder, String reason) {
        return new Difference(rel, Difference.Kind.PROBLEM, folder, -1, -1, null, null, 0, reason);
    }

    private static long size(RemoteEntry e) {
        return e == null ? -1 : e.size();
    }

    static String join(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }

    static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}
