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
    private static final Pattern PASV = Pattern.compile("(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3}),(\\d{1,3})");
    private static final Pattern EPSV = Pattern.compile("\\((.)\\1\\1(\\d{1,5})\\1\\)");

    /** Parses a 227 reply; returns null when it is malformed. */
    public static DataAddress fromPasv(FtpReply reply, InetAddress controlAddress, PassiveAddressPolicy policy) {
        Matcher m = PASV.matcher(reply.message());
        if (reply.code() != 227 || !m.find()) {
            return null;
        }
        int[] n = new int[6];
        for (int i = 0; i < 6; i++) {
            n[i] = Integer.parseInt(m.group(i + 1));
            if (n[i] > 255) {
                return null;
            }
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
        Matcher m = PASV.matcher(reply.message());
        if (reply.code() != 227 || !m.find()) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int n = Integer.parseInt(m.group(i + 1));
            if (n > 255) {
                return null;
            }
            b[i] = (byte) n;
        }
        try {
            InetAddress host = InetAddress.getByAddress(b);
            return host.isAnyLocalAddress() ? null : host;
        } catch (UnknownHostException e) {
            return null;
        }
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
