package io.sitebridge.ui;

import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.sites.SiteRegistry;

/** The UI bundle: holds the sites the views show and installs the control-dialogue console. */
public class SitebridgeUi extends AbstractUIPlugin {

    public static final String PLUGIN_ID = "io.sitebridge.ui";

    private static volatile SitebridgeUi plugin;

    private final SiteRegistry sites = new SiteRegistry();

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        ControlDialogueConsole.uninstall();
        plugin = null;
        super.stop(context);
    }

    public static SitebridgeUi getDefault() {
        return plugin;
    }

    public SiteRegistry sites() {
        return sites;
    }
}
