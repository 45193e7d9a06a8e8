package io.sitebridge.core.session;

import java.io.IOException;
import java.net.Socket;

/**
 * What our commons-net client subclasses add: writing a command without reading its
 * reply, so two servers can be told to transfer at (almost) the same moment and a
 * running transfer can be aborted while another thread waits for its reply.
 */
interface RawControl {
    /** Writes the commands in one write (so short ones leave in one TCP segment), reading no reply. */
    void sendWithoutReply(String... commands) throws IOException;

    /** Sends a data command (MLSD, ...) and opens its data connection; null if the server refused. */
    Socket openDataConnection(String command, String argument) throws IOException;

    /** Bounded replies and the PASV/EPSV fallback, shared by both clients. */
    ControlGuard guard();
}
