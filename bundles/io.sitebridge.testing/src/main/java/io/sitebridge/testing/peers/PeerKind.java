package io.sitebridge.testing.peers;

/** The real FTP servers the tests run against (Debian 12 packages, see shared/PEERS.md). */
public enum PeerKind {
    VSFTPD("vsftpd"), PROFTPD("proftpd"), PUREFTPD("pure-ftpd");

    public final String label;

    PeerKind(String label) {
        this.label = label;
    }
}
