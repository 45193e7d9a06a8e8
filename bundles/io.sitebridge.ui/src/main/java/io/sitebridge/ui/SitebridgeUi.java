package io.sitebridge.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.ILog;
import org.eclipse.jface.resource.ImageDescriptor;
import org.eclipse.jface.resource.ImageRegistry;
import org.eclipse.ui.plugin.AbstractUIPlugin;
import org.eclipse.core.runtime.jobs.Job;
import org.osgi.framework.BundleContext;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.trust.CertificateTrust;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueListener;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;
import io.sitebridge.ui.console.ControlDialogueConsole;
import io.sitebridge.ui.prefs.Prefs;
import io.sitebridge.ui.queue.ConflictPrompt;
import io.sitebridge.ui.sites.SiteRegistry;
import io.sitebridge.ui.sites.SiteStore;
import io.sitebridge.ui.trust.UiCertificateAsker;
import io.sitebridge.ui.workspace.WorkspaceFolder;

/**
 * The UI bundle: holds the sites the views show and the workbench's one transfer queue (the
 * transfer bundle's, kept in this bundle's state location so it survives restarts), and
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
    private final ConflictPrompt conflicts = new ConflictPrompt();
    private TransferQueue queue;
    private final AtomicBoolean staleChecked = new AtomicBoolean();

    @Override
    public void start(BundleContext context) throws Exception {
        super.start(context);
        plugin = this;
        CertificateTrust.setAsker(new UiCertificateAsker()); // every session of the workbench asks the user
        SiteStore store = new SiteStore();
        sites.attach(store);
        if (store.hasOldSites()) {
            moveOldSites(store);
        }
        queue = openQueue();
        queue.setConflictResolver(conflicts);
        queue.addListener(conflicts);
        if (WorkspaceFolder.available()) {
            queue.addListener(new QueueListener() {
                @Override
                public void itemChanged(QueueItem item) {
                    // a download into the IDE's workspace: refresh there so the Project Explorer shows it
                    if (item.parentId() == 0 && item.state().isFinished() && Endpoint.isLocal(item.destinationSite())) {
                        WorkspaceFolder.refreshLater(Path.of(item.destinationPath()), item.isFolder());
                    }
                }
            });
        }
        queue.start();
    }

    /**
     * Sites saved by an earlier version (preferences and secure storage) move into the store the
     * command line shares, once: in a job, which runs after the workbench has started (secure
     * storage fails to open while the platform is still starting).
     */
    private void moveOldSites(SiteStore store) {
        Job move = Job.create("Moving the saved sites to " + store.file(), monitor -> {
            try {
                if (store.moveOldSites() > 0) {
                    sites.reload();
                }
            } catch (IOException e) {
                getLog().error("The sites saved by an earlier version stay where they were; moving them failed: "
                        + e.getMessage(), e);
            }
        });
        move.setSystem(true);
        move.schedule();
    }

    /** On the state location; if that cannot be used, in a temporary folder (the queue then lives for this run). */
    private TransferQueue openQueue() throws IOException {
        SiteDirectory directory = this::siteByKey;
        Path state;
        try {
            state = getStateLocation().toFile().toPath().resolve("queue");
            Files.createDirectories(state);
        } catch (IOException | IllegalStateException e) {
            ILog.of(getClass()).warn("The transfer queue cannot be kept in the state location: " + e);
            state = Files.createTempDirectory("sitebridge-queue");
        }
        return TransferQueue.open(state, directory, Prefs.queueOptions(), ControlDialogue.global(),
                StrategyMemory.inFolder(state.getParent()));
    }

    /** The configured site with this key (the queue's items name sites by key). */
    public Optional<Site> siteByKey(String key) {
        return sites.all().stream().filter(s -> s.key().equals(key)).findFirst();
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        ControlDialogueConsole.uninstall();
        TransferQueue q = queue;
        if (q != null) {
            q.close(); // running transfers stop; they are in the journal for the next start
        }
        CertificateTrust.setAsker(null);
        plugin = null;
        super.stop(context);
    }

    public static SitebridgeUi getDefault() {
        return plugin;
    }

    public SiteRegistry sites() {
        return sites;
    }

    /** The workbench's transfer queue: the one source of truth for transfers; views observe it. */
    public TransferQueue queue() {
        return queue;
    }

    /**
     * Once per run, when the first Sitebridge view opens (by then the application has registered
     * its sites, the demo's too): waiting items of an earlier run whose site is not configured any
     * more (a demo server of another run, on another port; a removed site) fail with a reason the
     * user can read, instead of waiting silently forever. Retry puts them back.
     */
    public void failItemsOfUnknownSites() {
        TransferQueue q = queue;
        if (q == null || !staleChecked.compareAndSet(false, true)) {
            return;
        }
        List<QueueItem> failed = q.failUnknownSites(SitebridgeUi::unknownSiteReason);
        if (!failed.isEmpty()) {
            ILog.of(getClass()).info(failed.size() + " queued transfer(s) of an earlier run failed: their site is"
                    + " no longer configured");
        }
    }

    /** Why an item of an unknown site failed ({@code key} is all the queue kept of the site: user@host:port). */
    public static String unknownSiteReason(String key) {
        return "site " + key + " is no longer configured: remove the item, or add the site again and retry";
    }

    /** Asks the user about conflicts; drops and pastes register their batches here. */
    public ConflictPrompt conflicts() {
        return conflicts;
    }

    /** The queue's endpoint for a pane's site name ({@link io.sitebridge.ui.browse.Endpoint#LOCAL}: local files). */
    public Optional<Endpoint> endpoint(String siteName) {
        if (io.sitebridge.ui.browse.Endpoint.isLocal(siteName)) {
            return Optional.of(Endpoint.local());
        }
        return sites.byName(siteName).map(Endpoint::of);
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
