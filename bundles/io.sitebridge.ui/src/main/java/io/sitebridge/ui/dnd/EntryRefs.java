package io.sitebridge.ui.dnd;

import java.util.List;

/**
 * What a drag or a copy carries: which pane and site the entries come from and
 * their paths. References only; the content never passes through the clipboard.
 *
 * @param pane    the secondary id of the pane they were dragged from ("left", "right", ...), or ""
 * @param site    the registry name of the site, or {@link io.sitebridge.ui.browse.Endpoint#LOCAL}
 * @param siteKey the site's {@code user@host:port}, so a drop can check it means the same server
 * @param entries the entries, with their full paths
 */
public record EntryRefs(String pane, String site, String siteKey, List<Ref> entries) {

    /** One dragged entry; {@code size} is -1 for folders and unknown sizes. */
    public record Ref(String path, boolean folder, long size) {
    }

    public EntryRefs {
        entries = List.copyOf(entries);
    }
}
