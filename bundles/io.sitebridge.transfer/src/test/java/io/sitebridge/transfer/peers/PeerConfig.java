package io.sitebridge.transfer.peers;

/**
 * How to configure one real server for a test.
 *
 * @param fxp FXP settings
 * @param tls explicit FTPS with the test certificate
 */
public record PeerConfig(Fxp fxp, boolean tls) {
    /** Which FXP switches are on. */
    public enum Fxp {
        /** Everything the server has to allow foreign addresses (PORT/EPRT and passive). */
        ALLOWED,
        /** The stock configuration: foreign addresses refused. */
        STOCK,
        /** vsftpd only: {@code pasv_promiscuous=YES} but {@code port_promiscuous=NO} (the others: as STOCK). */
        PASSIVE_ONLY
    }

    public static final PeerConfig FXP = new PeerConfig(Fxp.ALLOWED, false);
    public static final PeerConfig STOCK = new PeerConfig(Fxp.STOCK, false);
    public static final PeerConfig FXP_TLS = new PeerConfig(Fxp.ALLOWED, true);
}
