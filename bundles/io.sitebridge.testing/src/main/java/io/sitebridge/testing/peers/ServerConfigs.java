package io.sitebridge.testing.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import io.sitebridge.testing.peers.PeerConfig.Fxp;

/** Writes each server's config for one test and returns the command that starts it in the foreground. */
final class ServerConfigs {
    private ServerConfigs() {
    }

    private static boolean ipv6(String address) {
        return address.contains(":");
    }

    static List<String> vsftpd(Properties pr, String address, int[] ports, Path dir, Path root, PeerConfig c)
            throws IOException {
        StringBuilder conf = new StringBuilder();
        if (ipv6(address)) {
            conf.append("listen=NO\nlisten_ipv6=YES\nlisten_address6=").append(address).append('\n');
        } else {
            conf.append("listen=YES\nlisten_address=").append(address).append('\n');
        }
        conf.append("listen_port=").append(ports[0]).append('\n')
                .append("background=NO\nlocal_enable=YES\nwrite_enable=YES\nanonymous_enable=NO\n")
                .append("chroot_local_user=YES\nallow_writeable_chroot=YES\n")
                .append("local_root=").append(root).append('\n')
                .append("pasv_min_port=").append(ports[1]).append("\npasv_max_port=").append(ports[2]).append('\n')
                .append("seccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\n")
                .append("pam_service_name=sitebridge-vsftpd\n")
                .append("secure_chroot_dir=").append(pr.getProperty("empty")).append('\n')
                .append("connect_from_port_20=NO\nasync_abor_enable=YES\nlocal_umask=022\n")
                .append("xferlog_enable=NO\nmax_per_ip=").append(c.maxPerHost() > 0 ? c.maxPerHost() : 50).append('\n')
                .append("vsftpd_log_file=").append(dir.resolve("vsftpd.log")).append('\n');
        if (c.announce() != null) {
            conf.append("pasv_address=").append(c.announce()).append('\n');
        }
        if (c.fxp() == Fxp.ALLOWED) {
            conf.append("pasv_promiscuous=YES\nport_promiscuous=YES\n");
        } else if (c.fxp() == Fxp.PASSIVE_ONLY) {
            conf.append("pasv_promiscuous=YES\nport_promiscuous=NO\n");
        }
        if (c.rateKBps() > 0) {
            conf.append("local_max_rate=").append(c.rateKBps() * 1024).append('\n');
        }
        if (c.idleSeconds() > 0) {
            conf.append("idle_session_timeout=").append(c.idleSeconds()).append('\n');
        }
        if (c.tls()) {
            if (c.implicitTls()) {
                conf.append("implicit_ssl=YES\n");
            }
            conf.append("ssl_enable=YES\nrequire_ssl_reuse=NO\nforce_local_logins_ssl=NO\nforce_local_data_ssl=NO\n")
                    .append("ssl_ciphers=HIGH\n")
                    .append("rsa_cert_file=").append(pr.getProperty("cert")).append('\n')
                    .append("rsa_private_key_file=").append(pr.getProperty("key")).append('\n');
        }
        Path file = dir.resolve("vsftpd-" + ports[0] + ".conf");
        Files.writeString(file, conf);
        return RealPeers.list(pr.getProperty("vsftpd"), file.toString());
    }

