package io.sitebridge.transfer.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;
import io.sitebridge.transfer.TransferException;

/**
 * One side of a copy: an FTP site through a logged-in session, or this computer's file system.
 * The {@link FileTransfer} pipeline asks both sides the same questions (how large, how old,
 * read from an offset, write or append, rename, delete, list a folder) so that FXP, relay,
 * upload and download share one set of rules. Failures come as {@link TransferException}s whose
 * reason says whether another attempt may help.
 */
public sealed interface Place permits RemotePlace, LocalPlace {

    /** Suffix of the temporary sibling a replacing copy is written to before it is renamed over the old file. */
    String PART = ".sitebridge-part";

    /** What the user calls this side in messages: the site's name, or "local files". */
    String name();

    /** The session behind a remote side (it changes when the side reconnects); null for the local side. */
    FtpSession session();

    /** Refuses, before anything is sent, a path that cannot be a name here (CR/LF on FTP). */
    void checkName(String path) throws TransferException;

    /** The size of a file, or -1 when there is no file at {@code path}. */
    long size(String path) throws TransferException;

    /** When the file was last changed (UTC), or null when this side cannot say. */
    Instant modified(String path) throws TransferException;

    /**
     * Whether this side can set a file's modification time (a local file system; a server with MFMT,
     * or vsftpd's two-argument MDTM): where it cannot, a copy is always newer than its source.
     */
    boolean canSetModified();

    /**
     * Sets a file's modification time (to the second); false when this side cannot or refused
     * (the copy stands; only its time is not the source's).
     */
    boolean setModified(String path, Instant time) throws TransferException;

    /** Whether a read can start at an offset (REST) on this side. */
    boolean canResume();

    /** The file's data from {@code offset} on; after closing it, call {@link #finish()}. */
    InputStream read(String path, long offset) throws TransferException;

    /** A stream that writes the file ({@code append}: adds to its end); after closing it, call {@link #finish()}. */
    OutputStream write(String path, boolean append) throws TransferException;

    /** Ends the read or write started last (the server's final reply); throws unless it succeeded. */
    void finish() throws TransferException;

    /** After a read or write that failed half-way: this side's connection is not trusted again. */
    void abandon();

    /**
     * After a read or write that was stopped on purpose (its stream closed): reads the final reply,
     * whatever it says, so the session stays in step (within {@code drain}); abandons the session
     * when none comes.
     */
    void settle(java.time.Duration drain);

    /** Renames {@code from} to {@code to}, replacing a file there. */
    void rename(String from, String to) throws TransferException;

    void delete(String path) throws TransferException;

    /** The SHA-256 of a file, read through this client (lower-case hex). */
    String sha256(String path) throws TransferException;

    /** What a folder holds. */
    List<RemoteEntry> list(String path) throws TransferException;

    /** Creates a folder if it is missing; returns what it holds already, by name (empty when it was created). */
    Map<String, RemoteEntry> ensureFolder(String path) throws TransferException;

    /**
     * Asks for {@code path} to be created ahead of {@link #ensureFolder} (a site that takes
     * pipelined commands gets its MKD now; the later {@code ensureFolder} of the same path, called
     * in the same order, reads the answer). Returns false when nothing was sent: the caller stops
     * asking ahead for now. Lets a folder level's MKDs go out in one burst.
     */
    default boolean createAhead(String path) throws TransferException {
        return false;
    }

    /** The temporary sibling of {@code path} a replacing copy is written to. */
    default String temporarySibling(String path) {
        return path + PART;
    }

    /** {@code name (1).ext}, {@code name (2).ext}, ...: the first that does not exist beside {@code path}. */
    default String freeName(String path) throws TransferException {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf(java.io.File.separatorChar));
        String dir = path.substring(0, slash + 1);
        String name = path.substring(slash + 1);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; n < 10_000; n++) {
            String candidate = dir + base + " (" + n + ")" + ext;
            if (size(candidate) < 0 && size(temporarySibling(candidate)) < 0) {
                return candidate;
            }
        }
        throw new TransferException(TransferException.Reason.SERVER_REFUSED, name(), "no free name for " + path);
    }
}
