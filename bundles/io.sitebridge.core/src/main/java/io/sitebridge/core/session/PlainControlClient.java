package io.sitebridge.core.session;

import java.io.IOException;
import java.net.Socket;

import org.apache.commons.net.ftp.FTPClient;

final class PlainControlClient extends FTPClient implements RawControl {
    @Override
    public void sendWithoutReply(String command) throws IOException {
        synchronized (this) {
            _controlOutput_.write(command + "\r\n");
            _controlOutput_.flush();
        }
        fireCommandSent(command, command + "\r\n");
    }

    @Override
    public Socket openDataConnection(String command, String argument) throws IOException {
        return _openDataConnection_(command, argument);
    }
}
