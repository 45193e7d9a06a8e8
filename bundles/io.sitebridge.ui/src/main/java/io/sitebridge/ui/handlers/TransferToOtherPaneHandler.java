package io.sitebridge.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.IWorkbenchPart;
import org.eclipse.ui.handlers.HandlerUtil;

import io.sitebridge.ui.views.SiteBrowserView;

/** Transfer > Transfer to Other Pane (F6): the keyboard's drag and drop. */
public final class TransferToOtherPaneHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        IWorkbenchPart part = HandlerUtil.getActivePart(event);
        if (part instanceof SiteBrowserView view) {
            view.transferToOtherPane();
        }
        return null;
    }
}
