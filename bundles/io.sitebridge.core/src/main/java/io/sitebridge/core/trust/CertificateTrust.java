package io.sitebridge.core.trust;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Whether to trust a server's TLS certificate, the same way for every session of the process
 * (panes, transfers, the session pool's reconnects, the command line):
 * <ol>
 * <li>trusted by the JVM's trust store, host name included: accepted;</li>
 * <li>pinned for this server ({@link CertificatePins}) and the same: accepted without a word;</li>
 * <li>pinned and different: refused, loudly, naming both fingerprints; only an explicit choice of
 * the new certificate ({@link CertificateAsker#replacePin}) replaces the pin;</li>
 * <li>otherwise the {@link CertificateAsker} decides: trust once (accepted for this server until the
 * process ends, never asked again), trust always (pinned) or refuse.</li>
 * </ol>
 * Servers are keyed {@code host:port}. Questions about one server are asked one at a time: sessions
 * that connect at once wait for the first answer.
 */
public final class CertificateTrust {
    private static volatile CertificateAsker asker = CertificateAsker.REFUSE;
    /** Null: {@link CertificatePins#inUserFolder()}, looked up on every decision. */
    private static volatile CertificatePins pins;
    /** Fingerprints trusted once, per server, for this process. */
    private static final Map<String, Set<String>> ONCE = new ConcurrentHashMap<>();
    private static final Map<String, Object> ASKING = new ConcurrentHashMap<>();

    private CertificateTrust() {
    }

    /** Who decides about untrusted certificates from now on (the application's dialog, the command line). */
    public static void setAsker(CertificateAsker a) {
        asker = a == null ? CertificateAsker.REFUSE : a;
    }

    public static CertificateAsker asker() {
        return asker;
    }

    /**
     * Where pins are kept from now on; null for {@link CertificatePins#inUserFolder()} (the default).
     * The command line names the user folder its environment gives.
     */
    public static void usePins(CertificatePins p) {
        pins = p;
    }

    /** The pins decisions use now. */
    public static CertificatePins pins() {
        CertificatePins p = pins;
        return p != null ? p : CertificatePins.inUserFolder();
    }

    /** Forgets every "trust once" of this process (tests that play a restart). */
    public static void forgetTrustedOnce() {
        ONCE.clear();
    }

    /** The key of a server: {@code host:port}, an IPv6 address in brackets. */
    public static String serverKey(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h + ":" + port;
    }

    /** The trust manager for a TLS connection to {@code host:port}. */
    public static TrustManager forServer(String host, int port) {
        return new Manager(serverKey(host, port), system());
    }

    private static X509ExtendedTrustManager system() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509 trust manager in this JVM");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the JVM's trust store", e);
        }
    }

    /** The decision for a certificate the JVM does not trust; returns when accepted. */
    static void decide(String server, X509Certificate leaf) throws CertificateException {
        UntrustedCertificate cert = UntrustedCertificate.of(server, leaf);
        String fp = cert.fingerprint();
        CertificatePins pins = pins();
        synchronized (ASKING.computeIfAbsent(server, k -> new Object())) {
            String pinned = pins.pinned(server).orElse(null);
            if (fp.equals(pinned)) {
                return;
            }
            if (pinned != null) {
                if (asker.replacePin(pinned, cert)) {
                    pin(pins, server, fp);
                    return;
                }
                throw new CertificateRefusal(cert, pinned);
            }
            if (ONCE.getOrDefault(server, Set.of()).contains(fp)) {
                return;
            }
            switch (asker.ask(cert)) {
                case TRUST_ONCE -> ONCE.computeIfAbsent(server, k -> ConcurrentHashMap.newKeySet()).add(fp);
                case TRUST_ALWAYS -> pin(pins, server, fp);
                case REFUSE -> throw new CertificateRefusal(cert, null);
            }
        }
    }

    private static void pin(CertificatePins pins, String server, String fp) throws CertificateException {
        try {
            pins.pin(server, fp);
        } catch (IOException e) {
            // the user's choice stands for this process even when it cannot be kept
            ONCE.computeIfAbsent(server, k -> ConcurrentHashMap.newKeySet()).add(fp);
            throw new CertificateException("cannot keep the trusted certificate in " + pins.file() + ": " + e, e);
        }
    }

    private static final class Manager extends X509ExtendedTrustManager {
        private final String server;
        private final X509ExtendedTrustManager system;

        Manager(String server, X509ExtendedTrustManager system) {
            this.server = server;
            this.system = system;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType, socket); // chain and host name
            } catch (CertificateException notSystemTrusted) {
                decide(server, leaf(chain, notSystemTrusted));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException notSystemTrusted) {
                decide(server, leaf(chain, notSystemTrusted));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType);
            } catch (CertificateException notSystemTrusted) {
                decide(server, leaf(chain, notSystemTrusted));
            }
        }

        private static X509Certificate leaf(X509Certificate[] chain, CertificateException e) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw e;
            }
            return chain[0];
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client never checks client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client never checks client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client never checks client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }
}
