package io.sitebridge.transfer.engine;

import java.util.Locale;

/**
 * The server software on the other end, as far as greetings and refusal texts tell, and
 * the setting that allows FXP on it. Used only to word diagnoses.
 */
enum ServerKind {
    VSFTPD("vsftpd"),
    PROFTPD("proftpd"),
    PUREFTPD("pure-ftpd"),
    APACHE_FTPSERVER("Apache FtpServer"),
    UNKNOWN("the server");

    final String label;

    ServerKind(String label) {
        this.label = label;
    }

    static ServerKind recognise(String greeting, String refusalText) {
        String g = greeting == null ? "" : greeting.toLowerCase(Locale.ROOT);
        if (g.contains("vsftpd")) {
            return VSFTPD;
        }
        if (g.contains("proftpd")) {
            return PROFTPD;
        }
        if (g.contains("pure-ftpd")) {
            return PUREFTPD;
        }
        if (g.contains("service ready for new user")) {
            return APACHE_FTPSERVER;
        }
        String r = refusalText == null ? "" : refusalText;
        if (r.contains("Security: Bad IP connecting.") || r.matches(".*Illegal (PORT|EPRT) command\\..*")) {
            return VSFTPD;
        }
        if (r.contains("Unable to build data connection") || r.matches(".*Illegal (PORT|EPRT) command$")) {
            return PROFTPD;
        }
        if (r.contains("I won't open a connection to")) {
            return PUREFTPD;
        }
        return UNKNOWN;
    }

    /** The setting that lets this server connect out to a foreign address (active side). */
    String activeSetting() {
        return switch (this) {
            case VSFTPD -> "port_promiscuous=YES in vsftpd.conf";
            case PROFTPD -> "AllowForeignAddress on in proftpd.conf";
            case PUREFTPD -> "the -W (FXP for everyone) or -w (FXP for logged-in users) option";
            case APACHE_FTPSERVER -> "its data connection configuration (active connections to foreign addresses)";
            case UNKNOWN -> "its FXP setting (PORT/EPRT to a foreign address)";
        };
    }

    /** The setting that lets this server accept a data connection from a foreign address (passive side). */
    String passiveSetting() {
        return switch (this) {
            case VSFTPD -> "pasv_promiscuous=YES in vsftpd.conf";
            case PROFTPD -> "AllowForeignAddress on in proftpd.conf";
            case PUREFTPD -> "the -W (FXP for everyone) or -w (FXP for logged-in users) option";
            case APACHE_FTPSERVER -> "its passive data connection IP check";
            case UNKNOWN -> "its FXP setting (passive connections from a foreign address)";
        };
    }
}
