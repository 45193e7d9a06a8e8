package io.sitebridge.core.session;

import java.time.Instant;

/**
 * One entry of a remote folder listing, from MLSD where the server offers it, else
 * from parsed LIST output.
 *
 * @param name        the name within its folder
 * @param type        file, folder, symbolic link or other
 * @param size        size in bytes, or -1 when unknown
 * @param modified    last modification time, or null when unknown
 * @param permissions {@code rwxr-x---} style when known, else the raw MLSD {@code perm} fact or ""
 * @param owner       owner name or id, or ""
 * @param group       group name or id, or ""
 * @param linkTarget  target of a symbolic link, or null
 */
public record RemoteEntry(String name, EntryType type, long size, Instant modified, String permissions,
        String owner, String group, String linkTarget) {

    public boolean isDirectory() { return type == EntryType.DIRECTORY; }
    public boolean isFile() { return type == EntryType.FILE; }
    public boolean isLink() { return type == EntryType.LINK; }
}
