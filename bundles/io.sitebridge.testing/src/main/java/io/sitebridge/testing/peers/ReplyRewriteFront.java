package io.sitebridge.testing.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A front for a real server's control port that passes everything on unchanged, except reply
 * lines it was told to rewrite once: the n-th reply line (of all connections through it) that
 * starts with a given prefix is replaced by another line. So a test makes a real server say, once,
 * what a failing one would: a transfer that ended badly ({@code 226} becomes {@code 451}), or a
 * file shorter than it is ({@code 213 4096} becomes {@code 213 1}).
 *
 * <p>Put it on the server's own address (another port) so that the server's 227 replies stay
 * true; data connections go to the server directly.
 */
public final class ReplyRewriteFront extends ControlFront {
    private record Rule(String prefix, String replacement, AtomicInteger before) { }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> rewritten = new CopyOnWriteArrayList<>();

    private ReplyRewriteFront(String address, InetSocketAddress target) throws IOException {
        super(address, target);
        startAccepting("rewrite-front");
    }

    /** A front on {@code address} (a free port) for the server at {@code targetHost:targetPort}. */
    public static ReplyRewriteFront start(String address, String targetHost, int targetPort) throws IOException {
        return new ReplyRewriteFront(address, new InetSocketAddress(targetHost, targetPort));
    }

    /**
     * The reply line that starts with {@code prefix} after {@code after} such lines (from now on) is
     * sent as {@code replacement} instead.
     */
    public ReplyRewriteFront rewrite(String prefix, int after, String replacement) {
        rules.add(new Rule(prefix, replacement, new AtomicInteger(after)));
        return this;
    }

    /** The lines rewritten so far, as the server sent them. */
    public List<String> rewritten() {
        return List.copyOf(rewritten);
    }

    @Override
    protected void serve(Socket client, Socket server) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the connection ended
            }
            closeQuietly(client);
            closeQuietly(server);
        });
        Thread.ofVirtual().start(() -> {
            try (InputStream in = new java.io.BufferedInputStream(server.getInputStream());
                    OutputStream out = client.getOutputStream()) {
                for (byte[] line; (line = readLine(in)) != null;) {
                    out.write(rewrite(line));
                }
            } catch (IOException e) {
                // the connection ended
            }
            closeQuietly(client);
            closeQuietly(server);
        });
    }

    private byte[] rewrite(byte[] line) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        for (Rule r : rules) {
            if (text.startsWith(r.prefix()) && r.before().getAndDecrement() == 0) {
                rewritten.add(text.strip());
                return (r.replacement() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return line;
    }
}
