package io.sitebridge.testing.peers;

/**
 * How to configure one real server for a test.
 *
 * @param fxp         FXP settings
 * @param tls         FTPS with the test certificate (explicit, AUTH TLS, unless {@code implicitTls})
 * @param implicitTls with {@code tls}: implicit FTPS (TLS from the first byte, {@code ftpsi://})
 * @param rateKBps    when above 0, the server sends and receives at most this many KB/s per
 *                    transfer (so a test can act in the middle of a transfer of a few MB)
 * @param announce    when not null, the address the server announces in its 227 replies instead of
 *                    its own (vsftpd {@code pasv_address}, proftpd {@code MasqueradeAddress},
 *                    pure-ftpd {@code -P}): a NAT misconfiguration, or a hostile server
 * @param idleSeconds when above 0, the server drops a control connection idle this many seconds
 *                    (vsftpd {@code idle_session_timeout}; vsftpd only)
 * @param maxPerHost  when above 0, the server refuses more than this many connections from one
 *                    address (vsftpd {@code max_per_ip}, proftpd {@code MaxClientsPerHost},
 *                    pure-ftpd {@code -C}); else a limit no test reaches
 */
public record PeerConfig(Fxp fxp, boolean tls, boolean implicitTls, int rateKBps, String announce, int idleSeconds,
        int maxPerHost) {
    /** Which FXP switches are on. */
    public enum Fxp {
        /** Everything the server has to allow foreign addresses (PORT/EPRT and passive). */
        ALLOWED,
        /** The stock configuration: foreign addresses refused. */
        STOCK,
        /** vsftpd only: {@code pasv_promiscuous=YES} but {@code port_promiscuous=NO} (the others: as STOCK). */
        PASSIVE_ONLY
    }

    public PeerConfig(Fxp fxp, boolean tls) {
        this(fxp, tls, false, 0, null, 0, 0);
    }

    public PeerConfig(Fxp fxp, boolean tls, boolean implicitTls, int rateKBps) {
        this(fxp, tls, implicitTls, rateKBps, null, 0, 0);
    }

    /** The same, announcing {@code address} in 227 replies. */
    public PeerConfig announcing(String address) {
        return new PeerConfig(fxp, tls, implicitTls, rateKBps, address, idleSeconds, maxPerHost);
    }

    /** The same, dropping control connections idle for {@code seconds} (vsftpd only). */
    public PeerConfig withIdleTimeout(int seconds) {
        return new PeerConfig(fxp, tls, implicitTls, rateKBps, announce, seconds, maxPerHost);
    }

    public static final PeerConfig FXP = new PeerConfig(Fxp.ALLOWED, false);
    public static final PeerConfig STOCK = new PeerConfig(Fxp.STOCK, false);
    public static final PeerConfig FXP_TLS = new PeerConfig(Fxp.ALLOWED, true);
    /** FXP allowed, implicit FTPS. */
    public static final PeerConfig FXP_IMPLICIT_TLS = new PeerConfig(Fxp.ALLOWED, true, true, 0);

    /** The same with transfers limited to {@code kBps} KB/s. */
    public PeerConfig withRate(int kBps) {
        return new PeerConfig(fxp, tls, implicitTls, kBps, announce, idleSeconds, maxPerHost);
    }

    /** The same, refusing more than {@code connections} connections from one address. */
    public PeerConfig withMaxPerHost(int connections) {
        return new PeerConfig(fxp, tls, implicitTls, rateKBps, announce, idleSeconds, connections);
    }
}
