package io.sitebridge.core;

/**
 * Where a site's password comes from (a secure store, an environment variable, a
 * prompt). Asked each time a session logs in, so the password need not live in memory
 * longer than the login. Callers may clear the returned array after use.
 */
@FunctionalInterface
public interface PasswordSource {
    char[] password();

    /** A source that always answers with the given password (tests, anonymous logins). */
    static PasswordSource of(String password) {
        return () -> password.toCharArray();
    }

    static PasswordSource none() {
        return () -> new char[0];
    }
}
