package io.sitebridge.transfer.queue;

import java.util.List;
import java.util.Locale;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;

/**
 * A digest both servers compute (HASH, XSHA256, XSHA1, XMD5, XCRC), for the queue's own FXP
 * path; the same preference as the engine's check.
 */
final class ServerHash {
    private record Method(String feature, int hexLength) { }

    private static final List<Method> X = List.of(new Method("XSHA256", 64), new Method("XSHA512", 128),
            new Method("XSHA1", 40), new Method("XMD5", 32), new Method("XCRC", 8));

    private ServerHash() {
    }

    /** The command both offer, or null. */
    static String common(FtpSession a, FtpSession b) {
        if (hashSha256(a) && hashSha256(b)) {
            return "HASH";
        }
        for (Method m : X) {
            if (a.hasFeature(m.feature) && b.hasFeature(m.feature)) {
                return m.feature;
            }
        }
        return null;
    }

    private static boolean hashSha256(FtpSession s) {
        if (!s.hasFeature("HASH")) {
            return false;
        }
        for (String f : s.features()) {
            if (f.startsWith("HASH ") && f.contains("SHA-256")) {
                return true;
            }
        }
        return false;
    }

    /** Lower-case hex digest of {@code path} by {@code method}. */
    static String of(FtpSession s, String method, String path) throws FtpException {
        int hex;
        FtpReply r;
        if (method.equals("HASH")) {
            FtpReply o = s.execute("OPTS HASH SHA-256");
            if (!o.isPositive()) {
                throw new FtpException(s.site().name(), s.site().name() + " refused OPTS HASH SHA-256: " + o, o);
            }
            hex = 64;
            r = s.execute("HASH " + path);
        } else {
            hex = X.stream().filter(m -> m.feature.equals(method)).findFirst().orElseThrow().hexLength;
            r = s.execute(method + " " + path);
        }
        if (!r.isPositive()) {
            throw new FtpException(s.site().name(), s.site().name() + " refused " + method + ": " + r.text(), r);
        }
        for (String token : r.message().split("\\s+")) {
            if (token.length() == hex && token.matches("[0-9A-Fa-f]+")) {
                return token.toLowerCase(Locale.ROOT);
            }
        }
        throw new FtpException(s.site().name(), s.site().name() + " sent a malformed " + method + " reply: " + r, r);
    }
}
