package io.sitebridge.core.session;

import java.io.IOException;

/**
 * What our commons-net client subclasses add: writing a command without reading its
 * reply, so two servers can be told to transfer at (almost) the same moment and a
 * running transfer can be aborted while another thread waits for its reply.
 */
interface RawControl {
    void sendWithoutReply(String command) throws IOException;
}
