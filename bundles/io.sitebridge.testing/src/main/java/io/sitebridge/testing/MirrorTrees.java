package io.sitebridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Two trees that differ in known ways, for tests of comparing and mirroring. With {@code *.log}
 * excluded, the differences are (source vs destination):
 * <pre>
 * same/a.txt, same/b.bin   same bytes, same time                          same
 * changed.txt             same size, other bytes, source 2 h newer       newer (hash: content)
 * stale.txt               same bytes, destination 2 h newer              older (hash: same)
 * grown.txt               2000 vs 1500 bytes, same time                  size
 * twin.bin                same size and time, other bytes (with twin)    same (hash: content)
 * only-src.txt            source only                                    only-source
 * new/ new/deep/ new/deep/n.txt   source only                            only-source
 * extra.txt               destination only                               only-destination
 * old/ old/o.txt          destination only                               only-destination
 * notes.log               both, other bytes                              excluded
 * keep.log, old/keep.log  destination only                               excluded (never deleted)
 * </pre>
 */
public final class MirrorTrees {
    /** The time every planted file has unless said otherwise (whole seconds, UTC). */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private MirrorTrees() {
    }

    /** Plants both trees (folders created); {@code twin}: also the same-size-same-time twin.bin. */
    public static void plant(Path src, Path dst, boolean twin) throws IOException {
        Random r = new Random(12);
        Trees.mkdir(src);
        Trees.mkdir(dst);
        byte[] a = bytes(r, 1000);
        byte[] b = bytes(r, 4096);
        file(src.resolve("same/a.txt"), a, T0);
        file(dst.resolve("same/a.txt"), a, T0);
        file(src.resolve("same/b.bin"), b, T0);
        file(dst.resolve("same/b.bin"), b, T0);
        file(src.resolve("changed.txt"), bytes(r, 700), T0.plusSeconds(7200));
        file(dst.resolve("changed.txt"), bytes(r, 700), T0);
        byte[] s = bytes(r, 900);
        file(src.resolve("stale.txt"), s, T0);
        file(dst.resolve("stale.txt"), s, T0.plusSeconds(7200));
        file(src.resolve("grown.txt"), bytes(r, 2000), T0);
        file(dst.resolve("grown.txt"), bytes(r, 1500), T0);
        if (twin) {
            file(src.resolve("twin.bin"), bytes(r, 3000), T0);
            file(dst.resolve("twin.bin"), bytes(r, 3000), T0);
        }
        file(src.resolve("only-src.txt"), bytes(r, 300), T0);
        file(src.resolve("new/deep/n.txt"), bytes(r, 500), T0);
        file(dst.resolve("extra.txt"), bytes(r, 200), T0);
        file(dst.resolve("old/o.txt"), bytes(r, 100), T0);
        file(src.resolve("notes.log"), bytes(r, 50), T0);
        file(dst.resolve("notes.log"), bytes(r, 60), T0);
        file(dst.resolve("keep.log"), bytes(r, 70), T0);
        file(dst.resolve("old/keep.log"), bytes(r, 80), T0);
    }

    /** The verdict per path that comparing by time (with *.log excluded) must give, the same ones left out. */
    public static Map<String, String> expectedByTime() {
        Map<String, String> m = new TreeMap<>();
        m.put("changed.txt", "newer");
        m.put("stale.txt", "older");
        m.put("grown.txt", "size");
        m.put("only-src.txt", "only-source");
        m.put("new", "only-source");
        m.put("new/deep", "only-source");
        m.put("new/deep/n.txt", "only-source");
        m.put("extra.txt", "only-destination");
        m.put("old", "only-destination");
        m.put("old/o.txt", "only-destination");
        return m;
    }

    /** As {@link #expectedByTime()} for a comparison by server-side hash of a tree planted with the twin. */
    public static Map<String, String> expectedByHash() {
        Map<String, String> m = expectedByTime();
        m.put("changed.txt", "content");
        m.remove("stale.txt");
        m.put("twin.bin", "content");
        return m;
    }

    /** The files a mirror with {@code --delete --exclude '*.log'} leaves untouched at the destination. */
    public static List<String> excludedAtDestination() {
        return List.of("notes.log", "keep.log", "old/keep.log");
    }

    private static void file(Path p, byte[] data, Instant time) throws IOException {
        java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
        for (Path d = p.getParent(); d != null && !Files.isDirectory(d); d = d.getParent()) {
            missing.push(d);
        }
        for (Path d : missing) {
            Trees.mkdir(d); // each level writable for the FTP user, top down
        }
        Trees.write(p, data);
        Files.setLastModifiedTime(p, FileTime.from(time));
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
