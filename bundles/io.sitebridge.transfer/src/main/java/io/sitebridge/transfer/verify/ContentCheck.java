package io.sitebridge.transfer.verify;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;

/**
 * Compares a file on two servers by a hash both compute (no byte passes through this client), or
 * by a SHA-256 of data read through it. The transfer pipeline's verification step and comparisons
 * of trees use it.
 */
public final class ContentCheck {
    /** Server-side commands in order of preference; the hex length tells a digest from other tokens. */
    private record Command(String feature, String name, int hexLength) { }

    private static final List<Command> X_COMMANDS = List.of(
            new Command("XSHA256", "XSHA256", 64), new Command("XSHA512", "XSHA512", 128),
            new Command("XSHA1", "XSHA1", 40), new Command("XMD5", "XMD5", 32), new Command("XCRC", "XCRC", 8));

    private ContentCheck() {
    }

    /**
     * The hash command both servers offer, in order of preference: {@code "HASH SHA-256"} (HASH
     * with SHA-256 listed in FEAT), then XSHA256, XSHA512, XSHA1, XMD5, XCRC; or null.
     */
    public static String commonServerHash(FtpSession a, FtpSession b) {
        if (a.hasFeature("HASH") && b.hasFeature("HASH") && hashLists(a, "SHA-256") && hashLists(b, "SHA-256")) {
            return "HASH SHA-256";
        }
        for (Command c : X_COMMANDS) {
            if (a.hasFeature(c.feature) && b.hasFeature(c.feature)) {
                return c.name;
            }
        }
        return null;
    }

    private static boolean hashLists(FtpSession s, String algorithm) {
        for (String f : s.features()) {
            if (f.startsWith("HASH ") && f.contains(algorithm)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Asks one server for a file's digest with a method from {@link #commonServerHash}; returns
     * lower-case hex.
     */
    public static String serverHash(FtpSession s, String method, String path) throws FtpException {
        FtpReply r;
        int hexLength;
        if (method.equals("HASH SHA-256")) {
            FtpReply opts = s.execute("OPTS HASH SHA-256");
            if (!opts.isPositive()) {
                throw new FtpException(s.site().name(), s.site().name() + " refused OPTS HASH SHA-256: " + opts, opts);
            }
            r = s.execute("HASH " + path);
            hexLength = 64;
        } else {
            Command c = X_COMMANDS.stream().filter(x -> x.name.equals(method)).findFirst().orElseThrow();
            r = s.execute(c.name + " " + path);
            hexLength = c.hexLength;
        }
        if (!r.isPositive()) {
            throw new FtpException(s.site().name(), s.site().name() + " refused " + method + ": " + r.text(), r);
        }
        for (String token : r.message().split("\\s+")) {
            if (token.length() == hexLength && token.matches("[0-9A-Fa-f]+")) {
                return token.toLowerCase(Locale.ROOT);
            }
        }
        throw new FtpException(s.site().name(), s.site().name() + " sent a malformed reply to " + method + ": " + r, r);
    }

    /** The SHA-256 of everything {@code in} holds, read in constant memory (lower-case hex); does not close it. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0;) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
