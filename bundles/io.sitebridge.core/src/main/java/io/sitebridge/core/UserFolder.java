package io.sitebridge.core;

import java.nio.file.Path;
import java.util.Map;

/**
 * The per-user folder that the application, the plug-ins in an IDE and the command line share:
 * saved sites, trusted certificates, the command line's queue. It is {@code $SITEBRIDGE_HOME},
 * else {@code ${XDG_DATA_HOME:-$HOME/.local/share}/sitebridge} (the start script computes the same).
 * The system property {@value #PROPERTY} overrides both (tests, a second profile).
 */
public final class UserFolder {

    /** The system property that, when set, names the folder. */
    public static final String PROPERTY = "sitebridge.home";

    private UserFolder() {
    }

    /** The folder for this process: the system property, else from its environment. */
    public static Path current() {
        String set = System.getProperty(PROPERTY);
        if (set != null && !set.isBlank()) {
            return Path.of(set);
        }
        return of(System.getenv());
    }

    /** The folder that the environment {@code env} names. */
    public static Path of(Map<String, String> env) {
        String home = env.get("SITEBRIDGE_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String data = env.get("XDG_DATA_HOME");
        if (data == null || data.isBlank()) {
            String user = env.get("HOME");
            data = Path.of(user == null || user.isBlank() ? System.getProperty("user.home") : user, ".local", "share")
                    .toString();
        }
        return Path.of(data, "sitebridge");
    }
}
