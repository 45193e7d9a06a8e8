package io.sitebridge.transfer;

import java.time.Duration;
import java.util.Objects;

import io.sitebridge.core.DataConnectionMode;

/**
 * What the user asked for one transfer.
 *
 * @param verify         also compare content when the servers offer no common hash: both
 *                       files are read through the client and their SHA-256 compared
 *                       (SIZE, and a common server hash when there is one, are always checked)
 * @param relayAllowed   may the data pass through this client when FXP is refused
 * @param fxpAllowed     try FXP at all (false: relay directly)
 * @param clearDataAllowed with FTPS on both sides and no server able to be the TLS client
 *                       (SSCN/CPSV), may FXP data go unprotected (PROT C)
 * @param dataMode       PASV/PORT, EPSV/EPRT, or automatic (EPSV/EPRT on IPv6)
 * @param firstPassiveSide which server listens in the first attempt, unless a remembered
 *                       strategy says otherwise. The default is the source: the sending server
 *                       closes the data connection first, so its end stays in TIME_WAIT for a
 *                       minute. Listening, it keeps those on its passive ports, where they cost
 *                       nothing; connecting, it spends an ephemeral port on each (vsftpd binds
 *                       port 0 before it connects), and a few thousand small files later every
 *                       connection has to hunt for a free port. vsftpd to proftpd, 1000 files of
 *                       4 KiB run after run: 0.8 s growing to 1.9 s with the destination
 *                       listening, 0.8-1.0 s throughout with the source listening.
 * @param acceptTimeout  how long a server may take to start the transfer (its 150, or any
 *                       reply) before we call it a silent refusal
 * @param transferTimeout how long to wait for the final replies of a running transfer
 * @param drainTimeout   how long to wait for a server to settle after ABOR before reconnecting
 * @param keepTimes      give each copy its source's modification time where the destination can
 *                       set it ({@link io.sitebridge.transfer.engine.Place#setModified}), as lftp's
 *                       mirror does; the source's size and time are asked again after the copy, and
 *                       a source that changed during it fails the copy (on for the copies of a
 *                       mirror: {@link io.sitebridge.transfer.queue.QueueItem#keepTimes()})
 */
public record TransferOptions(boolean verify, boolean relayAllowed, boolean fxpAllowed, boolean clearDataAllowed,
        DataConnectionMode dataMode, PassiveSide firstPassiveSide, Duration acceptTimeout, Duration transferTimeout,
        Duration drainTimeout, boolean keepTimes) {

    public static final TransferOptions DEFAULT = new TransferOptions(false, true, true, false,
            DataConnectionMode.AUTO, PassiveSide.SOURCE, Duration.ofSeconds(10), Duration.ofMinutes(30),
            Duration.ofSeconds(5), false);

    public TransferOptions {
        Objects.requireNonNull(dataMode);
        Objects.requireNonNull(firstPassiveSide);
        Objects.requireNonNull(acceptTimeout);
        Objects.requireNonNull(transferTimeout);
        Objects.requireNonNull(drainTimeout);
    }

    public static TransferOptions defaults() { return DEFAULT; }

    public TransferOptions withVerify(boolean v) { return new TransferOptions(v, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withRelayAllowed(boolean v) { return new TransferOptions(verify, v, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withFxpAllowed(boolean v) { return new TransferOptions(verify, relayAllowed, v, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withClearDataAllowed(boolean v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, v, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withDataMode(DataConnectionMode v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, v, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withFirstPassiveSide(PassiveSide v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, v, acceptTimeout, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withAcceptTimeout(Duration v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, v, transferTimeout, drainTimeout, keepTimes); }
    public TransferOptions withTransferTimeout(Duration v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, v, drainTimeout, keepTimes); }
    public TransferOptions withKeepTimes(boolean v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, drainTimeout, v); }
    public TransferOptions withDrainTimeout(Duration v) { return new TransferOptions(verify, relayAllowed, fxpAllowed, clearDataAllowed, dataMode, firstPassiveSide, acceptTimeout, transferTimeout, v, keepTimes); }
}
