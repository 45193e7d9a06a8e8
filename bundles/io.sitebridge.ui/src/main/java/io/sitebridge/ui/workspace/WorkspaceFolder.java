package io.sitebridge.ui.workspace;

import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;

/**
 * The IDE's workspace as a pane source: its root folder on disk, browsed like local files, and
 * refreshed after a download into it so the Project Explorer sees the new files. Safe to call
 * anywhere: without {@code org.eclipse.core.resources} (the standalone product) there is no
 * workspace, and {@link WorkspaceResources}, the one class that refers to that bundle, is never
 * loaded.
 */
public final class WorkspaceFolder {

    /** The optional bundle the workspace comes from. */
    public static final String RESOURCES_BUNDLE = "org.eclipse.core.resources";

    private WorkspaceFolder() {
    }

    /** The IDE's bundle: the standalone product has org.eclipse.core.resources too (debug.core needs it), not this. */
    public static final String IDE_BUNDLE = "org.eclipse.ui.ide";

    /**
     * Whether this is an IDE with a workspace the user works in: org.eclipse.core.resources is
     * resolved, and so is org.eclipse.ui.ide (the standalone window's workspace is only its own
     * state folder, not one to offer).
     */
    public static boolean available() {
        return Platform.getBundle(RESOURCES_BUNDLE) != null && Platform.getBundle(IDE_BUNDLE) != null;
    }

    /** The workspace root folder on disk, if there is a workspace. */
    public static Optional<Path> root() {
        if (!available()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(WorkspaceResources.rootLocation());
        } catch (LinkageError | RuntimeException e) {
            ILog.of(WorkspaceFolder.class).warn("The workspace cannot be shown in a pane: " + e);
            return Optional.empty();
        }
    }

    /**
     * After a transfer into {@code local} (a file or a folder): refreshes the workspace resources
     * there, in a Job, so the IDE's views show them. Nothing happens outside the workspace.
     */
    public static void refreshLater(Path local, boolean folder) {
        if (!available()) {
            return;
        }
        try {
            WorkspaceResources.refreshLater(local, folder);
        } catch (LinkageError | RuntimeException e) {
            ILog.of(WorkspaceFolder.class).warn("The workspace could not be refreshed at " + local + ": " + e);
        }
    }
}
