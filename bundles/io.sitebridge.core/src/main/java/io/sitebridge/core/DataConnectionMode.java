package io.sitebridge.core;

/** Which commands set up data connections with a site. */
public enum DataConnectionMode {
    /** EPSV/EPRT when the control connection is IPv6, PASV/PORT otherwise. */
    AUTO,
    /** Always PASV/PORT (RFC 959). */
    PASV_PORT,
    /** Always EPSV/EPRT (RFC 2428). */
    EPSV_EPRT
}
