package io.sitebridge.core.session;

import java.io.IOException;
import java.net.Socket;

import org.apache.commons.net.ftp.FTPSClient;

final class TlsControlClient extends FTPSClient implements RawControl {
    private final ControlGuard guard = new ControlGuard(this);

    TlsControlClient(boolean implicit) {
        super("TLS", implicit);
    }

    @Override
    public ControlGuard guard() {
        return guard;
    }

    @Override
    public void sendWithoutReply(String... commands) throws IOException {
        ControlGuard.write(_controlOutput_, this, commands, this::fireCommandSent);
    }

    @Override
    public Socket openDataConnection(String command, String argument) throws IOException {
        return _openDataConnection_(command, argument);
    }

    @Override
    public int sendCommand(String command, String args) throws IOException {
        guard.sent(command);
        return super.sendCommand(command, args);
    }

    @Override
    public int getReply() throws IOException {
        java.io.BufferedReader current = _controlInput_; // null once closed (maybe by another thread)
        if (current != null) {
            _controlInput_ = guard.startReply(current, _socket_, getControlEncoding());
        }
        return super.getReply(); // a ReplyLimitException here: FtpSession cuts the server off
    }

    @Override
    protected Socket _openDataConnection_(String command, String arg) throws IOException {
        return guard.openData(() -> super._openDataConnection_(command, arg));
    }
}
