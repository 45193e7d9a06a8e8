package io.sitebridge.ui;

import org.eclipse.ui.IFolderLayout;
import org.eclipse.ui.IPageLayout;
import org.eclipse.ui.IPerspectiveFactory;
import org.eclipse.ui.console.IConsoleConstants;

import io.sitebridge.ui.views.SiteBrowserView;
import io.sitebridge.ui.views.TransferQueueView;

/** Two site browsers side by side; below them the control-dialogue console and the transfer queue. */
public class SiteToSitePerspective implements IPerspectiveFactory {

    public static final String ID = "io.sitebridge.ui.perspective";

    @Override
    public void createInitialLayout(IPageLayout layout) {
        layout.setEditorAreaVisible(false);
        String editorArea = layout.getEditorArea();
        IFolderLayout bottom = layout.createFolder("bottom", IPageLayout.BOTTOM, 0.58f, editorArea);
        bottom.addView(IConsoleConstants.ID_CONSOLE_VIEW);
        bottom.addPlaceholder("org.eclipse.ui.views.ProgressView");
        IFolderLayout queue = layout.createFolder("queue", IPageLayout.RIGHT, 0.5f, "bottom");
        queue.addView(TransferQueueView.ID);
        layout.addView(SiteBrowserView.ID + ":" + SiteBrowserView.LEFT, IPageLayout.LEFT, 0.5f, editorArea);
        // the editor area is hidden: the right browser takes all of what remains of it
        layout.addView(SiteBrowserView.ID + ":" + SiteBrowserView.RIGHT, IPageLayout.RIGHT, 0.05f, editorArea);
        layout.addShowViewShortcut(SiteBrowserView.ID);
        layout.addShowViewShortcut(TransferQueueView.ID);
        layout.addShowViewShortcut(IConsoleConstants.ID_CONSOLE_VIEW);
        layout.addPerspectiveShortcut(ID);
    }
}
