package io.sitebridge.core.sites;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sitebridge.core.DataConnectionMode;
import io.sitebridge.core.PassiveAddressPolicy;
import io.sitebridge.core.PasswordSource;
import io.sitebridge.core.Security;
import io.sitebridge.core.Site;
import io.sitebridge.core.StateFiles;
import io.sitebridge.core.UserFolder;

/**
 * The user's saved sites, one store for the application and the command line: a readable
 * {@value #FILE_NAME} in the {@link UserFolder}, each password in it encrypted
 * ({@link PasswordBox}, key in {@value #KEY_FILE_NAME}, mode 600); never a password in clear.
 *
 * <p>Every change reads the file again under a lock ({@value #LOCK_FILE_NAME}, so that the
 * application and a command line running at the same time do not undo each other's changes) and
 * replaces it atomically (a crash leaves the old file or the new one, never half of one). A file
 * that cannot be read is reported ({@link SiteFileException}) and never written over.
 *
 * <p>(Equinox secure storage, where the application kept passwords before, cannot be opened
 * outside OSGi: its factory fails without the platform, and the command line runs on a plain
 * class path.)
 */
public final class SavedSites {

    public static final String FILE_NAME = "sites.properties";
    public static final String KEY_FILE_NAME = "sites.key";
    static final String LOCK_FILE_NAME = "sites.lock";

    /** Longest site name accepted (names show in lists, menus and on the command line). */
    public static final int MAX_NAME = 200;

    private static final Pattern KEY = Pattern.compile("site\\.(\\d{1,6})\\.([a-zA-Z]+)");
    private static final Pattern SITE_SKIP_KEY = Pattern.compile("site\\.(\\d{1,6})\\.skip\\.(\\d{1,6})");
    private static final Pattern SKIP_KEY = Pattern.compile("skip\\.(\\d{1,6})");
    /** Longest skip pattern accepted. */
    public static final int MAX_PATTERN = 1000;
    /** Changes by two stores of one process (the application and a command line in a test) are ordered here. */
    private static final Object PROCESS_LOCK = new Object();

    private final Path folder;
    private final PasswordBox box;

    private SavedSites(Path folder) {
        this.folder = folder;
        this.box = new PasswordBox(folder.resolve(KEY_FILE_NAME));
    }

    /** The store in {@code folder} (made when the first site is saved). */
    public static SavedSites in(Path folder) {
        return new SavedSites(folder);
    }

    /** The store of this user: in {@link UserFolder#current()}. */
    public static SavedSites current() {
        return in(UserFolder.current());
    }

    public Path file() {
        return folder.resolve(FILE_NAME);
    }

    /**
     * A saved site as in the file: its settings (no password), its encrypted password or null, and
     * its skip list.
     */
    private record Entry(Site site, String sealed, List<String> skip) {
        String name() {
            return site.name();
        }
    }

    /**
     * The saved sites in the order they were added. Each site's password is decrypted from the
     * file when a session logs in (an empty password when it cannot be: see {@link #password}).
     */
    public List<Site> load() throws IOException {
        List<Site> sites = new ArrayList<>();
        for (Entry e : read()) {
            sites.add(withStoredPassword(e.site()));
        }
        return sites;
    }

    /** The saved site called {@code name}, if there is one. */
    public Optional<Site> find(String name) throws IOException {
        return read().stream().filter(e -> e.name().equals(name)).findFirst().map(e -> withStoredPassword(e.site()));
    }

    /** The names of the saved sites, in order. */
    public List<String> names() throws IOException {
        return read().stream().map(Entry::name).toList();
    }

    /** Whether a password is saved for the site {@code name}. */
    public boolean hasPassword(String name) throws IOException {
        return read().stream().anyMatch(e -> e.name().equals(name) && e.sealed() != null);
    }

    /** The saved password of {@code name}, decrypted; empty when none is saved. The caller may clear it. */
    public char[] password(String name) throws IOException {
        for (Entry e : read()) {
            if (e.name().equals(name)) {
                return e.sealed() == null ? new char[0] : box.open(name, e.sealed());
            }
        }
        return new char[0];
    }

    private Site withStoredPassword(Site site) {
        String name = site.name();
        return site.toBuilder().password(storedPassword(name)).build();
    }

    /** The password source of the saved site {@code name}: reads the store at each login. */
    public PasswordSource storedPassword(String name) {
        return () -> {
            try {
                return password(name);
            } catch (IOException e) {
                return new char[0]; // the login fails and says so; the site manager and the CLI say why
            }
        };
    }

