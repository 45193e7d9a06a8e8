package io.sitebridge.transfer.engine;

import io.sitebridge.core.session.FtpSession;

/** One server refusing its part in one FXP attempt, worded for the user. */
record Refusal(String site, String host, ServerKind kind, boolean passiveRole, String what, String evidence) {

    static Refusal of(FtpSession session, boolean passiveRole, String what, String evidence) {
        ServerKind kind = ServerKind.recognise(session.greeting(), evidence);
        return new Refusal(session.site().name(), session.site().host(), kind, passiveRole, what, evidence);
    }

    /** e.g. "vsftpd at 127.0.0.2 (src) refused PORT to a foreign address (500 Illegal PORT command.); allow it with port_promiscuous=YES in vsftpd.conf" */
    String describe() {
        String who = kind == ServerKind.UNKNOWN ? "server"
                : site.toLowerCase(java.util.Locale.ROOT).contains(kind.label.toLowerCase(java.util.Locale.ROOT))
                        ? "" : kind.label;
        String setting = passiveRole ? kind.passiveSetting() : kind.activeSetting();
        return (who.isEmpty() ? "" : who + " ") + site + " refused " + what + " (" + evidence + "); allow it with " + setting;
    }
}
