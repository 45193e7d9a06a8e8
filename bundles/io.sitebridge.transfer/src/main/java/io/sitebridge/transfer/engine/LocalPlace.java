package io.sitebridge.transfer.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sitebridge.core.session.EntryType;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.TransferException;
import io.sitebridge.transfer.verify.ContentCheck;

/** This computer's file system as one side of a copy (uploads and downloads); paths are absolute. */
public final class LocalPlace implements Place {
    public static final LocalPlace INSTANCE = new LocalPlace();

    private LocalPlace() {
    }

    @Override
    public String name() { return "local files"; }

    @Override
    public FtpSession session() { return null; }

    @Override
    public void checkName(String path) throws TransferException {
        if (path.indexOf('\0') >= 0) {
            throw new TransferException(TransferException.Reason.INVALID_NAME, name(), "not a local file name: "
                    + path.replace('\0', '?'));
        }
    }

    @Override
    public long size(String path) throws TransferException {
        Path p = Path.of(path);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new TransferException(TransferException.Reason.SERVER_REFUSED, name(), path
                        + " exists and is not a file");
            }
            return a.size();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public Instant modified(String path) throws TransferException {
        try {
            return Files.getLastModifiedTime(Path.of(path)).toInstant();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean canSetModified() {
        return true;
    }

    @Override
    public boolean setModified(String path, Instant time) throws TransferException {
        try {
            Files.setLastModifiedTime(Path.of(path), java.nio.file.attribute.FileTime.from(time));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean canResume() {
        return true;
    }

    @Override
    public InputStream read(String path, long offset) throws TransferException {
        try {
            InputStream in = Files.newInputStream(Path.of(path));
            in.skipNBytes(offset);
            return in;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public OutputStream write(String path, boolean append) throws TransferException {
        try {
            Path p = Path.of(path);
            Files.createDirectories(p.toAbsolutePath().getParent());
            return Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void finish() {
        // closing the stream finished it
    }

    @Override
    public void settle(java.time.Duration drain) {
        // nothing to read
    }

    @Override
    public void abandon() {
        // nothing to give up
    }

    @Override
    public void rename(String from, String to) throws TransferException {
        try {
            try {
                Files.move(Path.of(from), Path.of(to), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(Path.of(from), Path.of(to), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public void delete(String path) throws TransferException {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public String sha256(String path) throws TransferException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return ContentCheck.sha256(in);
        } catch (IOException e) {
            throw failure(e);
        }
    }

    @Override
    public List<RemoteEntry> list(String path) throws TransferException {
        List<RemoteEntry> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(path))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(PART)) {
                    continue; // our own unfinished copies
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                EntryType type = a.isSymbolicLink() ? EntryType.LINK : a.isDirectory() ? EntryType.DIRECTORY
                        : a.isRegularFile() ? EntryType.FILE : EntryType.OTHER;
                String target = a.isSymbolicLink() ? String.valueOf(Files.readSymbolicLink(p)) : null;
                out.add(new RemoteEntry(name, type, a.isRegularFile() ? a.size() : -1,
                        a.lastModifiedTime().toInstant(), "", "", "", target));
            }
        } catch (IOException e) {
            throw failure(e);
        }
        out.sort((x, y) -> x.name().compareTo(y.name()));
        return out;
    }

    @Override
    public Map<String, RemoteEntry> ensureFolder(String path) throws TransferException {
        try {
            Files.createDirectories(Path.of(path));
        } catch (IOException e) {
            throw failure(e);
        }
        Map<String, RemoteEntry> m = new HashMap<>();
        for (RemoteEntry e : list(path)) {
            m.put(e.name(), e);
        }
        return m;
    }

    /** Missing files and refused permissions will not go away by trying again; other errors might. */
    private TransferException failure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new TransferException(TransferException.Reason.SERVER_REFUSED, name(), "no such local file or folder: "
                    + e.getMessage(), e, 550);
        }
        if (e instanceof AccessDeniedException) {
            return new TransferException(TransferException.Reason.SERVER_REFUSED, name(), "no permission for local "
                    + e.getMessage(), e, 550);
        }
        return new TransferException(TransferException.Reason.CONNECTION, name(), "local file error: " + e, e);
    }
}
