package io.sitebridge.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tells the start script how many files a folder copy did, so that its ahead-of-time class cache
 * comes from a run long enough to show the per-file code hot. The cache (Java 25+) is made from
 * the first run of its kind; made from a copy of a few files, a copy of 1000 takes 13 % more
 * CPU than on a cache made from one of 1000 (measured). The script names a file in
 * {@value #RUN} and the files its cache was made from in {@value #TRAINED}:
 * <ul>
 * <li>while recording ({@value #TRAINED} is -1), this run's count is written there: the cache's
 * key keeps it;</li>
 * <li>on a cache made from fewer than {@value #ENOUGH} files, a run of at least ten times as many
 * writes its count there: the script's sign to record the next run of the kind again.</li>
 * </ul>
 * Nothing else: with neither variable set (the application, tests, an older script) this does nothing.
 */
final class ClassCacheTraining {
    static final String RUN = "SITEBRIDGE_CLASS_CACHE_RUN";
    static final String TRAINED = "SITEBRIDGE_CLASS_CACHE_TRAINED";
    /** A cache made from a run of this many files is not made again. */
    static final long ENOUGH = 1000;

    private ClassCacheTraining() {
    }

    /** A folder copy of {@code files} files ended. */
    static void ran(long files, Map<String, String> env) {
        String to = env.get(RUN);
        if (to == null || to.isEmpty() || files < 0) {
            return;
        }
        long trained;
        try {
            trained = Long.parseLong(env.getOrDefault(TRAINED, "").trim());
        } catch (NumberFormatException e) {
            trained = 1; // a cache of unknown origin: made again once from a run worth it
        }
        if (trained >= 0 && (trained >= ENOUGH || files < 10 * Math.max(1, trained))) {
            return;
        }
        try {
            Files.writeString(Path.of(to), files + "\n");
        } catch (IOException | RuntimeException e) {
            // only a hint for the start script: the copy itself is done
        }
    }
}
