package io.sitebridge.core.sites;

import java.io.IOException;

/**
 * The sites file cannot be read as saved sites (edited by hand, damaged). Nothing is written over
 * it while it is so: the user's sites are not lost, the message says where the problem is.
 */
public final class SiteFileException extends IOException {
    private static final long serialVersionUID = 1L;

    SiteFileException(String message) {
        super(message);
    }
}
