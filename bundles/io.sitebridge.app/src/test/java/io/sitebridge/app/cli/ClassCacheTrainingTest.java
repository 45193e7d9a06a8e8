package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a folder copy tells the start script about its class cache (see the script's key file). */
class ClassCacheTrainingTest {
    @TempDir
    Path dir;

    private Path run(long files, String trained) {
        Path to = dir.resolve("hint-" + files + "-" + trained);
        Map<String, String> env = trained == null ? Map.of(ClassCacheTraining.RUN, to.toString())
                : Map.of(ClassCacheTraining.RUN, to.toString(), ClassCacheTraining.TRAINED, trained);
        ClassCacheTraining.ran(files, env);
        return to;
    }

    @Test
    void aRecordingRunWritesItsCount() throws Exception {
        assertEquals("8\n", Files.readString(run(8, "-1")));
        assertEquals("0\n", Files.readString(run(0, "-1")));
    }

    @Test
    void aRunTenTimesLongerThanTheCachesOwnAsksForANewOne() throws Exception {
        assertEquals("1000\n", Files.readString(run(1000, "8")));
        assertEquals("80\n", Files.readString(run(80, "8")));
        assertFalse(Files.exists(run(79, "8")), "not ten times as long");
        assertFalse(Files.exists(run(100_000, "1000")), "a cache from 1000 files is long enough");
        assertEquals("10\n", Files.readString(run(10, "junk")), "a key of unknown origin counts as one file");
        assertEquals("10\n", Files.readString(run(10, null)));
    }

    @Test
    void withoutTheScriptsVariableNothingIsWritten() throws Exception {
        ClassCacheTraining.ran(1000, Map.of(ClassCacheTraining.TRAINED, "8"));
        ClassCacheTraining.ran(1000, Map.of(ClassCacheTraining.RUN, "", ClassCacheTraining.TRAINED, "8"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
