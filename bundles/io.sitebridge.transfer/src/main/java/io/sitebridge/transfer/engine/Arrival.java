package io.sitebridge.transfer.engine;

import java.time.Duration;
import java.util.function.Consumer;

import io.sitebridge.core.ServerText;
import io.sitebridge.core.session.FtpException;
import io.sitebridge.core.session.FtpReply;
import io.sitebridge.core.session.FtpSession;
import io.sitebridge.transfer.TransferException;

/**
 * The end of an FXP copy that its caller does not wait for: the destination's final reply to the
 * transfer and its reply to the SIZE sent behind the STOR, owed on the destination's control
 * connection ({@link FtpSession#owe}) and read with whatever that session reads next, normally
 * the next file's replies. So the next file's commands go out as soon as the source has sent
 * this file, not a round trip later, when the destination has said it has it all.
 *
 * <p>The copy is done only when both replies came and say every byte arrived: 226 (or 250), and
 * the source's size. Anything else, or a connection that broke or closed first, fails it as
 * worth another attempt; the next attempt finds the file complete by its size, or resumes it.
 * Only a new file of a first attempt, with nothing else to check and at most {@link #MAX_BYTES}
 * long, ends this way (see {@link FileTransfer.Request#finishLater}): there is no replacement to
 * make, no debris a later attempt would not deal with, and the rest of the transfer after the
 * source's final reply is short.
 */
public final class Arrival {
    /** The longest file whose end may be read later: what is still under way once the source has sent it all is short. */
    public static final long MAX_BYTES = 1 << 20;

    private final String site;
    private final String path;
    private final long size;
    private FtpSession session;
    /** How long each owed reply may take once the ones before it came. */
    private Duration within;
    /** Replies owed and not yet read. */
    private int owed;
    private boolean sealed;
    private TransferException failure;
    private Consumer<TransferException> then;

    Arrival(String site, String path, long size) {
        this.site = site;
        this.path = path;
        this.size = size;
    }

    /** The destination's session the replies are owed on (null until {@link #deferred()}). */
    public synchronized FtpSession session() {
        return session;
    }

    /** Whether the transfer's final reply was left owed ({@link #finalReplyLater}). */
    synchronized boolean deferred() {
        return session != null;
    }

    /** The destination's final reply to the transfer is read later, on {@code destination}, within {@code within}. */
    void finalReplyLater(FtpSession destination, Duration within) {
        synchronized (this) {
            session = destination;
            this.within = within;
            owed++;
        }
        destination.owe(within, new FtpSession.OwedReply() {
            @Override
            public void arrived(FtpReply r) {
                int code = r.code();
                String why = code == 226 || code == 250 ? null
                        : "the transfer broke off: " + site + " answered " + ServerText.quote(r.toString(), 80)
                                + (r.isPreliminary() ? FxpAttempt.PRELIMINARY_AS_FINAL : "");
                known(why == null ? null : new TransferException(TransferException.Reason.CONNECTION, site, why));
            }

            @Override
            public void lost(String why) {
                known(lostReply("the final reply to the transfer", why));
            }
        });
    }

    /**
     * The reply to the SIZE sent behind the transfer is read later too (within the final reply's
     * time) and checked against the source's size. False when that SIZE was not sent ahead (or is
     * not next): the caller then reads what is owed now ({@link #awaitNow}) and asks SIZE itself.
     */
    boolean sizeLater() {
        FtpSession s;
        synchronized (this) {
            s = session;
            owed++;
        }
        boolean behind = s.oweAhead("SIZE " + path, within, new FtpSession.OwedReply() {
            @Override
            public void arrived(FtpReply r) {
                if (r.code() != 213) {
                    known(new TransferException(TransferException.Reason.CONNECTION, site, site + " answered "
                            + ServerText.quote(r.toString(), 80) + " to the SIZE of " + path
                            + " sent behind its transfer"));
                    return;
                }
                long have;
                try {
                    have = r.size();
                } catch (NumberFormatException e) {
                    have = -1;
                }
                known(have == size ? null : FileTransfer.incomplete(site, path, have, size));
            }

            @Override
            public void lost(String why) {
                known(lostReply("the reply to the SIZE of " + path, why));
            }
        });
        if (!behind) {
            synchronized (this) {
                owed--;
            }
        }
        return behind;
    }

    private TransferException lostReply(String what, String why) {
        return new TransferException(TransferException.Reason.CONNECTION, site, site + ": " + what + " was not read ("
                + why + "); another attempt checks the file");
    }

    /** One owed reply was read (or lost): {@code e} is what it says is wrong, or null. */
    private void known(TransferException e) {
        Consumer<TransferException> c = null;
        TransferException result;
        FtpSession s;
        synchronized (this) {
            owed--;
            if (failure == null && e != null) {
                failure = e;
            }
            s = session;
            result = failure;
            if (owed == 0 && sealed && then != null) {
                c = then;
                then = null;
            }
        }
        if (e != null && s != null) {
            s.note(e.getMessage()); // in the console, with the dialogue it came from
        }
        if (c != null) {
            c.accept(result);
        }
    }

    /**
     * Tells {@code c} how the copy ended once every owed reply was read: null when every byte
     * arrived, else why not. At once if they were read already. Runs on the thread that reads
     * them; {@code c} must not use the destination's session.
     */
    public void whenKnown(Consumer<TransferException> c) {
        TransferException result;
        synchronized (this) {
            sealed = true;
            if (owed > 0) {
                then = c;
                return;
            }
            result = failure;
        }
        c.accept(result);
    }

    /** Reads what is owed now, on the caller's thread; throws what it says is wrong. */
    void awaitNow() throws TransferException {
        FtpSession s = session();
        try {
            s.settleOwed();
        } catch (FtpException e) {
            throw RemotePlace.failure(e);
        }
        TransferException e;
        synchronized (this) {
            e = failure; // every owed reply was read or lost by now
        }
        if (e != null) {
            throw e;
        }
    }
}
