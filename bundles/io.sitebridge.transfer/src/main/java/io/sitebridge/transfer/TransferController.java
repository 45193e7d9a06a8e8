package io.sitebridge.transfer;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;

/**
 * The one-call entry point for copying a file between two sites: opens a session to each,
 * runs an {@link FxpTransfer}, and closes them. Callers that already hold sessions (a
 * browser view, the transfer queue's pool) use {@link FxpTransfer} directly.
 */
public final class TransferController {
    private final ControlDialogue dialogue;
    private final StrategyMemory memory;
    private final boolean verifyCertificates;

    public TransferController(ControlDialogue dialogue, StrategyMemory memory, boolean verifyCertificates) {
        this.dialogue = dialogue;
        this.memory = memory;
        this.verifyCertificates = verifyCertificates;
    }

    public TransferController() {
        this(ControlDialogue.global(), StrategyMemory.global(), true);
    }

    /** Copies one file from {@code source} to {@code destination} and returns how it went. */
    public TransferResult copy(Site source, String sourcePath, Site destination, String destinationPath,
            TransferOptions options, TransferListener listener) throws TransferException {
        FtpSession src = null;
        FtpSession dst = null;
        FxpTransfer transfer = null;
        try {
            src = open(source);
            dst = open(destination);
            transfer = new FxpTransfer(src, dst, options, memory);
            return transfer.copy(sourcePath, destinationPath, listener);
        } finally {
            if (transfer != null) {
                transfer.source().close();
                transfer.destination().close();
            }
            if (src != null) {
                src.close();
            }
            if (dst != null) {
                dst.close();
            }
        }
    }

    private FtpSession open(Site site) throws TransferException {
        try {
            return FtpSession.open(site, dialogue, verifyCertificates);
        } catch (FtpException e) {
            throw new TransferException(TransferException.Reason.CONNECTION, site.name(), e.getMessage(), e);
        }
    }
}
