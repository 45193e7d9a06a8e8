package io.sitebridge.transfer;

/**
 * A way of moving a file: what was tried, and what is remembered for a pair of sites when it worked.
 *
 * @param method      FXP, relay through the client, upload or download
 * @param passiveSide for FXP: which server listens
 * @param extended    for FXP: EPSV/EPRT instead of PASV/PORT
 * @param announced   for FXP with PASV: the active server is sent the address the passive server
 *                    announced in its 227 reply, not the address its control connection goes to
 *                    (a server behind a control-only front: its data ports are elsewhere). Tried
 *                    only after nothing answered at the control address, so a server cannot aim
 *                    the other one at a third host while its control address serves the data.
 */
public record Strategy(TransferMethod method, PassiveSide passiveSide, boolean extended, boolean announced) {
    public static Strategy fxp(PassiveSide passiveSide, boolean extended) {
        return new Strategy(TransferMethod.FXP, passiveSide, extended, false);
    }

    public static Strategy relay() {
        return new Strategy(TransferMethod.RELAY, null, false, false);
    }

    public static Strategy upload() {
        return new Strategy(TransferMethod.UPLOAD, null, false, false);
    }

    public static Strategy download() {
        return new Strategy(TransferMethod.DOWNLOAD, null, false, false);
    }

    /** The same FXP strategy, sending the passive server's announced address (PASV only). */
    public Strategy viaAnnouncedAddress() {
        return new Strategy(method, passiveSide, extended, true);
    }

    /** The data passes through this client (relay, upload, download). */
    public boolean streamed() {
        return method != TransferMethod.FXP;
    }

    // Written out rather than generated: a record's generated equals/hashCode link through an
    // invokedynamic bootstrap on first use, ~10 ms of a command line's start (a LinkedHashSet of
    // these is the first thing every copy builds).
    @Override
    public boolean equals(Object o) {
        return o instanceof Strategy s && s.method == method && s.passiveSide == passiveSide && s.extended == extended
                && s.announced == announced;
    }

    @Override
    public int hashCode() {
        return ((method.ordinal() * 31 + (passiveSide == null ? 7 : passiveSide.ordinal())) * 31 + (extended ? 1 : 0))
                * 31 + (announced ? 1 : 0);
    }

    @Override
    public String toString() {
        switch (method) {
            case RELAY:
                return "relay through this client";
            case UPLOAD:
                return "upload";
            case DOWNLOAD:
                return "download";
            default:
                break;
        }
        return "FXP, " + (passiveSide == PassiveSide.DESTINATION ? "destination" : "source") + " passive ("
                + (extended ? "EPSV/EPRT" : "PASV/PORT") + (announced ? " to its announced address" : "") + ")";
    }
}
