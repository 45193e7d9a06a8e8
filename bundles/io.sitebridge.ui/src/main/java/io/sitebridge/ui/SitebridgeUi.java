package io.sitebridge.ui;

import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.osgi.framework.BundleContext;

import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.prefs.Prefs;
import io.sitebridge.ui.queue.TransferQueue;
import io.sitebridge.ui.queue.UiTransferQueue;
import io.sitebridge.ui.sites.SiteRegistry;
import io.sitebridge.ui.sites.SiteStore;

/**
 * The UI bundle: holds the sites the views show, the transfer queue, and
 * installs the control-dialogue console.
 */
public class SitebridgeUi extends AbstractUIPlugin {

    public static final String PLUGIN_ID = "io.sitebridge.ui";

    public static final String IMG_SITE = "site";
    public static final String IMG_REFRESH = "refresh";
    public static final String IMG_NEW_FOLDER = "newfolder";
    public static final String IMG_TRANSFER = "transfer";
    public static final String IMG_RENAME = "rename";

    private static volatile SitebridgeUi plugin;

    private final SiteRegistry sites = new SiteRegistry();
    private TransferQueue queue;

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
        sites.attach(new SiteStore());
        queue = new UiTransferQueue(sites::byName, Prefs::parallel, Prefs::transferOptions);
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

    public TransferQueue queue() {
        return queue;
    }

    @Override
    protected void initializeImageRegistry(ImageRegistry reg) {
        for (String key : new String[] { IMG_REFRESH, IMG_NEW_FOLDER, IMG_TRANSFER, IMG_RENAME }) {
            reg.put(key, imageDescriptorFromPlugin(PLUGIN_ID, "icons/" + key + ".png"));
        }
        reg.put(IMG_SITE, imageDescriptorFromPlugin(PLUGIN_ID, "icons/sitebridge16.png"));
    }

    public static ImageDescriptor descriptor(String path) {
        return imageDescriptorFromPlugin(PLUGIN_ID, path);
    }
}
