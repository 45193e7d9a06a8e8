package io.sitebridge.transfer;

/** How a file's bytes travelled. */
public enum TransferMethod {
    /** Directly between the two servers (FXP); the client saw no data. */
    FXP,
    /** Through this client, streamed (when FXP was refused or not allowed). */
    RELAY
}
