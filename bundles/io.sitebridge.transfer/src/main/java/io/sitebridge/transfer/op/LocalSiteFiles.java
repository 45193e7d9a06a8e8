package io.sitebridge.transfer.op;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.RemoteEntry;

/** This computer's files, with the same entries as a site's listing. */
final class LocalSiteFiles implements SiteFiles {

    @Override
    public String home() {
        return System.getProperty("user.home", "/");
    }

    @Override
    public List<RemoteEntry> list(String folder) throws IOException {
        List<RemoteEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(folder))) {
            for (Path p : dir) {
                entries.add(entryOf(p));
            }
        } catch (FileSystemException e) {
            throw readable("cannot list", e);
        }
        return entries;
    }

    /** A symbolic link to a folder is shown as a folder, with its target (the delete never follows it). */
    static RemoteEntry entryOf(Path p) throws IOException {
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
    public boolean isFolder(String path) {
        return Files.isDirectory(Path.of(path));
    }

    @Override
    public void mkdir(String folder) throws IOException {
        try {
            Files.createDirectory(Path.of(folder));
        } catch (FileSystemException e) {
            throw readable("cannot create", e);
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        try {
            Files.move(Path.of(from), Path.of(to)); // never over an existing file
        } catch (FileSystemException e) {
            throw readable("cannot rename", e);
        }
    }

    @Override
    public void deleteFile(String path) throws IOException {
        try {
            Files.delete(Path.of(path)); // a link itself, not its target
        } catch (FileSystemException e) {
            throw readable("cannot delete", e);
        }
    }

    @Override
    public void removeFolder(String folder) throws IOException {
        try {
            Files.delete(Path.of(folder));
        } catch (FileSystemException e) {
            throw readable("cannot delete", e);
        }
    }

    /** "cannot delete /a/b: permission denied" instead of the bare path the JDK puts in the message. */
    private static IOException readable(String what, FileSystemException e) {
        String why = e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "it exists already"
                : e instanceof DirectoryNotEmptyException ? "the folder is not empty"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        String path = e.getFile() == null ? "" : " " + e.getFile();
        return new IOException("Local files: " + what + path + ": " + why, e);
    }

    @Override
    public void close() {
        // nothing borrowed
    }
}