    /**
     * Saves {@code site} under its name: a new site when {@code oldName} is null (refused when the
     * name is taken), else the site that was called {@code oldName} (renamed when the names differ;
     * it keeps its place). {@code password}: null keeps the saved one, empty removes it.
     */
    public void save(String oldName, Site site, char[] password) throws IOException {
        String name = checkedName(site.name());
        String sealed = password == null || password.length == 0 ? null : box.seal(name, password);
        change(entries -> {
            int old = oldName == null ? -1 : indexOf(entries, oldName);
            if (oldName != null && old < 0) {
                throw new IOException("there is no saved site called \u201c" + oldName + "\u201d");
            }
            int taken = indexOf(entries, name);
            if (taken >= 0 && taken != old) {
                throw new IOException("there is already a site called \u201c" + name + "\u201d");
            }
            String keep = sealed;
            if (password == null && old >= 0 && entries.get(old).sealed() != null) {
                Entry before = entries.get(old);
                if (before.name().equals(name)) {
                    keep = before.sealed();
                } else { // bound to the name: sealed again under the new one
                    char[] pw = box.open(before.name(), before.sealed());
                    try {
                        keep = box.seal(name, pw);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                }
            }
            Entry e = new Entry(site.toBuilder().password(PasswordSource.none()).build(), keep,
                    old >= 0 ? entries.get(old).skip() : List.of()); // a renamed site keeps its skip list
            if (old >= 0) {
                entries.set(old, e);
            } else {
                entries.add(e);
            }
            return null;
        });
    }

    /** Removes the site {@code name} and its password; false when there was none. */
    public boolean remove(String name) throws IOException {
        return change(entries -> entries.removeIf(e -> e.name().equals(name)));
    }

    /** A site to add with {@link #addAll}, with its password (null or empty: none). */
    public record NewSite(Site site, char[] password) { }

    /**
     * Adds sites whose names are not taken yet, in one change of the file; returns the names that
     * were taken (those sites are not added).
     */
    public List<String> addAll(List<NewSite> sites) throws IOException {
        List<Entry> sealed = new ArrayList<>();
        for (NewSite s : sites) {
            String name = checkedName(s.site().name());
            sealed.add(new Entry(s.site().toBuilder().password(PasswordSource.none()).build(),
                    s.password() == null || s.password().length == 0 ? null : box.seal(name, s.password()), List.of()));
        }
        return change(entries -> {
            List<String> taken = new ArrayList<>();
            for (Entry e : sealed) {
                if (indexOf(entries, e.name()) >= 0) {
                    taken.add(e.name());
                } else {
                    entries.add(e);
                }
            }
            return taken;
        });
    }

    // ---- skip lists

    /**
     * A skip list: the patterns of names that comparing and mirroring leave out (the glob syntax of
     * {@code --exclude}), the global one ({@code site} null) or a saved site's. Kept in this file
     * ({@code skip.N} and {@code site.N.skip.M}), so that a site renamed keeps its list and a site
     * removed takes its list with it.
     *
     * @throws IOException no saved site called {@code site}, or the file cannot be read
     */
    public List<String> skipList(String site) throws IOException {
        return skipList(readBook(), site);
    }

    /** The global skip list and those of the saved sites named (null names are left out), without repeats. */
    public List<String> skipPatterns(String... sites) throws IOException {
        Book b = readBook();
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(b.skip());
        for (String site : sites) {
            if (site != null) {
                all.addAll(skipList(b, site));
            }
        }
        return List.copyOf(all);
    }

    /** Adds a pattern to a skip list (site null: the global one); false when it is there already. */
    public boolean addSkip(String site, String pattern) throws IOException {
        String p = checkedPattern(pattern);
        return changeSkip(site, list -> !list.contains(p) && list.add(p));
    }

    /** Removes a pattern from a skip list (site null: the global one); false when it was not there. */
    public boolean removeSkip(String site, String pattern) throws IOException {
        return changeSkip(site, list -> list.remove(pattern));
    }

    private interface SkipChange {
        boolean apply(List<String> list);
    }

    private boolean changeSkip(String site, SkipChange change) throws IOException {
        return changeBook(b -> {
            if (site == null) {
                return change.apply(b.skip());
            }
            int i = indexOf(b.entries(), site);
            if (i < 0) {
                throw new IOException(noSuchSite(site));
            }
            Entry e = b.entries().get(i);
            List<String> list = new ArrayList<>(e.skip());
            boolean changed = change.apply(list);
            b.entries().set(i, new Entry(e.site(), e.sealed(), List.copyOf(list)));
            return changed;
        });
    }

    private List<String> skipList(Book b, String site) throws IOException {
        if (site == null) {
            return List.copyOf(b.skip());
        }
        return b.entries().stream().filter(e -> e.name().equals(site)).findFirst().map(Entry::skip)
                .orElseThrow(() -> new IOException(noSuchSite(site)));
    }

    private static String noSuchSite(String site) {
        return "there is no saved site called \u201c" + site + "\u201d";
    }

    /** A pattern that can stand on one line of the file: not empty, no control characters, not too long. */
    static String checkedPattern(String pattern) throws IOException {
        if (pattern == null || pattern.isBlank()) {
            throw new IOException("a skip pattern cannot be empty");
        }
        if (pattern.length() > MAX_PATTERN || pattern.chars().anyMatch(Character::isISOControl)) {
            throw new IOException("a skip pattern is one line of at most " + MAX_PATTERN + " characters");
        }
        return pattern;
    }

    static String checkedName(String name) throws IOException {
        if (name == null || name.isBlank()) {
            throw new IOException("a saved site needs a name");
        }
        if (name.length() > MAX_NAME) {
            throw new IOException("a site name is at most " + MAX_NAME + " characters long");
        }
        if (!name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
            throw new IOException("a site name has no control characters and no spaces at either end");
        }
        return name;
    }

    private static int indexOf(List<Entry> entries, String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    // ---- the file

    @FunctionalInterface
    private interface Change<T> {
        T apply(List<Entry> entries) throws IOException;
    }

    /** The whole file: the saved sites and the global skip list (both lists may be changed). */
    private record Book(List<Entry> entries, List<String> skip) { }

    private <T> T change(Change<T> change) throws IOException {
        return changeBook(b -> change.apply(b.entries()));
    }

    @FunctionalInterface
    private interface BookChange<T> {
        T apply(Book book) throws IOException;
    }

    private <T> T changeBook(BookChange<T> change) throws IOException {
        synchronized (PROCESS_LOCK) {
            Files.createDirectories(folder);
            try (FileChannel lockFile = FileChannel.open(folder.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                Book read = readBook();
                Book b = new Book(new ArrayList<>(read.entries()), new ArrayList<>(read.skip()));
                T result = change.apply(b);
                write(b);
                return result;
            }
        }
    }

    private List<Entry> read() throws IOException {
        return readBook().entries();
    }

    private Book readBook() throws IOException {
        String text;
        try {
            text = Files.readString(file(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Book(List.of(), List.of());
        } catch (java.nio.charset.MalformedInputException e) {
            throw new SiteFileException(file() + " is not UTF-8 text: the saved sites cannot be read");
        }
        Properties p = new Properties();
        try (Reader r = new StringReader(text)) {
            p.load(r);
        } catch (IllegalArgumentException e) {
            throw new SiteFileException(file() + " cannot be read: " + e.getMessage());
        }
        Map<Integer, Map<String, String>> byNumber = new TreeMap<>();
        Map<Integer, Map<Integer, String>> siteSkips = new TreeMap<>();
        Map<Integer, String> skips = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            Matcher m = KEY.matcher(key);
            Matcher ss = SITE_SKIP_KEY.matcher(key);
            Matcher gs = SKIP_KEY.matcher(key);
            if (m.matches()) {
                byNumber.computeIfAbsent(Integer.parseInt(m.group(1)), n -> new TreeMap<>()).put(m.group(2),
                        p.getProperty(key));
            } else if (ss.matches()) {
                siteSkips.computeIfAbsent(Integer.parseInt(ss.group(1)), n -> new TreeMap<>())
                        .put(Integer.parseInt(ss.group(2)), pattern(p.getProperty(key), key));
            } else if (gs.matches()) {
                skips.put(Integer.parseInt(gs.group(1)), pattern(p.getProperty(key), key));
            }
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Map.Entry<Integer, Map<String, String>> e : byNumber.entrySet()) {
            Entry parsed = parse(e.getKey(), e.getValue());
            Entry entry = new Entry(parsed.site(), parsed.sealed(),
                    List.copyOf(siteSkips.getOrDefault(e.getKey(), Map.of()).values()));
            if (!names.add(entry.name())) {
                throw new SiteFileException(file() + ": two sites are called \u201c" + entry.name() + "\u201d");
            }
            entries.add(entry);
        }
        return new Book(entries, List.copyOf(skips.values()));
    }

    private String pattern(String value, String key) throws SiteFileException {
        try {
            return checkedPattern(value);
        } catch (IOException e) {
            throw new SiteFileException(file() + ": " + key + ": " + e.getMessage());
        }
    }

    private Entry parse(int number, Map<String, String> f) throws SiteFileException {
        String where = file() + ": site." + number;
        try {
            String name = checkedName(required(f, "name", where));
            where += " (\u201c" + name + "\u201d)";
            Site site = Site.builder(required(f, "host", where)).name(name)
                    .port(number(f, "port", 0, 0, 65535, where))
                    .user(f.getOrDefault("user", "anonymous"))
                    .security(Security.valueOf(f.getOrDefault("security", Security.PLAIN.name())))
                    .passiveAddressPolicy(PassiveAddressPolicy.valueOf(
                            f.getOrDefault("passiveAddressPolicy", PassiveAddressPolicy.CONTROL_ADDRESS.name())))
                    .dataConnectionMode(DataConnectionMode.valueOf(
                            f.getOrDefault("dataConnectionMode", DataConnectionMode.AUTO.name())))
                    .encoding(Charset.forName(f.getOrDefault("encoding", "UTF-8")))
                    .fxpAllowed(bool(f, "fxpAllowed", where))
                    .relayAllowed(bool(f, "relayAllowed", where))
                    .maxConnections(number(f, "maxConnections", 4, 1, 64, where))
                    .keepAlive(Duration.ofSeconds(number(f, "keepAliveSeconds",
                            (int) Site.DEFAULT_KEEP_ALIVE.toSeconds(), 0, 86_400, where)))
                    .build();
            String sealed = f.get("password");
            if (sealed != null && !sealed.startsWith(PasswordBox.PREFIX)) {
                // a password typed into the file by hand is not taken: it would sit there in clear
                throw new SiteFileException(where + ": the password is not encrypted (remove the line and set the "
                        + "password with the site manager or sitebridge sites add)");
            }
            return new Entry(site, sealed == null || sealed.isEmpty() ? null : sealed, List.of());
        } catch (SiteFileException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new SiteFileException(where + ": " + e.getMessage());
        }
    }

    private static String required(Map<String, String> f, String key, String where) throws SiteFileException {
        String v = f.get(key);
        if (v == null || v.isBlank()) {
            throw new SiteFileException(where + ": no " + key);
        }
        return v;
    }

    private static int number(Map<String, String> f, String key, int otherwise, int min, int max, String where)
            throws SiteFileException {
        String v = f.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new SiteFileException(where + ": " + key + " must be a number " + min + ".." + max);
    }

    private static boolean bool(Map<String, String> f, String key, String where) throws SiteFileException {
        String v = f.getOrDefault(key, "true").trim();
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new SiteFileException(where + ": " + key + " must be true or false");
    }

    private void write(Book book) throws IOException {
        List<Entry> entries = book.entries();
        StringBuilder sb = new StringBuilder();
        sb.append("# Sitebridge's saved sites, shared by the application and the command line (sitebridge sites).\n")
                .append("# Passwords are never here in clear: \"password\" is AES-GCM ciphertext under the key in ")
                .append(KEY_FILE_NAME).append(".\n")
                .append("# Edit with care: a line the programs cannot read makes them refuse to change this file.\n")
                .append("# skip.N and site.N.skip.M: the skip lists (sitebridge skip), patterns that diff and mirror leave out.\n");
        if (!book.skip().isEmpty()) {
            sb.append('\n');
            int k = 0;
            for (String pattern : book.skip()) {
                sb.append("skip.").append(++k).append(" = ");
                escaped(sb, pattern);
            }
        }
        int n = 0;
        for (Entry e : entries) {
            n++;
            Site s = e.site();
            sb.append('\n');
            line(sb, n, "name", s.name());
            line(sb, n, "host", s.host());
            line(sb, n, "port", Integer.toString(s.port()));
            line(sb, n, "user", s.user());
            line(sb, n, "security", s.security().name());
            line(sb, n, "passiveAddressPolicy", s.passiveAddressPolicy().name());
            line(sb, n, "dataConnectionMode", s.dataConnectionMode().name());
            line(sb, n, "encoding", s.encoding().name());
            line(sb, n, "fxpAllowed", Boolean.toString(s.fxpAllowed()));
            line(sb, n, "relayAllowed", Boolean.toString(s.relayAllowed()));
            line(sb, n, "maxConnections", Integer.toString(s.maxConnections()));
            line(sb, n, "keepAliveSeconds", Long.toString(s.keepAlive().toSeconds()));
            if (e.sealed() != null) {
                line(sb, n, "password", e.sealed());
            }
            int k = 0;
            for (String pattern : e.skip()) {
                line(sb, n, "skip." + (++k), pattern);
            }
        }
        StateFiles.replace(file(), sb.toString().getBytes(StandardCharsets.UTF_8), PasswordBox.ownerOnlyAttribute(folder));
    }

    private static void line(StringBuilder sb, int n, String key, String value) {
        sb.append("site.").append(n).append('.').append(key).append(" = ");
        escaped(sb, value);
    }

    /** A value as Properties reads it back, and its line's end. */
    private static void escaped(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || (i == 0 && c == ' ')) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('\n');
    }
}
