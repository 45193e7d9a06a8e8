package io.sitebridge.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Random;

/**
 * The demo default: two FTP servers on loopback, "Demo Left" with sample files
 * and folders and "Demo Right" with an empty inbox, each serving its own folder
 * under a temporary directory that is removed on {@link #close()}.
 */
public final class DemoEnvironment implements AutoCloseable {

    public static final String USER = "demo";

    private final Path root;
    private final DemoServer left;
    private final DemoServer right;

    private DemoEnvironment(Path root, DemoServer left, DemoServer right) {
        this.root = root;
        this.left = left;
        this.right = right;
    }

    /** Starts both servers with sample content in a fresh temporary directory. */
    public static DemoEnvironment start() throws IOException {
        Path root = Files.createTempDirectory("sitebridge-demo-");
        Path leftHome = root.resolve("left");
        Path rightHome = root.resolve("right");
        writeSamples(leftHome);
        Files.createDirectories(rightHome.resolve("incoming"));
        String password = randomPassword();
        DemoServer left = DemoServer.start("Demo Left", "127.0.0.1", USER, password, leftHome);
        DemoServer right;
        try {
            right = DemoServer.start("Demo Right", "127.0.0.1", USER, password, rightHome);
        } catch (IOException | RuntimeException e) {
            left.close();
            throw e;
        }
        return new DemoEnvironment(root, left, right);
    }

    public DemoServer left() {
        return left;
    }

    public DemoServer right() {
        return right;
    }

    public List<DemoServer> servers() {
        return List.of(left, right);
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        right.close();
        left.close();
        deleteTree(root);
    }

    static void writeSamples(Path home) throws IOException {
        Files.createDirectories(home);
        Files.writeString(home.resolve("README.txt"),
                "Welcome to the Sitebridge demo.\n"
                        + "Drag a file or folder to the other pane: the two demo servers\n"
                        + "move the data between themselves (FXP) while the console shows\n"
                        + "both control dialogues.\n",
                StandardCharsets.UTF_8);
        Random random = new Random(42);
        randomFile(home.resolve("sitebridge-demo.bin"), 4 << 20, random);
        Path photos = Files.createDirectories(home.resolve("photos"));
        for (int i = 1; i <= 6; i++) {
            randomFile(photos.resolve(String.format("holiday-%02d.jpg", i)), 150_000 + 37_000 * i, random);
        }
        Path summer = Files.createDirectories(photos.resolve("summer"));
        randomFile(summer.resolve("beach.jpg"), 210_000, random);
        randomFile(summer.resolve("sunset.jpg"), 180_000, random);
        Path releases = Files.createDirectories(home.resolve("releases"));
        randomFile(releases.resolve("app-1.0.tar.gz"), 1_200_000, random);
        randomFile(releases.resolve("app-1.1.tar.gz"), 1_350_000, random);
        Files.writeString(releases.resolve("CHANGES.md"), "# 1.1\n- faster\n# 1.0\n- first\n", StandardCharsets.UTF_8);
        Files.createDirectories(home.resolve("empty folder"));
    }

    private static void randomFile(Path file, int size, Random random) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            int left = size;
            while (left > 0) {
                random.nextBytes(buffer);
                int n = Math.min(left, buffer.length);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static String randomPassword() {
        Random random = new java.security.SecureRandom();
        StringBuilder sb = new StringBuilder();
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a temporary directory left behind loses no user data
        }
    }
}
