package io.sitebridge.core;

/**
 * Which address to use for a server's passive data port. Servers behind NAT often
 * announce a private address in their 227 reply; the control connection's address
 * is the one we know reaches them.
 */
public enum PassiveAddressPolicy {
    /** Use the address the control connection goes to (the default; commons-net does the same since 3.9). */
    CONTROL_ADDRESS,
    /** Trust the address the server announces in its 227 reply. */
    REPLY_ADDRESS
}
