package io.sitebridge.core.trust;

import java.security.cert.CertificateException;

/**
 * Thrown in the TLS handshake when a server's certificate is refused: untrusted and the user (or
 * the {@link CertificateAsker}) said no, or different from the one pinned for that server.
 */
public final class CertificateRefusal extends CertificateException {
    private static final long serialVersionUID = 1L;
    private final transient UntrustedCertificate certificate;
    private final String pinned;

    CertificateRefusal(UntrustedCertificate certificate, String pinned) {
        super(pinned == null ? "the certificate of " + certificate.site() + " is not trusted (" + certificate.fingerprint() + ")"
                : "the certificate of " + certificate.site() + " CHANGED: pinned " + pinned + ", presented "
                        + certificate.fingerprint());
        this.certificate = certificate;
        this.pinned = pinned;
    }

    /** The certificate the server presented. */
    public UntrustedCertificate certificate() {
        return certificate;
    }

    /** The fingerprint pinned for the server when it presented another certificate, else null. */
    public String pinned() {
        return pinned;
    }

    /** Whether the server presented another certificate than the pinned one. */
    public boolean changed() {
        return pinned != null;
    }
}
