package io.sitebridge.transfer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.engine.FileTransfer;

/**
 * For tests of the engine: copies one file between two sites in one call (opens a session to
 * each, runs the {@link FileTransfer} pipeline that the transfer queue runs for every file, closes
 * them) and returns what the pipeline noted on the way. The product copies through the queue.
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
        FileTransfer transfer = null;
        try {
            // Both logins at once: each can cost a server-side PAM round of tens of milliseconds.
            CompletableFuture<FtpSession> opening = CompletableFuture.supplyAsync(() -> {
                try {
                    return open(destination);
                } catch (TransferException e) {
                    throw new CompletionException(e);
                }
            }, runnable -> Thread.ofPlatform().daemon().name("sitebridge-login").start(runnable));
            try {
                src = open(source);
            } finally {
                dst = joinOpening(opening, src == null);
            }
            transfer = FileTransfer.between(src, dst, options, memory);
            return transfer.copy(sourcePath, destinationPath, listener);
        } finally {
            List<FtpSession> sessions = new ArrayList<>();
            if (transfer != null) {
                sessions.add(transfer.source().session());
                sessions.add(transfer.destination().session());
            }
            sessions.add(src);
            sessions.add(dst);
            closeAll(sessions);
        }
    }

    /** The destination session being opened; closed and dropped when the source failed. */
    private static FtpSession joinOpening(CompletableFuture<FtpSession> opening, boolean sourceFailed)
            throws TransferException {
        FtpSession session;
        try {
            session = opening.join();
        } catch (CompletionException e) {
            if (sourceFailed) {
                return null; // the source's error is the one reported
            }
            if (e.getCause() instanceof TransferException t) {
                throw t;
            }
            throw e;
        }
        if (sourceFailed) {
            session.close();
            return null;
        }
        return session;
    }

    /** QUIT on every distinct open session at once; close never throws. */
    private static void closeAll(List<FtpSession> sessions) {
        List<Thread> closing = new ArrayList<>();
        Set<FtpSession> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FtpSession s : sessions) {
            if (s != null && seen.add(s)) {
                closing.add(Thread.ofPlatform().daemon().name("sitebridge-quit").start(s::close));
            }
        }
        for (Thread t : closing) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
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
