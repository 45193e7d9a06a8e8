package io.sitebridge.app.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.queue.QueueOptions;

/**
 * The command line's transfer queue, for the commands that copy ({@code copy}, {@code mirror}): in
 * the state folder ({@code --state}, else the user's), held by one process at a time (a lock file:
 * a second process is told to take a state folder of its own), with the options and the control
 * dialogue the arguments ask for, flushed at the end.
 */
final class CommandLineQueue {

    /** What a command does with the queue's folder, options, dialogue and strategy memory. */
    interface Body {
        ExitCode run(Path folder, QueueOptions options, ControlDialogue dialogue, StrategyMemory memory)
                throws IOException, InterruptedException;
    }

    private CommandLineQueue() {
    }

    /** Runs {@code body} with the queue's folder locked; {@code command} names the command in the busy message. */
    static ExitCode run(Terminal term, CommandLineSites sites, Arguments a, String command, Body body) {
        Path state = a.state() != null ? sites.resolve(a.state()) : sites.stateFolder();
        Path folder = state.resolve("queue");
        ControlDialogue dialogue = CommandLineSites.dialogue(term, a);
        QueueOptions options = QueueOptions.defaults().withParallel(a.parallel()).withDefaultRule(a.rule())
                .withVerifyCertificates(!a.has(Option.INSECURE)).withTransfer(a.transferOptions());
        try {
            Files.createDirectories(folder);
            try (FileChannel lockFile = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = tryLock(lockFile)) {
                if (lock == null) {
                    term.error("the queue in " + folder + " is in use by another sitebridge process; "
                            + "give this " + command + " a state folder of its own with --state DIR");
                    return ExitCode.BUSY;
                }
                return body.run(folder, options, dialogue, StrategyMemory.inFolder(state));
            }
        } catch (IOException e) {
            term.error(e.getMessage());
            return ExitCode.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.CANCELLED;
        } finally {
            try {
                dialogue.flush(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FileLock tryLock(FileChannel file) throws IOException {
        try {
            return file.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}
