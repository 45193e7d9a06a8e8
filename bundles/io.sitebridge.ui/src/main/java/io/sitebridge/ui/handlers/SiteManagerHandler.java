package io.sitebridge.ui.handlers;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.ui.handlers.HandlerUtil;

import io.sitebridge.ui.sites.SiteManagerDialog;

/** Sites > Site Manager. */
public final class SiteManagerHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        new SiteManagerDialog(HandlerUtil.getActiveShell(event)).open();
        return null;
    }
}
