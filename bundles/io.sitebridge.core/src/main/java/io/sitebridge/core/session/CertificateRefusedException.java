package io.sitebridge.core.session;

import io.sitebridge.core.trust.CertificateRefusal;
import io.sitebridge.core.trust.UntrustedCertificate;

/**
 * A site's TLS certificate was refused: not trusted and not accepted by the user, or different from
 * the certificate pinned for that server. The message names the fingerprint(s) in full (both when the
 * certificate changed), so it may be longer than other {@link FtpException}s' 200 characters;
 * {@link #certificate()} holds the details to show.
 */
public final class CertificateRefusedException extends FtpException {
    private static final long serialVersionUID = 1L;
    private final transient CertificateRefusal refusal;

    CertificateRefusedException(String site, CertificateRefusal refusal, Throwable cause) {
        super(site, site + ": " + detail(refusal), cause, 400);
        this.refusal = refusal;
    }

    /** What was refused and why, without the site's name (for the control dialogue). */
    static String detail(CertificateRefusal r) {
        UntrustedCertificate c = r.certificate();
        if (r.changed()) {
            return "REFUSED: the certificate of " + c.site() + " has CHANGED since it was trusted always"
                    + " (pinned " + r.pinned() + ", now " + c.fingerprint() + "): someone may be intercepting the connection";
        }
        return "the certificate of " + c.site() + " is not trusted (" + c.fingerprint() + "), not accepted";
    }

    /** The certificate the server presented. */
    public UntrustedCertificate certificate() {
        return refusal.certificate();
    }

    /** The pinned fingerprint the presented certificate differs from, or null when it was not pinned. */
    public String pinned() {
        return refusal.pinned();
    }

    /** Whether the certificate differs from the pinned one. */
    public boolean changed() {
        return refusal.changed();
    }

    /** The refusal in {@code e}'s causes, or null. */
    static CertificateRefusal refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateRefusal r) {
                return r;
            }
            for (Throwable s : t.getSuppressed()) {
                if (s instanceof CertificateRefusal r) {
                    return r;
                }
            }
        }
        return null;
    }
}
