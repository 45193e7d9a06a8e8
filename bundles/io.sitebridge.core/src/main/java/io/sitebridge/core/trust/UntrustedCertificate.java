package io.sitebridge.core.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import io.sitebridge.core.ServerText;

/**
 * A server's certificate that neither the JVM's trust store nor a pin vouches for, as a person
 * must see it to decide: subject, issuer, validity and SHA-256 fingerprint of the server's own
 * (leaf) certificate. Subject and issuer come from the server and are made harmless with
 * {@link ServerText#printable(String)} here, once, so every place that shows them is safe.
 *
 * <p>Fingerprints are always written {@code SHA256:AB:CD:…} (32 upper-case hex pairs), the form
 * {@code openssl x509 -fingerprint -sha256} prints after its {@code =}, with our prefix.
 *
 * @param site        the server, {@code host:port} (the pin's key)
 * @param subject     the certificate's subject, printable
 * @param issuer      its issuer, printable
 * @param notBefore   start of validity
 * @param notAfter    end of validity
 * @param fingerprint SHA-256 of the DER encoding, {@code SHA256:AB:CD:…}
 */
public record UntrustedCertificate(String site, String subject, String issuer, Instant notBefore, Instant notAfter,
        String fingerprint) {

    private static final String PREFIX = "SHA256:";
    private static final Pattern HEX = Pattern.compile("[0-9A-F]{64}");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The certificate as it can be shown; {@code site} is its server's {@code host:port}. */
    public static UntrustedCertificate of(String site, X509Certificate cert) {
        return new UntrustedCertificate(site, name(cert.getSubjectX500Principal()), name(cert.getIssuerX500Principal()),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), fingerprint(cert));
    }

    private static String name(X500Principal p) {
        return ServerText.oneLine(ServerText.printable(p.getName(X500Principal.RFC2253)), 300);
    }

    /** The SHA-256 fingerprint of {@code cert}, {@code SHA256:AB:CD:…}. */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            StringBuilder b = new StringBuilder(PREFIX.length() + 96);
            b.append(PREFIX);
            for (int i = 0; i < d.length; i++) {
                if (i > 0) {
                    b.append(':');
                }
                b.append(String.format(Locale.ROOT, "%02X", d[i] & 0xff));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the certificate's SHA-256 fingerprint", e);
        }
    }

    /**
     * A fingerprint a person typed, in the form of {@link #fingerprint}: {@code SHA256:} optional,
     * colons optional, any case ({@code sha256:abcd…}, {@code AB:CD:…}). Empty when it is not 32 hex pairs.
     */
    public static Optional<String> parseFingerprint(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        String s = typed.trim();
        if (s.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            s = s.substring(PREFIX.length());
        } else if (s.regionMatches(true, 0, "SHA-256:", 0, 8)) {
            s = s.substring(8);
        }
        String hex = s.replace(":", "").toUpperCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(PREFIX);
        for (int i = 0; i < 64; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        return Optional.of(b.toString());
    }

    /** When it is valid, e.g. {@code 2026-01-01 00:00:00 UTC to 2036-01-01 00:00:00 UTC}. */
    public String validity() {
        return WHEN.format(notBefore) + " to " + WHEN.format(notAfter);
    }

    /** Whether it is valid at {@code now}. */
    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }

    /** The details as labelled lines, for a terminal or a dialog. */
    public List<String> describe() {
        Instant now = Instant.now();
        return List.of("Server:      " + site, "Subject:     " + subject, "Issuer:      " + issuer,
                "Valid:       " + validity() + (validAt(now) ? "" : (now.isAfter(notAfter) ? " (EXPIRED)" : " (NOT YET VALID)")),
                "Fingerprint: " + fingerprint);
    }
}
