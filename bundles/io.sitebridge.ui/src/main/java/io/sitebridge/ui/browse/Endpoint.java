package io.sitebridge.ui.browse;

import java.util.Objects;

/**
 * A place on one side of a transfer: a site of the registry (by its unique
 * name) or the local file system ({@link #LOCAL}), and a path there.
 */
public record Endpoint(String site, String path) {

    /** The pseudo site name of the local file system. */
    public static final String LOCAL = "Local files";

    /** The pseudo site name of the IDE's workspace folder (local files too; only where there is a workspace). */
    public static final String WORKSPACE = "Workspace";

    public Endpoint {
        Objects.requireNonNull(site);
        Objects.requireNonNull(path);
    }

    public boolean isLocal() {
        return isLocal(site);
    }

    /** Whether a pane's site name means files on this computer ({@link #LOCAL} or {@link #WORKSPACE}). */
    public static boolean isLocal(String site) {
        return LOCAL.equals(site) || WORKSPACE.equals(site);
    }

    public String name() {
        return Paths.nameOf(path);
    }

    public String parent() {
        return Paths.parentOf(path);
    }

    public Endpoint child(String name) {
        return new Endpoint(site, Paths.child(path, name));
    }

    public Endpoint withPath(String newPath) {
        return new Endpoint(site, newPath);
    }

    @Override
    public String toString() {
        return site + ":" + path;
    }
}
