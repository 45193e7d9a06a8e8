package io.sitebridge.app.cli;

import java.io.Console;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The process a command runs for: what the command line needs of it beyond its output and its
 * environment. In-process ({@link #thisProcess}) that is this JVM: its working folder, its
 * terminal, its shutdown (Ctrl-C, SIGTERM). In the command-line daemon ({@link CliDaemon}) it is the
 * client at the other end of the socket, which forwards its terminal's answers and its Ctrl-C.
 */
public interface Caller {

    /** What a command registered to run when its caller stops it; {@link #close()} takes it back. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** The folder relative paths of the command line are resolved against. */
    Path workingFolder();

    /** Standard output is a terminal: progress is redrawn in place on one line. */
    boolean outputIsTerminal();

    /**
     * Asks for a password on the caller's terminal without echo.
     *
     * @return the password, or null when there is no terminal to ask on or the user gave none
     */
    char[] readPassword(String prompt);

    /** Whether {@link #readPassword} can ask at all (there is a terminal). */
    boolean canAsk();

    /**
     * Runs {@code stop} when the caller is interrupted before the command ends (Ctrl-C, SIGTERM;
     * for the daemon also a client that went away), on a thread of its own, as a shutdown hook does.
     */
    Registration onStop(Runnable stop);

    /** This JVM: its working folder, its console, its shutdown hooks. */
    static Caller thisProcess(Supplier<Console> console) {
        return new Caller() {
            @Override
            public Path workingFolder() {
                return Path.of("").toAbsolutePath();
            }

            @Override
            public boolean outputIsTerminal() {
                return isTerminal(console.get());
            }

            @Override
            public boolean canAsk() {
                return console.get() != null;
            }

            @Override
            public char[] readPassword(String prompt) {
                Console c = console.get();
                return c == null ? null : c.readPassword("%s", prompt);
            }

            @Override
            public Registration onStop(Runnable stop) {
                Thread hook = new Thread(stop, "sitebridge-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                return () -> {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // shutting down already: the hook runs
                    }
                };
            }
        };
    }

    /** A console that is a terminal (Console.isTerminal() exists from Java 22; on 21 a console means one). */
    static boolean isTerminal(Console c) {
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
