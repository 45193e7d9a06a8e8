package io.sitebridge.ui.prefs;

import org.eclipse.jface.preference.IPreferenceStore;

import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.QueueOptions;

/** Preference keys of the UI bundle and typed access to them. */
public final class Prefs {

    public static final String PARALLEL = "transfers.parallel";
    public static final String ON_CONFLICT = "transfers.onConflict";
    public static final String VERIFY = "transfers.verify";
    public static final String RELAY_ALLOWED = "transfers.relayAllowed";
    public static final String CONFIRM_DELETE = "browser.confirmDelete";
    public static final String SHOW_HIDDEN = "browser.showHidden";
    public static final String CONSOLE_ON_TRANSFER = "console.showOnTransfer";
    public static final String LAST_PATH_PREFIX = "lastPath/";

    private Prefs() {
    }

    static void initDefaults(IPreferenceStore store) {
        store.setDefault(PARALLEL, 2);
        store.setDefault(ON_CONFLICT, ConflictRule.ASK.name());
        store.setDefault(VERIFY, false);
        store.setDefault(RELAY_ALLOWED, true);
        store.setDefault(CONFIRM_DELETE, true);
        store.setDefault(SHOW_HIDDEN, true);
        store.setDefault(CONSOLE_ON_TRANSFER, false);
    }

    public static IPreferenceStore store() {
        return SitebridgeUi.getDefault().getPreferenceStore();
    }

    public static int parallel() {
        return Math.max(1, Math.min(16, store().getInt(PARALLEL)));
    }

    /** The rule given to newly queued transfers (read at each drop, so a change applies at once). */
    public static ConflictRule onConflict() {
        try {
            return ConflictRule.valueOf(store().getString(ON_CONFLICT));
        } catch (IllegalArgumentException e) {
            return ConflictRule.ASK;
        }
    }

    /** How the workbench's queue works: read when it opens (at start-up). */
    public static QueueOptions queueOptions() {
        return QueueOptions.defaults().withParallel(parallel()).withDefaultRule(onConflict())
                .withTransfer(transferOptions());
    }

    public static TransferOptions transferOptions() {
        return TransferOptions.defaults().withVerify(store().getBoolean(VERIFY))
                .withRelayAllowed(store().getBoolean(RELAY_ALLOWED));
    }

    public static String lastPath(String site) {
        return store().getString(LAST_PATH_PREFIX + site);
    }

    public static void rememberPath(String site, String path) {
        store().setValue(LAST_PATH_PREFIX + site, path);
    }
}
