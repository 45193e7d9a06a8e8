package io.sitebridge.core.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sitebridge.core.Site;
import io.sitebridge.core.Timeouts;

/**
 * A misbehaving FTP server for tests: real sockets on 127.0.0.1, a small script per scenario.
 * By default it behaves (greeting, USER/PASS, FEAT, SYST UNIX, TYPE, PWD, PASV, EPSV, QUIT,
 * 502 for the rest); a scenario replaces the greeting or the answer to a verb with its own
 * {@link Handler}. Data connections are passive: {@link Conn#acceptData()} after PASV/EPSV.
 * It records the commands it received and counts the control bytes it sent, and notices when
 * the client closes the control connection.
 */
final class ScriptedFtpServer implements AutoCloseable {
    /** What the server does when a verb arrives (or, for the greeting, when a client connects). */
    interface Handler {
        void handle(Conn c, String argument) throws IOException, InterruptedException;
    }

    private final ServerSocket control;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private volatile Handler greeting = (c, a) -> c.send("220 scripted server ready\r\n");
    /** Commands received, in order, over all connections. */
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** Control bytes written, over all connections. */
    final AtomicLong controlBytesSent = new AtomicLong();
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedFtpServer() throws IOException {
        control = new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::acceptLoop, "scripted-ftp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return control.getLocalPort();
    }

    /** A site for this server with short timeouts (connect, reply, data). */
    Site site(Duration connect, Duration reply, Duration data) {
        return Site.builder("127.0.0.1").name("scripted").port(port()).user("u").password("p")
                .timeouts(new Timeouts(connect, reply, data)).build();
    }

    Site site(Duration all) {
        return site(all, all, all);
    }

    ScriptedFtpServer greeting(Handler h) {
        greeting = h;
        return this;
    }

    ScriptedFtpServer on(String verb, Handler h) {
        handlers.put(verb.toUpperCase(Locale.ROOT), h);
        return this;
    }

    /** How often a verb arrived. */
    long count(String verb) {
        return commands.stream().filter(c -> c.toUpperCase(Locale.ROOT).startsWith(verb.toUpperCase(Locale.ROOT)))
                .filter(c -> c.length() == verb.length() || c.charAt(verb.length()) == ' ').count();
    }

    /** Whether a client closed (or reset) a control connection within {@code d}. */
    boolean clientClosedWithin(Duration d) throws InterruptedException {
        return clientGone.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        while (!control.isClosed()) {
            try {
                Socket s = control.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "scripted-ftp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        Conn c = new Conn(s);
        try (s) {
            greeting.handle(c, "");
            for (String line; (line = c.readLine()) != null;) {
                commands.add(line);
                int sp = line.indexOf(' ');
                String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
                String arg = sp < 0 ? "" : line.substring(sp + 1);
                Handler h = handlers.get(verb);
                if (h != null) {
                    h.handle(c, arg);
                } else {
                    standard(c, verb, arg);
                }
                if (verb.equals("QUIT")) {
                    break;
                }
            }
            // the client closed its side (readLine gave null) or quit
            clientGone.countDown();
        } catch (IOException e) {
            clientGone.countDown(); // reset or broken pipe: the client cut us off
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            c.closeData();
        }
    }

    private static void standard(Conn c, String verb, String arg) throws IOException {
        switch (verb) {
            case "USER" -> c.send("331 password please\r\n");
            case "PASS" -> c.send("230 logged in\r\n");
            case "FEAT" -> c.send("211-Features:\r\n SIZE\r\n EPSV\r\n211 End\r\n");
            case "SYST" -> c.send("215 UNIX Type: L8\r\n");
            case "TYPE", "NOOP", "OPTS" -> c.send("200 ok\r\n");
            case "PWD" -> c.send("257 \"/\" is the current directory\r\n");
            case "PASV" -> c.pasv();
            case "EPSV" -> c.epsv();
            case "QUIT" -> c.send("221 bye\r\n");
            default -> c.send("502 not scripted: " + verb + "\r\n");
        }
    }

    @Override
    public void close() throws IOException {
        control.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** One control connection, seen from the server. */
    final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private ServerSocket passive;
        private Socket data;

        Conn(Socket socket) {
            this.socket = socket;
            try {
                this.in = socket.getInputStream();
                this.out = socket.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            controlBytesSent.addAndGet(bytes.length);
        }

        /** Writes {@code chunk} again and again until the client cuts the connection (then throws). */
        void sendForever(byte[] chunk) throws IOException {
            while (true) {
                send(chunk);
            }
        }

        /** Closes the control connection (and any data connection) from the server's side. */
        void hangUp() throws IOException {
            closeData();
            socket.close();
        }

        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0;) {
                if (c == '\n') {
                    byte[] a = b.toByteArray();
                    int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                    return new String(a, 0, n, StandardCharsets.UTF_8);
                }
                b.write(c);
            }
            return null;
        }

        /** Stays silent with the connection open, until the client closes it or {@code d} passes. */
        void silence(Duration d) throws IOException {
            socket.setSoTimeout((int) d.toMillis());
            try {
                while (in.read() >= 0) {
                    // swallow whatever comes
                }
            } catch (SocketTimeoutException e) {
                // time is up
            }
        }

        void pasv() throws IOException {
            openPassive();
            int p = passive.getLocalPort();
            send("227 Entering Passive Mode (127,0,0,1," + (p >> 8) + "," + (p & 0xff) + ")\r\n");
        }

        void epsv() throws IOException {
            openPassive();
            send("229 Entering Extended Passive Mode (|||" + passive.getLocalPort() + "|)\r\n");
        }

        private void openPassive() throws IOException {
            closeData();
            passive = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        }

        /** The data connection the client opened after PASV/EPSV. */
        Socket acceptData() throws IOException {
            passive.setSoTimeout(5000);
            data = passive.accept();
            passive.close();
            return data;
        }

        /** 150, the data, close, 226: a complete, well-behaved transfer of {@code bytes}. */
        void transfer(byte[] bytes) throws IOException {
            send("150 here it comes\r\n");
            try (Socket d = acceptData()) {
                d.getOutputStream().write(bytes);
            }
            send("226 done\r\n");
        }

        void closeData() {
            try {
                if (data != null) {
                    data.close();
                }
                if (passive != null) {
                    passive.close();
                }
            } catch (IOException e) {
                // closing
            }
        }
    }
}
