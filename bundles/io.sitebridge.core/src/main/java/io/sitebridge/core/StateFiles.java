package io.sitebridge.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the small files of the user's state (saved sites, trusted certificates, remembered
 * strategies, the password key): never half-written. The content goes to a new temporary file
 * beside the target, is forced to the disk, and is then renamed over the target, so that a reader
 * (or a crash) sees the old file or the new one, never a mix. (The password key is linked into
 * place instead: a key made meanwhile by another process must never be replaced.)
 *
 * <p>Temporary names are {@code .NAME.PID-N.tmp}, made with {@code O_CREAT|O_EXCL} (a file or link
 * already there is never opened, never followed). Not {@link Files#createTempFile}: its random
 * names cost a {@link java.security.SecureRandom}, whose set-up takes a fresh JVM about 30 ms, and
 * the command line would pay that in the middle of its first transfer (where it learns a
 * strategy and saves it).
 */
public final class StateFiles {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();

    private StateFiles() {
    }

    /**
     * Writes {@code content} to a new file in {@code folder}, named after {@code target}, created with
     * {@code attributes} (owner-only permissions, say) from its first moment, and forces it to the
     * disk; returns its path. A file that could not be written whole is removed.
     */
    public static Path writeTemporary(Path folder, String target, byte[] content, FileAttribute<?>... attributes)
            throws IOException {
        while (true) {
            Path tmp = folder.resolve("." + target + "." + PID + "-" + COUNTER.incrementAndGet() + ".tmp");
            FileChannel ch;
            try {
                ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes);
            } catch (FileAlreadyExistsException e) {
                continue; // left by an earlier process of the same number: the next name
            }
            boolean written = false;
            try (ch) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
                written = true;
            } finally {
                if (!written) {
                    Files.deleteIfExists(tmp);
                }
            }
            return tmp;
        }
    }

    /**
     * Replaces {@code target} with {@code content}: written to a temporary file beside it
     * ({@link #writeTemporary}), then renamed over it (atomically where the file system can). The
     * temporary file never outlives the call.
     */
    public static void replace(Path target, byte[] content, FileAttribute<?>... attributes) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path tmp = writeTemporary(folder, target.getFileName().toString(), content, attributes);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
