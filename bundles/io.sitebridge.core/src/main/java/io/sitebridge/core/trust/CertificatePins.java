package io.sitebridge.core.trust;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sitebridge.core.StateFiles;
import io.sitebridge.core.UserFolder;

/**
 * The certificates the user chose to trust always, one per server: a text file shared by the
 * application and the command line, {@value #FILE} in the {@link UserFolder}. Each line is
 * {@code host:port SHA256:AB:CD:…}; {@code #} starts a comment. The file is read on every question
 * (a pin made by the command line counts in a running application) and replaced atomically when
 * a pin changes. Lines it cannot read are kept as they are and otherwise ignored: a damaged file
 * never stops a connection or loses the other pins. Thread-safe within the process.
 */
public final class CertificatePins {
    /** The file's name in the user folder. */
    public static final String FILE = "trusted-certificates.txt";
    private static final String HEADER = "# Sitebridge: server certificates trusted always (host:port SHA-256 fingerprint)";

    private final Path file;

    public CertificatePins(Path file) {
        this.file = file;
    }

    /** The pins in this process's user folder. */
    public static CertificatePins inUserFolder() {
        return new CertificatePins(UserFolder.current().resolve(FILE));
    }

    public Path file() {
        return file;
    }

    /** The pinned fingerprint of {@code site} ({@code host:port}), if any. */
    public Optional<String> pinned(String site) {
        synchronized (CertificatePins.class) {
            return Optional.ofNullable(read().pins.get(site));
        }
    }

    /** All pins, by server. */
    public Map<String, String> all() {
        synchronized (CertificatePins.class) {
            return Map.copyOf(read().pins);
        }
    }

    /** Pins {@code fingerprint} for {@code site}, replacing an earlier pin of that server. */
    public void pin(String site, String fingerprint) throws IOException {
        String fp = UntrustedCertificate.parseFingerprint(fingerprint)
                .orElseThrow(() -> new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint));
        if (site.isBlank() || site.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("not a host:port: " + site);
        }
        synchronized (CertificatePins.class) {
            Contents c = read();
            List<String> out = new ArrayList<>();
            boolean done = false;
            for (String line : c.lines) {
                String key = keyOf(line);
                if (key != null && key.equals(site)) {
                    if (!done) {
                        out.add(site + " " + fp);
                        done = true;
                    }
                } else {
                    out.add(line);
                }
            }
            if (out.isEmpty()) {
                out.add(HEADER);
            }
            if (!done) {
                out.add(site + " " + fp);
            }
            write(out);
        }
    }

    private record Contents(List<String> lines, Map<String, String> pins) {
    }

    private Contents read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), Map.of());
        } catch (IOException e) {
            return new Contents(List.of(), Map.of()); // unreadable: no pins (and a pin() then fails to write)
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            text = "";
        }
        List<String> lines = new ArrayList<>();
        Map<String, String> pins = new LinkedHashMap<>();
        for (String line : text.split("\r?\n", -1)) {
            lines.add(line);
            String key = keyOf(line);
            if (key != null) {
                String[] parts = line.trim().split("\\s+");
                UntrustedCertificate.parseFingerprint(parts[1]).ifPresent(fp -> pins.put(key, fp));
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return new Contents(lines, pins);
    }

    /** The server a pin line names, or null for comments and lines that are not a pin. */
    private static String keyOf(String line) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] parts = t.split("\\s+");
        if (parts.length != 2 || UntrustedCertificate.parseFingerprint(parts[1]).isEmpty()) {
            return null;
        }
        return parts[0];
    }

    private void write(List<String> lines) throws IOException {
        StateFiles.replace(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
