package io.sitebridge.transfer.engine;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.session.FtpReply;

/**
 * Where a passive server listens, parsed from its 227/229 reply, and how to tell the active server;
 * for the engine and the transfer queue's own FXP path.
 */
public record DataAddress(InetAddress host, int port) {
    private static final Pattern EPSV = Pattern.compile("\\((.)\\1\\1(\\d{1,5})\\1\\)");

    /** Parses a 227 reply; returns null when it is malformed. */
    public static DataAddress fromPasv(FtpReply reply, InetAddress controlAddress, PassiveAddressPolicy policy) {
        int[] n = reply.code() == 227 ? pasvNumbers(reply.message()) : null;
        if (n == null) {
            return null;
        }
        int port = (n[4] << 8) | n[5];
        if (port == 0) {
            return null;
        }
        InetAddress host = controlAddress;
        if (policy == PassiveAddressPolicy.REPLY_ADDRESS || controlAddress instanceof Inet6Address) {
            try {
                host = InetAddress.getByAddress(new byte[] {(byte) n[0], (byte) n[1], (byte) n[2], (byte) n[3]});
            } catch (UnknownHostException e) {
                return null;
            }
            if (host.isAnyLocalAddress()) {
                return null; // vsftpd over IPv6 answers 0,0,0,0
            }
        }
        return new DataAddress(host, port);
    }

    /**
     * The host a 227 reply announces, or null when it announces none that could be used (malformed,
     * 0.0.0.0). Used only after nothing answered at the control connection's address.
     */
    public static InetAddress announcedHost(FtpReply reply) {
        int[] n = reply.code() == 227 ? pasvNumbers(reply.message()) : null;
        if (n == null) {
            return null;
        }
        byte[] b = {(byte) n[0], (byte) n[1], (byte) n[2], (byte) n[3]};
        try {
            InetAddress host = InetAddress.getByAddress(b);
            return host.isAnyLocalAddress() ? null : host;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The first {@code h1,h2,h3,h4,p1,p2} in a 227 reply's text (six numbers of one to three
     * digits, separated by commas, wherever they stand: servers word the rest freely), each at
     * most 255; null when there is none. (Scanned by hand: it runs for every file of a folder.)
     */
    static int[] pasvNumbers(String text) {
        int[] n = new int[6];
        for (int start = 0; start < text.length(); start++) {
            if (numbersAt(text, start, n)) {
                for (int v : n) {
                    if (v > 255) {
                        return null;
                    }
                }
                return n;
            }
        }
        return null;
    }

    private static boolean numbersAt(String text, int at, int[] n) {
        int i = at;
        for (int g = 0; g < 6; g++) {
            int v = 0;
            int digits = 0;
            while (digits < 3 && i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i++) - '0');
                digits++;
            }
            if (digits == 0) {
                return false;
            }
            n[g] = v;
            if (g < 5) {
                if (i >= text.length() || text.charAt(i) != ',') {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** The same port on another host. */
    public DataAddress on(InetAddress other) {
        return new DataAddress(other, port);
    }

    @Override
    public String toString() {
        return host.getHostAddress() + ":" + port;
    }

    /** Parses a 229 reply ({@code (|||port|)}); the host is always the control connection's. */
    public static DataAddress fromEpsv(FtpReply reply, InetAddress controlAddress) {
        Matcher m = EPSV.matcher(reply.message());
        if (reply.code() != 229 || !m.find()) {
            return null;
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return null;
        }
        return new DataAddress(controlAddress, port);
    }

    /** The PORT or EPRT command that points the active server here. */
    public String activeCommand(boolean extended) {
        if (extended || host instanceof Inet6Address) {
            int family = host instanceof Inet6Address ? 2 : 1;
            return "EPRT |" + family + "|" + host.getHostAddress().replaceAll("%.*$", "") + "|" + port + "|";
        }
        byte[] b = host.getAddress();
        return "PORT " + (b[0] & 0xff) + "," + (b[1] & 0xff) + "," + (b[2] & 0xff) + "," + (b[3] & 0xff) + ","
                + (port >> 8) + "," + (port & 0xff);
    }
}
