package io.sitebridge.transfer.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The --include/--exclude globs: names, paths, folders, and what counts as a special character. */
class PathFilterTest {
    static PathFilter f(List<String> in, List<String> ex) {
        return PathFilter.of(in, ex);
    }

    @Test
    void namePatternsMatchInEveryFolderPathPatternsFromTheRoot() {
        PathFilter x = f(List.of(), List.of("*.log", "cache/tmp", "/build", "**/*.bak"));
        assertFalse(x.accepts("a.log", false));
        assertFalse(x.accepts("deep/er/a.log", false));
        assertTrue(x.accepts("a.log.txt", false));
        assertFalse(x.accepts("cache/tmp", true));
        assertTrue(x.accepts("x/cache/tmp", true), "a path pattern is anchored at the root");
        assertFalse(x.accepts("build", true));
        assertTrue(x.accepts("src/build", true));
        assertFalse(x.accepts("a.bak", false), "**/ matches no folder too");
        assertFalse(x.accepts("a/b/c.bak", false));
    }

    @Test
    void includesApplyToFilesOnlyAndExcludesWin() {
        PathFilter x = f(List.of("*.html", "img/*"), List.of("secret*"));
        assertTrue(x.accepts("index.html", false));
        assertTrue(x.accepts("sub/page.html", false));
        assertTrue(x.accepts("sub", true), "folders are entered to find included files");
        assertTrue(x.accepts("img/a.png", false));
        assertFalse(x.accepts("img/deeper/a.png", false), "* stays within one name");
        assertFalse(x.accepts("style.css", false));
        assertFalse(x.accepts("secret.html", false));
        assertFalse(x.accepts("secrets", true));
    }

    @Test
    void specialCharactersAreLiteralExceptGlobOnes() {
        PathFilter x = f(List.of(), List.of("a+b (1).txt", "file[0-9].txt", "?.md", "[!x]y", "$^.{}|\\\\"));
        assertFalse(x.accepts("a+b (1).txt", false));
        assertTrue(x.accepts("aab (1).txt", false));
        assertFalse(x.accepts("file7.txt", false));
        assertTrue(x.accepts("fileA.txt", false));
        assertFalse(x.accepts("R.md", false));
        assertTrue(x.accepts("RR.md", false));
        assertFalse(x.accepts("ay", false));
        assertTrue(x.accepts("xy", false));
        assertFalse(x.accepts("$^.{}|\\\\", false)); // a backslash is no escape: literal
        assertFalse(f(List.of(), List.of("ü*")).accepts("über", false));
        assertTrue(PathFilter.ALL.accepts("anything", false));
        assertThrows(IllegalArgumentException.class, () -> f(List.of(), List.of("[abc")));
        assertThrows(IllegalArgumentException.class, () -> f(List.of(""), List.of()));
        assertEquals(true, f(List.of(), List.of()).isEmpty());
    }
}
