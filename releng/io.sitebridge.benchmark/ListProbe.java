import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPListParseEngine;

import io.sitebridge.core.PasswordSource;
import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.core.session.RemoteEntry;

/**
 * Benchmark probe for workload 3 (not part of the product): how fast Sitebridge lists a big
 * folder inside one JVM, without the CLI's start-up and printing, and how that time splits
 * into the LIST transfer and the parsing. Compiled and run by {@code run} against the jars of
 * the built product (plain classpath, no OSGi).
 *
 * <pre>java -cp ... ListProbe HOST PORT USER PASSWORD PATH ROUNDS</pre>
 *
 * Prints one {@code key=value} line per figure.
 */
public final class ListProbe {
    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        String user = a[2];
        String password = a[3];
        String path = a[4];
        int rounds = Integer.parseInt(a[5]);

        Site site = Site.builder(host).port(port).user(user).password(PasswordSource.of(password)).name("probe")
                .build();
        try (FtpSession session = FtpSession.open(site, new ControlDialogue(), false)) {
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                List<RemoteEntry> entries = session.list(path);
                long ns = System.nanoTime() - t0;
                report("session_list_" + i, entries.size(), ns);
            }
        }

        // The same listing split in two with commons-net, which FtpSession.list uses underneath:
        // the transfer (plus splitting into lines) and the parsing of the lines into entries.
        FTPClient client = new FTPClient();
        client.connect(host, port);
        try {
            if (!client.login(user, password)) {
                throw new IOException("login failed: " + client.getReplyString());
            }
            client.setFileType(FTP.BINARY_FILE_TYPE);
            client.enterLocalPassiveMode();
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                FTPListParseEngine engine = client.initiateListParsing(path);
                long t1 = System.nanoTime();
                FTPFile[] files = engine.getFiles();
                long t2 = System.nanoTime();
                report("transfer_" + i, files.length, t1 - t0);
                report("parse_" + i, files.length, t2 - t1);
            }
            client.logout();
        } finally {
            client.disconnect();
        }
    }

    private static void report(String key, int entries, long ns) {
        double s = ns / 1e9;
        System.out.printf(Locale.ROOT, "%s entries=%d ms=%.1f rate=%.0f%n", key, entries, s * 1000,
                entries / Math.max(s, 1e-9));
    }
}
