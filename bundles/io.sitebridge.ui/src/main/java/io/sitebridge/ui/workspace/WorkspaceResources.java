package io.sitebridge.ui.workspace;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.resources.IContainer;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Every reference to {@code org.eclipse.core.resources} (an optional dependency): loaded only
 * through {@link WorkspaceFolder}, and only when that bundle is there.
 */
final class WorkspaceResources {

    /** Folders to refresh (true: with everything below), collected so a burst of downloads costs one job. */
    private static final Map<Path, Boolean> PENDING = new LinkedHashMap<>();

    private static final Job REFRESH = new Job("Refreshing the workspace after downloads") {
        @Override
        protected IStatus run(IProgressMonitor monitor) {
            Map<Path, Boolean> todo;
            synchronized (PENDING) {
                todo = new LinkedHashMap<>(PENDING);
                PENDING.clear();
            }
            IWorkspace workspace = ResourcesPlugin.getWorkspace();
            for (Map.Entry<Path, Boolean> e : todo.entrySet()) {
                for (IContainer c : workspace.getRoot().findContainersForLocationURI(e.getKey().toUri())) {
                    try {
                        c.refreshLocal(e.getValue() ? IResource.DEPTH_INFINITE : IResource.DEPTH_ONE, monitor);
                    } catch (CoreException ex) {
                        return new Status(IStatus.WARNING, "io.sitebridge.ui", "Refreshing " + c.getFullPath()
                                + " failed", ex);
                    }
                }
            }
            return Status.OK_STATUS;
        }
    };

    static {
        REFRESH.setSystem(true);
    }

    private WorkspaceResources() {
    }

    static Path rootLocation() {
        IPath location = ResourcesPlugin.getWorkspace().getRoot().getLocation();
        return location == null ? null : location.toPath();
    }

    static void refreshLater(Path local, boolean folder) {
        Path root = rootLocation();
        Path target = local.toAbsolutePath().normalize();
        if (root == null || !target.startsWith(root) || target.equals(root)) {
            return;
        }
        synchronized (PENDING) {
            // a new file: its folder's members; a new folder: the folder's parent with everything below
            PENDING.merge(target.getParent(), folder, Boolean::logicalOr);
        }
        REFRESH.schedule(200);
    }
}
