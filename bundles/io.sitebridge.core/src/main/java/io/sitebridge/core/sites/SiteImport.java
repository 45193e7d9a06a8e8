package io.sitebridge.core.sites;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sitebridge.core.Security;

/**
 * Imports sites from another client into the {@link SavedSites}: the one implementation behind
 * the site manager's "Import from FileZilla…" and {@code sitebridge sites import}. Passwords go
 * into the store encrypted, nowhere else; a name already saved is left alone (the entry is skipped).
 */
public final class SiteImport {

    /** One imported site: its name, how it connects, whether a password came with it, what was not kept. */
    public record Imported(String name, Security security, boolean password, List<String> notes) { }

    /** What an import did: every entry of the file is in one of the two lists. */
    public record Report(Path file, List<Imported> imported, List<FileZillaSites.Skipped> skipped) {

        /** The report for a person: a summary line, then one line per site (and its notes). */
        public String text() {
            String nl = System.lineSeparator();
            StringBuilder sb = new StringBuilder();
            sb.append("imported ").append(count(imported.size())).append(" from ").append(file);
            sb.append(skipped.isEmpty() ? "" : ", skipped " + skipped.size()).append(nl);
            for (Imported i : imported) {
                sb.append("  imported ").append(i.name()).append(" (").append(describe(i.security()))
                        .append(i.password() ? ", password saved encrypted" : ", no password saved").append(')')
                        .append(nl);
                for (String note : i.notes()) {
                    sb.append("      note: ").append(note).append(nl);
                }
            }
            for (FileZillaSites.Skipped s : skipped) {
                sb.append("  skipped ").append(s.name()).append(": ").append(s.reason()).append(nl);
            }
            return sb.toString();
        }

        private static String count(int n) {
            return n == 1 ? "1 site" : n + " sites";
        }
    }

    private SiteImport() {
    }

    /** Imports FileZilla's {@code sitemanager.xml} into {@code store}. */
    public static Report fromFileZilla(SavedSites store, Path file) throws IOException {
        FileZillaSites.Result read = FileZillaSites.read(file);
        List<SavedSites.NewSite> add = new ArrayList<>();
        for (FileZillaSites.Found f : read.found()) {
            add.add(new SavedSites.NewSite(f.site(), f.password()));
        }
        List<String> taken;
        try {
            taken = store.addAll(add);
        } finally {
            for (FileZillaSites.Found f : read.found()) {
                if (f.password() != null) {
                    Arrays.fill(f.password(), '\0');
                }
            }
        }
        List<Imported> imported = new ArrayList<>();
        List<FileZillaSites.Skipped> skipped = new ArrayList<>();
        for (FileZillaSites.Found f : read.found()) {
            String name = f.site().name();
            if (taken.contains(name)) {
                skipped.add(new FileZillaSites.Skipped(name, "a site of that name is already saved (remove or "
                        + "rename it to import this one)"));
            } else {
                imported.add(new Imported(name, f.site().security(), f.password() != null && f.password().length > 0,
                        f.notes()));
            }
        }
        skipped.addAll(read.skipped());
        return new Report(file, List.copyOf(imported), List.copyOf(skipped));
    }

    static String describe(Security s) {
        return switch (s) {
            case PLAIN -> "plain FTP";
            case EXPLICIT_TLS -> "explicit FTPS";
            case IMPLICIT_TLS -> "implicit FTPS";
        };
    }
}
