package io.sitebridge.core;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * An FTP server the user works with: where it is, how to log in, and what the user
 * allows with it. Immutable; build one with {@link #builder(String)} and change one with
 * {@link #toBuilder()}.
 */
public final class Site {
    private final String name;
    private final String host;
    private final int port;
    private final String user;
    private final PasswordSource password;
    private final Security security;
    private final PassiveAddressPolicy passiveAddressPolicy;
    private final DataConnectionMode dataConnectionMode;
    private final Charset encoding;
    private final boolean fxpAllowed;
    private final boolean relayAllowed;
    private final int maxConnections;
    private final Timeouts timeouts;
    private final Duration keepAlive;
    private final String key; // asked for every file a queue moves: made once

    /** How often an idle connection is kept alive with NOOP unless the user chose otherwise. */
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

    private Site(Builder b) {
        this.name = b.name;
        this.host = Objects.requireNonNull(b.host, "host");
        this.port = b.port > 0 ? b.port : (b.security == Security.IMPLICIT_TLS ? 990 : 21);
        this.user = b.user == null ? "anonymous" : b.user;
        this.password = b.password == null ? PasswordSource.none() : b.password;
        this.security = b.security;
        this.passiveAddressPolicy = b.passiveAddressPolicy;
        this.dataConnectionMode = b.dataConnectionMode;
        this.encoding = b.encoding;
        this.fxpAllowed = b.fxpAllowed;
        this.relayAllowed = b.relayAllowed;
        if (b.maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        this.maxConnections = b.maxConnections;
        this.timeouts = b.timeouts;
        if (b.keepAlive.isNegative()) {
            throw new IllegalArgumentException("keepAlive must not be negative");
        }
        this.keepAlive = b.keepAlive;
        this.key = user + "@" + hostForDisplay() + ":" + port;
        if (host.isBlank() || host.indexOf('\r') >= 0 || host.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("bad host: " + host);
        }
    }

    public static Builder builder(String host) {
        return new Builder().host(host);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.host = host;
        b.port = port;
        b.user = user;
        b.password = password;
        b.security = security;
        b.passiveAddressPolicy = passiveAddressPolicy;
        b.dataConnectionMode = dataConnectionMode;
        b.encoding = encoding;
        b.fxpAllowed = fxpAllowed;
        b.relayAllowed = relayAllowed;
        b.maxConnections = maxConnections;
        b.timeouts = timeouts;
        b.keepAlive = keepAlive;
        return b;
    }

    /** The name the user gave the site; {@code user@host:port} when none was given. */
    public String name() {
        return name != null ? name : key;
    }

    public String host() { return host; }
    public int port() { return port; }
    public String user() { return user; }
    public PasswordSource password() { return password; }
    public Security security() { return security; }
    public PassiveAddressPolicy passiveAddressPolicy() { return passiveAddressPolicy; }
    public DataConnectionMode dataConnectionMode() { return dataConnectionMode; }
    public Charset encoding() { return encoding; }
    /** Whether this site may take part in server-to-server (FXP) transfers. */
    public boolean fxpAllowed() { return fxpAllowed; }
    /** Whether data may pass through this client when FXP is impossible. */
    public boolean relayAllowed() { return relayAllowed; }
    public int maxConnections() { return maxConnections; }
    public Timeouts timeouts() { return timeouts; }
    /**
     * How often a connection to this site that sits idle is kept alive with NOOP (servers drop
     * idle connections after their own timeout); zero: never.
     */
    public Duration keepAlive() { return keepAlive; }

    /**
     * Identity of the server account, independent of the display name: used to remember
     * what worked for a pair of sites.
     */
    public String key() {
        return key;
    }

    private String hostForDisplay() {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Site s && s.key().equals(key()) && Objects.equals(s.name, name) && s.security == security;
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return name();
    }

    public static final class Builder {
        private String name;
        private String host;
        private int port;
        private String user;
        private PasswordSource password;
        private Security security = Security.PLAIN;
        private PassiveAddressPolicy passiveAddressPolicy = PassiveAddressPolicy.CONTROL_ADDRESS;
        private DataConnectionMode dataConnectionMode = DataConnectionMode.AUTO;
        private Charset encoding = StandardCharsets.UTF_8;
        private boolean fxpAllowed = true;
        private boolean relayAllowed = true;
        private int maxConnections = 4;
        private Timeouts timeouts = Timeouts.DEFAULT;
        private Duration keepAlive = DEFAULT_KEEP_ALIVE;

        private Builder() {
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder host(String host) { this.host = host; return this; }
        /** 0 means the default port for the security (21, or 990 for implicit TLS). */
        public Builder port(int port) { this.port = port; return this; }
        public Builder user(String user) { this.user = user; return this; }
        public Builder password(PasswordSource password) { this.password = password; return this; }
        public Builder password(String password) { this.password = PasswordSource.of(password); return this; }
        public Builder security(Security security) { this.security = Objects.requireNonNull(security); return this; }
        public Builder passiveAddressPolicy(PassiveAddressPolicy p) { this.passiveAddressPolicy = Objects.requireNonNull(p); return this; }
        public Builder dataConnectionMode(DataConnectionMode m) { this.dataConnectionMode = Objects.requireNonNull(m); return this; }
        public Builder encoding(Charset encoding) { this.encoding = Objects.requireNonNull(encoding); return this; }
        public Builder fxpAllowed(boolean allowed) { this.fxpAllowed = allowed; return this; }
        public Builder relayAllowed(boolean allowed) { this.relayAllowed = allowed; return this; }
        public Builder maxConnections(int max) { this.maxConnections = max; return this; }
        public Builder timeouts(Timeouts timeouts) { this.timeouts = Objects.requireNonNull(timeouts); return this; }
        /** Zero turns keep-alive off. */
        public Builder keepAlive(Duration interval) { this.keepAlive = Objects.requireNonNull(interval); return this; }

        public Site build() {
            return new Site(this);
        }
    }
}
