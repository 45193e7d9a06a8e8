package io.sitebridge.transfer.queue;

import java.util.Objects;

import io.sitebridge.core.Site;

/**
 * One side of a queue item: an FTP {@link Site}, or this computer's file system. Remote to remote
 * is FXP (relay where FXP is refused); local to remote is an upload, remote to local a download
 * (see {@link LocalCopier}). The queue stores only {@link #key()}: a site's key, or
 * {@link #LOCAL_KEY}.
 */
public sealed interface Endpoint permits Endpoint.Remote, Endpoint.Local {

    /** The key under which queue items name the local file system (no FTP site has a key like it). */
    String LOCAL_KEY = "local:";

    String key();

    /** What the user calls it: the site's name, or "Local files". */
    String displayName();

    static Endpoint of(Site site) {
        return new Remote(site);
    }

    static Endpoint local() {
        return Local.INSTANCE;
    }

    static boolean isLocal(String key) {
        return LOCAL_KEY.equals(key);
    }

    /** An FTP site. */
    record Remote(Site site) implements Endpoint {
        public Remote {
            Objects.requireNonNull(site);
        }

        @Override
        public String key() {
            return site.key();
        }

        @Override
        public String displayName() {
            return site.name();
        }
    }

    /** This computer's file system; paths are absolute local paths. */
    final class Local implements Endpoint {
        static final Local INSTANCE = new Local();

        private Local() {
        }

        @Override
        public String key() {
            return LOCAL_KEY;
        }

        @Override
        public String displayName() {
            return "Local files";
        }

        @Override
        public String toString() {
            return LOCAL_KEY;
        }
    }
}
