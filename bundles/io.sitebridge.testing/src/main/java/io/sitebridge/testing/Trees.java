package io.sitebridge.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Test trees of files on the servers' local folders, and comparing them. */
public final class Trees {
    private Trees() {
    }

    /**
     * {@code folders} top folders, each with {@code subfolders} subfolders holding
     * {@code files} files of 1..8 KiB; plus an empty folder. Returns the number of files.
     */
    public static int smallTree(Path root, int folders, int subfolders, int files, long seed) throws IOException {
        Random r = new Random(seed);
        int n = 0;
        mkdir(root);
        for (int a = 0; a < folders; a++) {
            Path fa = mkdir(root.resolve("dir" + a));
            for (int b = 0; b < subfolders; b++) {
                Path fb = mkdir(fa.resolve("sub" + b));
                for (int c = 0; c < files; c++) {
                    byte[] data = new byte[1024 + r.nextInt(7 * 1024)];
                    r.nextBytes(data);
                    write(fb.resolve("file-" + c + ".bin"), data);
                    n++;
                }
            }
        }
        mkdir(root.resolve("empty").resolve("inner-empty"));
        return n;
    }

    /** A file of {@code size} random bytes, written in chunks (constant memory). */
    public static void bigFile(Path file, long size, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0;) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    public static Path mkdir(Path p) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
        return p;
    }

    public static void write(Path p, byte[] data) throws IOException {
        Files.write(p, data);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    /** Relative paths of all files and folders under {@code root}, sorted. */
    public static List<String> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()
                    + (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "/" : "")).sorted().toList();
        }
    }

    /** Same folders, same files, same bytes (symbolic links under {@code expected} are not expected). */
    public static void assertSameTree(Path expected, Path actual) throws IOException {
        List<String> want = new ArrayList<>();
        for (String p : listing(expected)) {
            if (!Files.isSymbolicLink(expected.resolve(p))) {
                want.add(p);
            }
        }
        assertEquals(want, listing(actual), "tree of " + actual);
        for (String p : want) {
            Path e = expected.resolve(p);
            if (Files.isRegularFile(e)) {
                assertSameFile(e, actual.resolve(p));
            }
        }
    }

    public static void assertSameFile(Path expected, Path actual) throws IOException {
        assertEquals(Files.size(expected), Files.size(actual), "size of " + actual);
        if (Files.size(expected) < (1 << 20)) {
            assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual.toString());
            return;
        }
        try (InputStream a = Files.newInputStream(expected); InputStream b = Files.newInputStream(actual)) {
            byte[] x = new byte[1 << 20];
            byte[] y = new byte[1 << 20];
            long pos = 0;
            while (true) {
                int n = a.readNBytes(x, 0, x.length);
                int m = b.readNBytes(y, 0, y.length);
                assertEquals(n, m, "length at " + pos + " of " + actual);
                if (n == 0) {
                    return;
                }
                assertTrue(java.util.Arrays.equals(x, 0, n, y, 0, n), "bytes differ after " + pos + " in " + actual);
                pos += n;
            }
        }
    }

    /** A folder on tmpfs when there is one (the servers' data, fast), else in the system temp. */
    public static Path scratch(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path p = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix)
                : Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    public static void deleteAll(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
