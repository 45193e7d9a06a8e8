package io.sitebridge.transfer.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;

/**
 * FXP between FTPS sessions. Protected data (PROT P on both) needs one server to be the TLS
 * client of the data connection: the passive server with CPSV (it listens like PASV and then
 * starts TLS as the client), or either server after {@code SSCN ON}. Without either, FXP data may
 * go unprotected (PROT C) only if the user allowed it (for every copy, or for this pair of sites); otherwise FXP is impossible and the caller
 * relays through this client when that is allowed. {@link #restore()} puts the sessions back as
 * they were.
 */
final class SecureFxp {
    private final List<FtpSession> cleared = new ArrayList<>();
    private FtpSession sscnOn;
    private boolean cpsv;
    private String how;

    private SecureFxp() {
    }

    /**
     * Sets up one attempt in which {@code passive} listens.
     *
     * @param extended the attempt uses EPSV (CPSV has no extended form)
     */
    static SecureFxp prepare(FtpSession source, FtpSession destination, FtpSession passive, boolean extended,
            boolean clearDataAllowed, Consumer<String> notes) throws TransferException {
        SecureFxp t = new SecureFxp();
        boolean sp = source.isDataProtected();
        boolean dp = destination.isDataProtected();
        if (!sp && !dp) {
            return t;
        }
        try {
            if (sp && dp) {
                if (!extended && passive.hasFeature("CPSV")) {
                    t.cpsv = true;
                    t.how = passive.site().name() + " is TLS client (CPSV)";
                    return t;
                }
                for (FtpSession s : List.of(destination, source)) {
                    if (s.hasFeature("SSCN")) {
                        FtpReply r = s.execute("SSCN ON");
                        if (r.isPositive()) {
                            t.sscnOn = s;
                            t.how = s.site().name() + " is TLS client (SSCN)";
                            return t;
                        }
                    }
                }
            }
            if (!clearDataAllowed) {
                String msg = impossible(source, destination, sp, dp);
                notes.accept(msg);
                throw new TransferException(TransferException.Reason.TLS_FXP_IMPOSSIBLE, null, msg);
            }
            for (FtpSession s : List.of(source, destination)) {
                if (s.isDataProtected()) {
                    s.setDataProtection(false);
                    t.cleared.add(s);
                }
            }
            notes.accept("FXP data goes unprotected (PROT C), as allowed");
            return t;
        } catch (FtpException e) {
            t.restore();
            throw RemotePlace.failure(e);
        }
    }

    /** The command that makes the passive server listen. */
    String listenCommand(boolean extended) {
        return cpsv ? "CPSV" : extended ? "EPSV" : "PASV";
    }

    /** Nothing special: no TLS data, or nothing to undo (so commands may be sent in one burst). */
    boolean plain() {
        return how == null && cleared.isEmpty();
    }

    /** e.g. "proftpd is TLS client (SSCN)", or null. */
    String how() {
        return how;
    }

    void restore() {
        try {
            if (sscnOn != null && sscnOn.isConnected()) {
                sscnOn.execute("SSCN OFF");
            }
            for (FtpSession s : cleared) {
                if (s.isConnected()) {
                    s.setDataProtection(true);
                }
            }
        } catch (FtpException e) {
            // the session is marked broken; its next use reconnects or fails clearly
        } finally {
            sscnOn = null;
            cleared.clear();
        }
    }

    private static String impossible(FtpSession source, FtpSession destination, boolean sp, boolean dp) {
        if (sp && dp) {
            return "protected FXP is impossible: neither " + describe(source) + " nor " + describe(destination)
                    + " can act as TLS client for the data connection (no SSCN or CPSV); allow clear FXP data"
                    + " (PROT C) or relay through this client";
        }
        FtpSession plain = sp ? destination : source;
        return "protected FXP is impossible: " + describe(plain) + " does not use TLS; allow clear FXP data (PROT C)"
                + " or relay through this client";
    }

    private static String describe(FtpSession s) {
        ServerKind k = ServerKind.recognise(s.greeting(), null);
        String name = s.site().name();
        boolean named = name.toLowerCase(Locale.ROOT).contains(k.label.toLowerCase(Locale.ROOT));
        return (k == ServerKind.UNKNOWN || named ? "" : k.label + " ") + name;
    }
}
