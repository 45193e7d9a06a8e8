package io.sitebridge.core.trust;

/**
 * Decides about a server certificate that the JVM does not trust and no pin vouches for; the
 * application asks the user in a dialog, the command line answers from its options. Called on the
 * connecting thread, during the TLS handshake (the server waits); at most one question per server
 * at a time. Implementations must be thread-safe.
 */
public interface CertificateAsker {

    /** What to do with the certificate. */
    enum Answer {
        /** Connect, and accept this certificate of this server until the process ends. */
        TRUST_ONCE,
        /** Connect, and pin this certificate for this server (kept in the user folder). */
        TRUST_ALWAYS,
        /** Do not connect. */
        REFUSE
    }

    /** The user's decision about {@code certificate}, untrusted and not pinned. */
    Answer ask(UntrustedCertificate certificate);

    /**
     * The server presents another certificate than the one pinned for it: the connection is refused
     * unless the user explicitly chose this new certificate beforehand (the command line's
     * {@code --trust} with its fingerprint). Never a question that a quick click accepts: the
     * default refuses. The application warns loudly here.
     *
     * @param pinned    the pinned fingerprint
     * @param presented the certificate the server presents now
     * @return true to replace the pin with {@code presented} and connect
     */
    default boolean replacePin(String pinned, UntrustedCertificate presented) {
        return false;
    }

    /**
     * Refuses every untrusted certificate without asking (the default; a process without a user).
     * A class, not a lambda: every command line initialises this before it connects, and the class
     * cache does not keep a lambda made in an interface's initialiser (spinning it took 2 ms).
     */
    CertificateAsker REFUSE = new CertificateAsker() {
        @Override
        public Answer ask(UntrustedCertificate certificate) {
            return Answer.REFUSE;
        }
    };
}
