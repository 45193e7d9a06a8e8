import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The benchmark's protocol floor for workload 2 (issue 11): the least a client can do to copy a
 * folder of small files by FXP with the same commands Sitebridge sends and the same pipelining,
 * and nothing else — no queue, no journal, no retries, no per-file events, no output. Each pair
 * of sessions logs in (USER, PASS, TYPE I); the first source session logged in lists the folder
 * (PASV, LIST), the first destination session logged in makes it (MKD). Then, per file on a pair: PORT, STOR
 * and SIZE to the destination in one write, RETR and the next PASV to the source in one write;
 * then the replies in Sitebridge's order: the destination's 226 and 213 of the file before (its end,
 * read only now), the destination's 200 and 150, the source's 150, 226 and 227. Every reply is
 * checked (the SIZE against the listing's size); anything unexpected ends it with exit code 1.
 *
 * <p>{@code java Floor SRC_HOST SRC_PORT DST_HOST DST_PORT USER PASSWORD FOLDER PAIRS}; for the
 * benchmark's own servers and folder only (its LIST parsing knows vsftpd's format, names without
 * spaces).
 */
public final class Floor {
    private Floor() {
    }

    private static final class Session implements Closeable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Session(String host, int port) throws IOException {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            out = new BufferedOutputStream(socket.getOutputStream());
            expect(reply(), "220");
        }

        String reply() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new EOFException("the server closed the connection");
            }
            if (line.length() > 3 && line.charAt(3) == '-') {
                String end = line.substring(0, 3) + " ";
                do {
                    line = in.readLine();
                    if (line == null) {
                        throw new EOFException("the server closed the connection");
                    }
                } while (!line.startsWith(end));
            }
            return line;
        }

        void send(String... commands) throws IOException {
            for (String c : commands) {
                out.write((c + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        }

        String command(String c) throws IOException {
            send(c);
            return reply();
        }

        void login(String user, String password) throws IOException {
            expect(command("USER " + user), "331");
            expect(command("PASS " + password), "230");
            expect(command("TYPE I"), "200");
        }

        @Override
        public void close() throws IOException {
            try {
                command("QUIT");
            } finally {
                socket.close();
            }
        }
    }

    private record Entry(String name, long size) { }

    static String expect(String reply, String code) throws IOException {
        if (!reply.startsWith(code)) {
            throw new IOException("expected " + code + ", got: " + reply);
        }
        return reply;
    }

    /** "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)." -> "PORT h1,h2,h3,h4,p1,p2". */
    static String port(String reply227) {
        return "PORT " + reply227.substring(reply227.indexOf('(') + 1, reply227.indexOf(')'));
    }

    static List<Entry> list(Session s, String folder) throws IOException {
        String r = expect(s.command("PASV"), "227");
        String[] p = r.substring(r.indexOf('(') + 1, r.indexOf(')')).split(",");
        String host = p[0] + "." + p[1] + "." + p[2] + "." + p[3];
        int port = Integer.parseInt(p[4]) * 256 + Integer.parseInt(p[5]);
        List<Entry> entries = new ArrayList<>();
        try (Socket data = new Socket(host, port)) {
            s.send("LIST " + folder);
            BufferedReader lines = new BufferedReader(new InputStreamReader(data.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String[] f = line.trim().split("\\s+");
                if (line.startsWith("-") && f.length >= 9) {
                    entries.add(new Entry(f[f.length - 1], Long.parseLong(f[4])));
                }
            }
        }
        expect(s.reply(), "150");
        expect(s.reply(), "226");
        return entries;
    }

    public static void main(String[] args) throws Exception {
        String srcHost = args[0];
        int srcPort = Integer.parseInt(args[1]);
        String dstHost = args[2];
        int dstPort = Integer.parseInt(args[3]);
        String user = args[4];
        String password = args[5];
        String folder = "/" + args[6];
        int pairs = Integer.parseInt(args[7]);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch listed = new CountDownLatch(1);
        CountDownLatch made = new CountDownLatch(1);
        AtomicReference<List<Entry>> listing = new AtomicReference<>(List.of());
        ExecutorService pool = Executors.newFixedThreadPool(pairs);
        List<Future<Integer>> done = new ArrayList<>();
        AtomicBoolean lister = new AtomicBoolean();
        AtomicBoolean maker = new AtomicBoolean();
        for (int i = 0; i < pairs; i++) {
            done.add(pool.submit(() -> {
                int copied = 0;
                try (Session src = new Session(srcHost, srcPort); Session dst = new Session(dstHost, dstPort)) {
                    // The folder is listed by the first source session logged in, and made by the
                    // first destination session (as Sitebridge does: a slow login holds up only its pair).
                    src.login(user, password);
                    if (lister.compareAndSet(false, true)) {
                        listing.set(list(src, folder));
                        listed.countDown();
                    }
                    dst.login(user, password);
                    if (maker.compareAndSet(false, true)) {
                        String mkd = dst.command("MKD " + folder);
                        if (!mkd.startsWith("257") && !mkd.startsWith("550")) {
                            throw new IOException("MKD: " + mkd);
                        }
                        made.countDown();
                    }
                    listed.await();
                    made.await();
                    List<Entry> files = listing.get();
                    String pasv = expect(src.command("PASV"), "227");
                    Entry pending = null;
                    int n;
                    while ((n = next.getAndIncrement()) < files.size()) {
                        Entry e = files.get(n);
                        String path = folder + "/" + e.name();
                        dst.send(port(pasv), "STOR " + path, "SIZE " + path);
                        src.send("RETR " + path, "PASV");
                        if (pending != null) {
                            end(dst, pending);
                            copied++;
                        }
                        expect(dst.reply(), "200");
                        expect(dst.reply(), "150");
                        expect(src.reply(), "150");
                        expect(src.reply(), "226");
                        pasv = expect(src.reply(), "227");
                        pending = e;
                    }
                    if (pending != null) {
                        end(dst, pending);
                        copied++;
                    }
                } finally {
                    listed.countDown();
                    made.countDown();
                }
                return copied;
            }));
        }
        int copied = 0;
        for (Future<Integer> f : done) {
            copied += f.get();
        }
        pool.shutdown();
        System.out.println("floor: " + copied + " files copied, " + pairs + " pairs");
    }

    /** The end of a file at the destination: STOR's 226, and SIZE's 213 with the listing's size. */
    static void end(Session dst, Entry e) throws IOException {
        expect(dst.reply(), "226");
        expect(dst.reply(), "213 " + e.size());
    }
}
