package io.sitebridge.ui.queue;

import java.util.Locale;

import io.sitebridge.core.Site;
import io.sitebridge.transfer.queue.Endpoint;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.browse.Paths;

/** How the views name the transfer queue's items: in the user's words, with site names instead of keys. */
public final class QueueLabels {

    private QueueLabels() {
    }

    /** FXP, Upload, Download or Folder. */
    public static String kind(QueueItem item) {
        String how = Endpoint.isLocal(item.sourceSite()) ? "Upload"
                : Endpoint.isLocal(item.destinationSite()) ? "Download" : "FXP";
        return item.isFolder() ? how + " folder" : how;
    }

    public static String state(ItemState state) {
        return state(state.name());
    }

    /** An enum constant's name as a word: RUNNING is "Running". */
    public static String state(String constant) {
        String s = constant.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The site's name in the registry (the first with that key), "Local files", or the key itself. */
    public static String site(String key) {
        if (Endpoint.isLocal(key)) {
            return io.sitebridge.ui.browse.Endpoint.LOCAL;
        }
        SitebridgeUi ui = SitebridgeUi.getDefault();
        if (ui != null) {
            for (Site s : ui.sites().all()) {
                if (s.key().equals(key)) {
                    return s.name();
                }
            }
        }
        return key;
    }

    /** "Site /folder" for a path's folder. */
    public static String where(String siteKey, String path) {
        return site(siteKey) + " " + io.sitebridge.core.ServerText.printable(Paths.parentOf(path));
    }
}
