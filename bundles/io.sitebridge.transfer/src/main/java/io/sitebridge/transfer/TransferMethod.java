package io.sitebridge.transfer;

/** How the bytes of a file move. */
public enum TransferMethod {
    /** Server to server: PASV/EPSV on one, PORT/EPRT on the other. */
    FXP,
    /** Through this client, from one server to the other. */
    RELAY,
    /** From this computer to a server. */
    UPLOAD,
    /** From a server to this computer. */
    DOWNLOAD
}
