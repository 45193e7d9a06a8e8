package io.sitebridge.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;

import io.sitebridge.ui.SitebridgeUi;

/** Transfer > Clear Finished Transfers. */
public final class ClearFinishedHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        SitebridgeUi.getDefault().queue().clearFinished();
        return null;
    }
}
