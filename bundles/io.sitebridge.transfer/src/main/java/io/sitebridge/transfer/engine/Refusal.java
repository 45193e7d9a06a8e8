package io.sitebridge.transfer.engine;

import io.sitebridge.core.session.FtpSession;

/** One server refusing its part in one FXP attempt, worded for the user. */
record Refusal(String site, String host, ServerKind kind, boolean passiveRole, String what, String evidence,
        boolean nothingAnswered) {

    static Refusal of(FtpSession session, boolean passiveRole, String what, String evidence) {
        ServerKind kind = ServerKind.recognise(session.greeting(), evidence);
        return new Refusal(session.site().name(), session.site().host(), kind, passiveRole, what, evidence, false);
    }

    /**
     * Not a refusal of FXP: the active server could not connect to the address it was given for the
     * passive server's data port (a server behind a control-only front, a firewall).
     */
    static Refusal nothingAnswered(FtpSession active, FtpSession passive, DataAddress address, String evidence) {
        return new Refusal(active.site().name(), active.site().host(), ServerKind.recognise(active.greeting(), null),
                false, "nothing answered at " + address + " (" + passive.site().name() + "'s data port)", evidence,
                true);
    }

    /**
     * The server did not know the command (PASV, EPSV, PORT or EPRT answered 500-504 with no word of
     * refusing a foreign address): the other form of the command may work.
     */
    boolean commandUnknown() {
        return !nothingAnswered && evidence.matches("50[0-4][ -].*")
                && ServerKind.recognise(null, evidence) == ServerKind.UNKNOWN && !evidence.contains("foreign");
    }

    /** e.g. "vsftpd src refused PORT to a foreign address (500 Illegal PORT command.)": what, not the remedy */
    String describe() {
        if (nothingAnswered) {
            return site + " could not connect: " + what + " (" + evidence + ")";
        }
        return who() + " refused " + refused();
    }

    /** The server, named as the user knows it, with its kind when the name does not say it: "vsftpd src". */
    String who() {
        String kindLabel = kind == ServerKind.UNKNOWN ? "server"
                : site.toLowerCase(java.util.Locale.ROOT).contains(kind.label.toLowerCase(java.util.Locale.ROOT))
                        ? "" : kind.label;
        return (kindLabel.isEmpty() ? "" : kindLabel + " ") + site;
    }

    /** What was refused and the server's words, quoted and short: "PORT to a foreign address ("500 Illegal PORT command.")". */
    String refused() {
        return what + " (" + io.sitebridge.core.ServerText.quote(evidence, FxpAttempt.QUOTED) + ")";
    }

    /** e.g. "allow it on src with port_promiscuous=YES in vsftpd.conf"; null when nothing was refused (nothing answered). */
    String remedy() {
        if (nothingAnswered) {
            return null;
        }
        return "allow it on " + site + " with " + (passiveRole ? kind.passiveSetting() : kind.activeSetting());
    }
}
