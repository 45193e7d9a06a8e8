package io.sitebridge.transfer.queue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the queue on disk in a state folder: a snapshot ({@code queue.snapshot}, replaced
 * atomically: written to a temporary file, forced to disk, renamed over the old one) and a
 * journal ({@code queue.journal}) that gets one line per change, appended before the change
 * takes effect on the servers. Rewriting the whole queue on every change would cost O(n) per
 * file and make thousands of small files slow; the journal is folded into a new snapshot once
 * it is long.
 *
 * <p>A {@code kill -9} loses nothing that matters: a line that must not be lost (an item added,
 * claimed, failed, cancelled, removed) is written to the operating system before the queue goes
 * on (it is not forced to the disk each time; a power cut may lose the last lines, never the
 * snapshot). A line whose loss the next run makes good by itself (a file done: it is found
 * complete at the destination) waits for the next write ({@link #putLater}), so that a folder of
 * small files costs a write per batch of files, not two per file. A line cut short by a crash
 * is ignored on load. Lines are whole item records, so replaying a journal over a newer snapshot
 * is harmless.
 *
 * <p>Format (text, UTF-8, one record a line, fields separated by tabs, {@code \t \n \r \\}
 * escaped): {@code I id=.. parent=.. kind=.. ...} an item as it is now; {@code R id=..} an item
 * removed. The snapshot starts with {@code sitebridge-queue 1}.
 */
final class QueueStore implements AutoCloseable {
    static final String HEADER = "sitebridge-queue 1";
    private final Path snapshot;
    private final Path journal;
    private final Path temp;
    private FileChannel out;
    private int journalLines;
    /** Lines for the journal's next write ({@link #putLater}). */
    private final StringBuilder later = new StringBuilder();
    private int laterLines;
    /** At most this many lines wait for a write. */
    static final int LATER_LINES = 64;

    QueueStore(Path folder) throws IOException {
        Files.createDirectories(folder);
        this.snapshot = folder.resolve("queue.snapshot");
        this.journal = folder.resolve("queue.journal");
        this.temp = folder.resolve("queue.snapshot.tmp");
    }

    /** Reads snapshot and journal; items in the order they were first added. */
    Map<Long, QueueItem> load() throws IOException {
        Map<Long, QueueItem> items = new LinkedHashMap<>();
        if (Files.exists(snapshot)) {
            read(snapshot, items, true);
        }
        if (Files.exists(journal)) {
            journalLines = read(journal, items, false);
        }
        return items;
    }

    private static int read(Path file, Map<Long, QueueItem> items, boolean header) throws IOException {
        int lines = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (first && header) {
                    first = false;
                    if (!line.equals(HEADER)) {
                        throw new IOException(file + " is not a Sitebridge queue (" + line + ")");
                    }
                    continue;
                }
                lines++;
                try {
                    apply(line, items);
                } catch (RuntimeException e) {
                    // a line cut short by a crash: the change it describes never reached a server
                }
            }
        }
        return lines;
    }

    private static void apply(String line, Map<Long, QueueItem> items) {
        if (line.isEmpty()) {
            return;
        }
        String[] f = line.split("\t", -1);
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            v.put(f[i].substring(0, eq), unescape(f[i].substring(eq + 1)));
        }
        if (!"1".equals(v.get("end"))) {
            throw new IllegalArgumentException("incomplete line");
        }
        long id = Long.parseLong(v.get("id"));
        if (f[0].equals("R")) {
            items.remove(id);
            return;
        }
        QueueItem item = QueueItem.restore(v);
        items.put(id, item);
    }

    static String format(QueueItem i) {
        StringBuilder sb = new StringBuilder(256);
        format(i, sb);
        return sb.toString();
    }

    /** Appends the item's line to {@code sb}. */
    static void format(QueueItem i, StringBuilder sb) {
        sb.append('I');
        i.visit(new LineWriter(sb));
        sb.append("\tend=1\n");
    }

    /** Writes fields straight into a line: numbers and words as they are, text escaped. */
    private record LineWriter(StringBuilder sb) implements QueueItem.FieldVisitor {
        @Override
        public void text(String key, String value) {
            sb.append('\t').append(key).append('=');
            escape(value, sb);
        }

        @Override
        public void plain(String key, long value) {
            sb.append('\t').append(key).append('=').append(value);
        }

        @Override
        public void word(String key, String value) {
            sb.append('\t').append(key).append('=').append(value);
        }
    }

    /** Lines are written in pieces of about this many characters: a 100,000-item queue is never one string. */
    private static final int CHUNK_CHARS = 64 * 1024;

    /** Writes the items' lines to the channel, a chunk at a time; returns how many. */
    private static int write(FileChannel c, Iterable<QueueItem> items, CharSequence first) throws IOException {
        StringBuilder sb = new StringBuilder(CHUNK_CHARS + 1024);
        if (first != null) {
            sb.append(first);
        }
        int n = 0;
        for (QueueItem i : items) {
            format(i, sb);
            n++;
            if (sb.length() >= CHUNK_CHARS) {
                writeFully(c, sb);
                sb.setLength(0);
            }
        }
        writeFully(c, sb);
        return n;
    }

    private static void writeFully(FileChannel c, CharSequence text) throws IOException {
        if (text.length() == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static boolean needsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /** Appends {@code s} with {@code \t \n \r \\} escaped. */
    private static void escape(String s, StringBuilder sb) {
        if (!needsEscape(s)) {
            sb.append(s);
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Records the item as it is now. */
    void put(QueueItem item) {
        append(format(item));
    }

    /**
     * Records the item as it is now with the journal's next write, not at once: for a change that a
     * crash may lose because the next run finds it out anyway (a file found complete at the
     * destination is done again). Such lines go out with the next line that must be written at once,
     * in order before it, when {@link #LATER_LINES} wait, or at {@link #writeLater()}.
     */
    void putLater(QueueItem item) {
        format(item, later);
        laterLines++;
        if (laterLines >= LATER_LINES) {
            writeLater();
        }
    }

    /** Writes the lines {@link #putLater} keeps (the queue goes idle, or closes). */
    void writeLater() {
        if (laterLines > 0) {
            append("", 0);
        }
    }

    /** Records several items with one write (after the lines kept for later). */
    void putAll(java.util.List<QueueItem> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            journalLines += write(journal(), batch, takeLater());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the transfer queue in " + journal, e);
        }
    }

    private FileChannel journal() throws IOException {
        if (out == null) {
            out = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        return out;
    }

    void remove(long id) {
        append("R\tid=" + id + "\tend=1\n");
    }

    /** Records the removal of several items, in pieces of about {@link #CHUNK_CHARS}. */
    void removeAll(java.util.List<Long> ids) {
        StringBuilder sb = new StringBuilder(takeLater());
        try {
            for (long id : ids) {
                sb.append("R\tid=").append(id).append("\tend=1\n");
                if (sb.length() >= CHUNK_CHARS) {
                    writeFully(journal(), sb);
                    sb.setLength(0);
                }
            }
            writeFully(journal(), sb);
            journalLines += ids.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the transfer queue in " + journal, e);
        }
    }

    private void append(String line) {
        append(line, 1);
    }

    private void append(String line, int lines) {
        try {
            String first = takeLater();
            writeFully(journal(), first.isEmpty() ? line : first + line);
            journalLines += lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the transfer queue in " + journal, e);
        }
    }

    /**
     * Whether the journal is long enough to fold into a new snapshot. A file's life takes three
     * lines (queued, claimed, ended), a folder's four: at four a line per item, a folder copy does not
     * write the whole queue again while it runs, only when it is closed; the journal stays in
     * proportion to the queue.
     */
    boolean wantsCompaction(int itemCount) {
        return journalLines > Math.max(4096, 4L * itemCount);
    }

    /** The lines kept for later, to go out first in a write that counts them; "" when none. */
    private String takeLater() {
        if (laterLines == 0) {
            return "";
        }
        String s = later.toString();
        journalLines += laterLines;
        later.setLength(0);
        laterLines = 0;
        return s;
    }

    /** Writes all items as the new snapshot (atomically) and empties the journal. */
    void compact(Iterable<QueueItem> items) {
        later.setLength(0); // the snapshot has what they say
        laterLines = 0;
        try {
            try (FileChannel c = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                write(c, items, HEADER + "\n");
                c.force(true);
            }
            try {
                Files.move(temp, snapshot, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, snapshot, StandardCopyOption.REPLACE_EXISTING);
            }
            // A crash here replays the old journal over the new snapshot: whole records, harmless.
            if (out != null) {
                out.close();
                out = null;
            }
            Files.deleteIfExists(journal);
            journalLines = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the transfer queue in " + snapshot, e);
        }
    }

    @Override
    public void close() {
        try {
            writeLater();
        } catch (UncheckedIOException e) {
            // as below: closing anyway
        }
        try {
            if (out != null) {
                out.force(true);
                out.close();
                out = null;
            }
        } catch (IOException e) {
            // the journal was written; forcing is a courtesy
        }
    }
}
