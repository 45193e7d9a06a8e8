package io.sitebridge.transfer.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which names of a tree take part in a comparison or mirror: {@code --include} and {@code --exclude}
 * globs. A pattern without a slash matches an entry's name ({@code *.tmp}); a pattern with a slash
 * matches its path relative to the tree's root ({@code logs/*.gz}, {@code /cache}: a leading slash
 * is the root). {@code *} and {@code ?} stay within one name, {@code **} crosses slashes,
 * {@code [abc]} is one of a set. Excludes apply to files and folders (an excluded folder is not
 * entered); includes apply to files only (so that {@code --include '*.html'} still finds the pages
 * in subfolders). Excluded names are neither copied nor deleted.
 */
public final class PathFilter {
    public static final PathFilter ALL = new PathFilter(List.of(), List.of());

    private final List<Glob> includes;
    private final List<Glob> excludes;

    private record Glob(String text, Pattern pattern, boolean byPath) {
        boolean matches(String relativePath, String name) {
            return pattern.matcher(byPath ? relativePath : name).matches();
        }
    }

    private PathFilter(List<Glob> includes, List<Glob> excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /** @throws IllegalArgumentException a pattern that is empty or has an unclosed {@code [} */
    public static PathFilter of(List<String> include, List<String> exclude) {
        List<Glob> in = new ArrayList<>();
        List<Glob> ex = new ArrayList<>();
        for (String g : include) {
            in.add(glob(g));
        }
        for (String g : exclude) {
            ex.add(glob(g));
        }
        return new PathFilter(List.copyOf(in), List.copyOf(ex));
    }

    /** This filter with one more exclude pattern. */
    public PathFilter excluding(String glob) {
        List<Glob> ex = new ArrayList<>(excludes);
        ex.add(glob(glob));
        return new PathFilter(includes, List.copyOf(ex));
    }

    /**
     * This filter with more exclude patterns: a skip list's (global and per saved site, kept in the
     * user folder by {@code SavedSites}), applied on top of {@code --include}/{@code --exclude}.
     *
     * @throws IllegalArgumentException a pattern that is empty or has an unclosed {@code [}
     */
    public PathFilter excluding(List<String> globs) {
        List<Glob> ex = new ArrayList<>(excludes);
        for (String g : globs) {
            ex.add(glob(g));
        }
        return new PathFilter(includes, List.copyOf(ex));
    }

    /** Checks one pattern's syntax; throws IllegalArgumentException with the reason. */
    public static void check(String glob) {
        glob(glob);
    }

    public boolean isEmpty() {
        return includes.isEmpty() && excludes.isEmpty();
    }

    /**
     * Whether an entry takes part.
     *
     * @param relativePath its path below the root, with '/' between names and no leading '/'
     * @param folder       whether it is a folder (includes do not apply to folders)
     */
    public boolean accepts(String relativePath, boolean folder) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (Glob g : excludes) {
            if (g.matches(relativePath, name)) {
                return false;
            }
        }
        if (folder || includes.isEmpty()) {
            return true;
        }
        for (Glob g : includes) {
            if (g.matches(relativePath, name)) {
                return true;
            }
        }
        return false;
    }

    private static Glob glob(String text) {
        if (text == null || text.isEmpty() || text.equals("/")) {
            throw new IllegalArgumentException("empty pattern");
        }
        boolean byPath = text.indexOf('/') >= 0;
        String g = text;
        if (g.startsWith("/")) {
            g = g.substring(1);
        }
        if (g.endsWith("/")) {
            g = g.substring(0, g.length() - 1);
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
                            i++;
                            re.append("(?:.*/)?"); // **/ : any number of folders, none included
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        throw new IllegalArgumentException("unclosed [ in pattern " + text);
                    }
                    String set = g.substring(i + 1, end);
                    boolean negate = set.startsWith("!") || set.startsWith("^");
                    if (negate) {
                        set = set.substring(1);
                    }
                    re.append('[').append(negate ? "^/" : "");
                    for (char s : set.toCharArray()) {
                        // ASCII punctuation quoted; '-' keeps its meaning of a range
                        re.append(s != '-' && s < 128 && !Character.isLetterOrDigit(s) ? "\\" + s : String.valueOf(s));
                    }
                    re.append(']');
                    i = end;
                }
                default -> {
                    int end = i;
                    while (end < g.length() && "*?[".indexOf(g.charAt(end)) < 0) {
                        end++;
                    }
                    re.append(Pattern.quote(g.substring(i, end)));
                    i = end - 1;
                }
            }
        }
        return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL), byPath);
    }

    @Override
    public String toString() {
        return "include " + includes.stream().map(Glob::text).toList() + ", exclude "
                + excludes.stream().map(Glob::text).toList();
    }
}