    static List<String> proftpd(Properties pr, String address, int[] ports, Path dir, Path root, PeerConfig c)
            throws IOException {
        String tag = "proftpd-" + ports[0];
        StringBuilder conf = new StringBuilder();
        conf.append("ServerType standalone\nServerName \"sitebridge test\"\n")
                .append("UseIPv6 ").append(ipv6(address) ? "on" : "off").append('\n')
                .append("DefaultAddress ").append(address).append("\nSocketBindTight on\n")
                .append("Port ").append(ports[0]).append('\n')
                .append("User nobody\nGroup nogroup\nAuthPAM off\nRequireValidShell off\n")
                .append("DefaultRoot ").append(root).append('\n')
                .append("PassivePorts ").append(ports[1]).append(' ').append(ports[2]).append('\n')
                .append("AllowOverwrite on\nAllowStoreRestart on\nAllowRetrieveRestart on\nDelayEngine off\n")
                .append("UseReverseDNS off\nUmask 022\nWtmpLog off\nTransferLog NONE\nMaxInstances 60\n")
                .append("PidFile ").append(dir.resolve(tag + ".pid")).append('\n')
                .append("ScoreboardFile ").append(dir.resolve(tag + ".scoreboard")).append('\n')
                .append("SystemLog ").append(dir.resolve(tag + ".log")).append('\n')
                .append("ModulePath ").append(pr.getProperty("proftpd_modules")).append('\n')
                .append("LoadModule mod_digest.c\n");
        if (c.announce() != null) {
            conf.append("MasqueradeAddress ").append(c.announce()).append('\n');
        }
        if (c.fxp() == Fxp.ALLOWED) {
            conf.append("AllowForeignAddress on\n");
        }
        if (c.maxPerHost() > 0) {
            conf.append("MaxClientsPerHost ").append(c.maxPerHost()).append('\n');
        }
        if (c.rateKBps() > 0) {
            conf.append("TransferRate RETR,STOR ").append(c.rateKBps()).append('\n');
        }
        if (c.tls()) {
            conf.append("LoadModule mod_tls.c\n<IfModule mod_tls.c>\nTLSEngine on\nTLSRequired off\n")
                    .append("TLSProtocol TLSv1.2\n")
                    .append("TLSRSACertificateFile ").append(pr.getProperty("cert")).append('\n')
                    .append("TLSRSACertificateKeyFile ").append(pr.getProperty("key")).append('\n')
                    .append("TLSOptions NoSessionReuseRequired").append(c.implicitTls() ? " UseImplicitSSL" : "")
                    .append("\nTLSVerifyServer off\nTLSVerifyClient off\n")
                    .append("TLSLog ").append(dir.resolve(tag + "-tls.log")).append("\n</IfModule>\n");
        }
        Path file = dir.resolve(tag + ".conf");
        Files.writeString(file, conf);
        return RealPeers.list(pr.getProperty("proftpd"), "-n", "-c", file.toString());
    }

    static List<String> pureftpd(Properties pr, String address, int[] ports, Path dir, Path root, PeerConfig c)
            throws IOException {
        String tag = "pure-" + ports[0];
        // account:hash:uid:gid:gecos:home + 12 empty fields (bandwidth, ratios, quotas, IP and time limits)
        String line = String.join(":", pr.getProperty("user"), pr.getProperty("pure_hash"), pr.getProperty("uid"),
                pr.getProperty("gid"), "", root + "/./", "", "", "", "", "", "", "", "", "", "", "", "") + "\n";
        Path passwd = dir.resolve(tag + ".passwd");
        Path pdb = dir.resolve(tag + ".pdb");
        Files.writeString(passwd, line);
        try {
            Process p = new ProcessBuilder(pr.getProperty("purepw"), "mkdb", pdb.toString(), "-f", passwd.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("pure-pw mkdb failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        List<String> cmd = RealPeers.list(pr.getProperty("pureftpd"), "-S", address + "," + ports[0],
                "-p", ports[1] + ":" + ports[2], "-l", "puredb:" + pdb, "-A", "-E", "-H", "-c", "60", "-C",
                String.valueOf(c.maxPerHost() > 0 ? c.maxPerHost() : 60));
        if (c.fxp() == Fxp.ALLOWED) {
            cmd.add("-W");
        }
        if (c.announce() != null) {
            cmd.add("-P");
            cmd.add(c.announce());
        }
        if (c.rateKBps() > 0) {
            cmd.add("-t");
            cmd.add(String.valueOf(c.rateKBps()));
            cmd.add("-T");
            cmd.add(String.valueOf(c.rateKBps()));
        }
        if (c.tls()) {
            if (c.implicitTls()) {
                throw new IllegalArgumentException("pure-ftpd has no implicit FTPS");
            }
            cmd.add("-Y");
            cmd.add("1");
            cmd.add("-2");
            cmd.add(pr.getProperty("cert") + "," + pr.getProperty("key"));
        }
        return cmd;
    }
}
