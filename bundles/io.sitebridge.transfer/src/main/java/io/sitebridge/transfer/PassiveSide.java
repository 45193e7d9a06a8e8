package io.sitebridge.transfer;

/** Which server listens (PASV/EPSV) in a server-to-server transfer; the other connects (PORT/EPRT). */
public enum PassiveSide {
    /** The destination listens and the source connects to it (the classic RFC 959 arrangement). */
    DESTINATION,
    /** The source listens and the destination connects to it. */
    SOURCE;

    public PassiveSide other() {
        return this == DESTINATION ? SOURCE : DESTINATION;
    }
}
