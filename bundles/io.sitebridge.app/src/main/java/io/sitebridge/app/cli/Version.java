package io.sitebridge.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * This bundle's version (its Bundle-Version, qualifier expanded), from {@code version.properties}
 * beside this class, which the build fills in; the same in the product's jar and in the tests'
 * class folder.
 */
final class Version {
    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // below
        }
        return "(unknown version: built without its version.properties)";
    }
}
