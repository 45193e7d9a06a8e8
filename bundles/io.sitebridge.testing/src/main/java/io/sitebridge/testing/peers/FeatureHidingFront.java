package io.sitebridge.testing.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A front for a real server's control connection that leaves features out of its FEAT reply (and
 * refuses their commands with 502), for tests of what a client does with a server that lacks
 * them: e.g. a server without MFMT, which cannot take a copy's time. Put it on the server's own
 * address (another port) so that the server's 227 replies stay true; data connections go to the
 * server directly.
 */
public final class FeatureHidingFront extends ControlFront {
    private final Set<String> hidden;

    private FeatureHidingFront(String address, InetSocketAddress target, Set<String> hidden) throws IOException {
        super(address, target);
        this.hidden = hidden;
        startAccepting("feature-front");
    }

    /** A front on the peer's own address that hides {@code features} (upper case, e.g. "MFMT"). */
    public static FeatureHidingFront hiding(RealPeer peer, String... features) throws IOException {
        return new FeatureHidingFront(peer.address(), new InetSocketAddress(peer.address(), peer.port()),
                Set.of(features));
    }

    @Override
    protected void serve(Socket client, Socket server) {
        Thread.ofVirtual().start(() -> commands(client, server));
        Thread.ofVirtual().start(() -> replies(server, client));
    }

    /** Client to server, line by line; a hidden command is answered 502 here and never reaches the server. */
    private void commands(Socket client, Socket server) {
        try (BufferedReader in = reader(client.getInputStream())) {
            OutputStream toServer = server.getOutputStream();
            OutputStream toClient = client.getOutputStream();
            for (String line; (line = in.readLine()) != null;) {
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                if (hidden.contains(verb)) {
                    synchronized (toClient) {
                        toClient.write(("502 " + verb + " not implemented (hidden by the test front)\r\n")
                                .getBytes(StandardCharsets.UTF_8));
                        toClient.flush();
                    }
                    continue;
                }
                toServer.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
            }
        } catch (IOException e) {
            // the connection ended
        }
        closeQuietly(client);
        closeQuietly(server);
    }

    /** Server to client, line by line, without the hidden features' lines of a FEAT reply. */
    private void replies(Socket server, Socket client) {
        try (BufferedReader in = reader(server.getInputStream())) {
            OutputStream toClient = client.getOutputStream();
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith(" ") && hidden.contains(line.trim().split(" ", 2)[0].toUpperCase(Locale.ROOT))) {
                    continue;
                }
                synchronized (toClient) {
                    toClient.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                    toClient.flush();
                }
            }
        } catch (IOException e) {
            // the connection ended
        }
        closeQuietly(client);
        closeQuietly(server);
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
