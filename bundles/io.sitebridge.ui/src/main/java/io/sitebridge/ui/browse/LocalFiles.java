package io.sitebridge.ui.browse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.RemoteEntry;

/** The local file system as a pane shows it, with the same entries as a remote listing. */
public final class LocalFiles implements PaneFiles {

    private final String site;
    private final String home;

    /** The local file system, starting in the user's home folder. */
    public LocalFiles() {
        this(Endpoint.LOCAL, System.getProperty("user.home", "/"));
    }

    /** Local files under another pseudo site name (the IDE's {@link Endpoint#WORKSPACE}) and home folder. */
    public LocalFiles(String site, String home) {
        this.site = site;
        this.home = home;
    }

    @Override
    public String site() {
        return site;
    }

    @Override
    public String home() {
        return home;
    }

    @Override
    public List<RemoteEntry> list(String path) throws IOException {
        List<RemoteEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(path))) {
            for (Path p : dir) {
                entries.add(entryOf(p));
            }
        }
        return entries;
    }

    public static RemoteEntry entryOf(Path p) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String perms = "";
        String owner = "";
        String group = "";
        try {
            PosixFileAttributes posix = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            perms = PosixFilePermissions.toString(posix.permissions());
            owner = posix.owner().getName();
            group = posix.group().getName();
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: no permissions to show
        }
        EntryType type = basic.isSymbolicLink() ? (Files.isDirectory(p) ? EntryType.DIRECTORY : EntryType.LINK)
                : basic.isDirectory() ? EntryType.DIRECTORY : basic.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
        long size = type == EntryType.DIRECTORY ? -1 : basic.size();
        return new RemoteEntry(p.getFileName().toString(), type, size, basic.lastModifiedTime().toInstant(), perms,
                owner, group, basic.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : null);
    }

    @Override
    public void mkdir(String path) throws IOException {
        Files.createDirectory(Path.of(path));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(Path.of(from), Path.of(to));
    }

    @Override
    public void delete(String path, boolean folder) throws IOException {
        Path root = Path.of(path);
        if (!folder) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {
        // nothing to release
    }
}
