package io.sitebridge.app.cli;

/**
 * Where a command that changes things (copy, mirror) says what must happen when it is stopped from
 * outside, so that its queue's journal ends consistent. In its own JVM that is Ctrl-C or a kill: a
 * shutdown hook ({@link #JVM}). In the {@link Agent} the JVM stays; there the command's thread is
 * interrupted when its client goes, the command unwinds and closes its queue itself, and nothing
 * may be left registered in the agent's JVM ({@link #NONE}).
 */
interface StopHooks {

    /** Undoes one {@link #add}. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code action} if the command is stopped from outside before the registration is closed. */
    Registration add(Runnable action);

    /** A shutdown hook of this JVM. */
    StopHooks JVM = action -> {
        Thread hook = new Thread(action, "sitebridge-queue-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs
            }
        };
    };

    /** Nothing registered: the caller stops the command by interrupting its thread. */
    StopHooks NONE = action -> () -> { };
}
