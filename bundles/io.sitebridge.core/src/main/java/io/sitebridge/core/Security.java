package io.sitebridge.core;

/** How a site protects its control (and, where possible, data) connection. */
public enum Security {
    /** Plain FTP: nothing is encrypted. */
    PLAIN,
    /** Explicit FTPS (RFC 4217): connect in clear, then {@code AUTH TLS}. */
    EXPLICIT_TLS,
    /** Implicit FTPS: TLS from the first byte, usually on port 990. */
    IMPLICIT_TLS;

    public boolean isTls() {
        return this != PLAIN;
    }
}
