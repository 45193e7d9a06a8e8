package io.sitebridge.ui.queue;

import io.sitebridge.ui.browse.Endpoint;

/**
 * One thing the user asked to move: a file or a folder from one endpoint to
 * another (the destination path is the full path of the new file or folder).
 *
 * @param size the source size in bytes, -1 when unknown or a folder
 */
public record TransferRequest(Endpoint from, Endpoint to, boolean folder, long size) {
}
