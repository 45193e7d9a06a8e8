package io.sitebridge.testing.peers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A front for a real server's control port that makes it a server which cannot take pipelined
 * commands, as some appliances and old daemons are: a command that arrives while the server has
 * not yet finished answering the one before is not passed on; the front answers it at once with
 * {@code 503 Bad sequence of commands} — before the server's own replies to the earlier command,
 * so the reply stream is out of step for a client that sent it ahead. {@code ABOR} always goes
 * through (it is meant to arrive during a transfer).
 *
 * <p>Put it on the server's own address (another port) so that the server's 227 replies stay
 * true; data connections go to the server directly.
 */
public final class LockStepFront extends ControlFront {
    private final AtomicInteger rejected = new AtomicInteger();

    private LockStepFront(String address, InetSocketAddress target) throws IOException {
        super(address, target);
        startAccepting("lock-step-front");
    }

    /** A front on {@code address} (a free port) for the server at {@code targetHost:targetPort}. */
    public static LockStepFront start(String address, String targetHost, int targetPort) throws IOException {
        return new LockStepFront(address, new InetSocketAddress(targetHost, targetPort));
    }

    /** How many commands the front refused because they came before the previous reply. */
    public int rejected() {
        return rejected.get();
    }

    @Override
    protected void serve(Socket client, Socket server) {
        new Connection(client, server).start();
    }

    /** One control connection: commands one at a time, replies passed on whole. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** Commands passed on (the greeting counts as one) whose final reply has not come yet. */
        private int outstanding = 1;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread.ofVirtual().start(this::commands);
            Thread.ofVirtual().start(this::replies);
        }

        private void commands() {
            try (InputStream in = new java.io.BufferedInputStream(client.getInputStream())) {
                OutputStream toServer = server.getOutputStream();
                for (byte[] line; (line = readLine(in)) != null;) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).trim();
                    boolean abort = text.toUpperCase(java.util.Locale.ROOT).endsWith("ABOR");
                    boolean pass;
                    synchronized (this) {
                        pass = outstanding == 0 || abort;
                        if (pass) {
                            outstanding++;
                        } else {
                            rejected.incrementAndGet();
                            writeToClient("503 Bad sequence of commands: one command at a time, please\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (pass) {
                        toServer.write(line);
                        toServer.flush();
                    }
                }
            } catch (IOException e) {
                // the connection ended
            }
            closeBoth();
        }

        private void replies() {
            try (InputStream in = new java.io.BufferedInputStream(server.getInputStream())) {
                ByteArrayOutputStream reply = new ByteArrayOutputStream();
                String multiCode = null;
                for (byte[] line; (line = readLine(in)) != null;) {
                    reply.write(line);
                    String text = new String(line, StandardCharsets.ISO_8859_1);
                    boolean coded = text.length() >= 4 && Character.isDigit(text.charAt(0))
                            && Character.isDigit(text.charAt(1)) && Character.isDigit(text.charAt(2));
                    if (multiCode == null && coded && text.charAt(3) == '-') {
                        multiCode = text.substring(0, 3);
                        continue;
                    }
                    if (multiCode != null && !(text.startsWith(multiCode) && text.charAt(3) == ' ')) {
                        continue; // inside a multi-line reply
                    }
                    multiCode = null;
                    synchronized (this) {
                        writeToClient(reply.toByteArray());
                        if (coded && text.charAt(0) != '1') {
                            outstanding = Math.max(0, outstanding - 1);
                        }
                    }
                    reply.reset();
                }
            } catch (IOException e) {
                // the connection ended
            }
            closeBoth();
        }

        private void writeToClient(byte[] bytes) throws IOException {
            OutputStream out = client.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }
}
