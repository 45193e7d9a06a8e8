package io.sitebridge.transfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.sitebridge.core.Site;
import io.sitebridge.core.StateFiles;

/**
 * Remembers, per ordered pair of sites, the strategy that last worked, so the next
 * transfer tries it first (and does not pay again for a refusal and its timeout).
 * Thread-safe.
 *
 * <p>In memory by default; {@link #inFolder(Path)} keeps it in a small text file in a state
 * folder (the command line's {@code $SITEBRIDGE_HOME}, the workbench's state location), read
 * at once and written again, atomically (temporary file + rename), after every change. One line
 * per pair: {@code user@host:port -> user@host:port<TAB>FXP SOURCE|DESTINATION PASV|EPSV} or
 * {@code ...<TAB>RELAY}; a pair whose FXP data the user allowed to go unprotected when neither
 * server can be the TLS client has a line {@code ...<TAB>CLEAR-DATA-ALLOWED}; a site that cannot
 * take pipelined commands has a line {@code user@host:port<TAB>LOCK-STEP}. Lines it cannot read are skipped; a file it cannot write is reported
 * by {@link #lastSaveError()} and never fails a transfer.
 */
public final class StrategyMemory {
    /** The file's name inside a state folder. */
    public static final String FILE_NAME = "strategies.txt";

    private static final StrategyMemory GLOBAL = new StrategyMemory();
    private final Map<String, Strategy> byPair = new ConcurrentHashMap<>();
    private static final String CLEAR = "CLEAR-DATA-ALLOWED";
    private final java.util.Set<String> clearDataPairs = ConcurrentHashMap.newKeySet();
    private static final String LOCK_STEP = "LOCK-STEP";
    private final java.util.Set<String> lockStepSites = ConcurrentHashMap.newKeySet();
    private final Path file;
    private volatile IOException lastSaveError;

    /** A memory that lives as long as this object. */
    public StrategyMemory() {
        this.file = null;
    }

    private StrategyMemory(Path file) {
        this.file = file;
    }

    public static StrategyMemory global() {
        return GLOBAL;
    }

    /**
     * A memory kept in {@code stateFolder/strategies.txt}: loaded now (a missing or unreadable
     * file means an empty memory), saved after every change. The folder is created when first saved.
     */
    public static StrategyMemory inFolder(Path stateFolder) {
        StrategyMemory m = new StrategyMemory(stateFolder.resolve(FILE_NAME));
        try {
            m.load(m.file);
        } catch (IOException e) {
            // start empty; the next save writes a fresh file
        }
        return m;
    }

    /** The file this memory is saved to, or null when it lives in memory only. */
    public Path file() {
        return file;
    }

    public static String pairKey(Site source, Site destination) {
        return source.key() + " -> " + destination.key();
    }

    public Optional<Strategy> lookup(Site source, Site destination) {
        return Optional.ofNullable(byPair.get(pairKey(source, destination)));
    }

    public void remember(Site source, Site destination, Strategy strategy) {
        remember(pairKey(source, destination), strategy);
    }

    public void remember(String pairKey, Strategy strategy) {
        Strategy before = byPair.put(pairKey, strategy);
        if (!strategy.equals(before)) {
            autoSave();
        }
    }

    public void forget(Site source, Site destination) {
        if (byPair.remove(pairKey(source, destination)) != null) {
            autoSave();
        }
    }

    /**
     * Whether the user allowed FXP data between these sites to go unprotected (PROT C) when both use
     * TLS and neither can be the TLS client of the data connection (no SSCN or CPSV).
     */
    public boolean clearDataAllowed(Site source, Site destination) {
        return clearDataPairs.contains(pairKey(source, destination));
    }

    /** Allows (or forbids again) clear FXP data for this pair; saved like the strategies. */
    public void allowClearData(Site source, Site destination, boolean allowed) {
        String key = pairKey(source, destination);
        if (allowed ? clearDataPairs.add(key) : clearDataPairs.remove(key)) {
            autoSave();
        }
    }

    /** Whether commands may be sent ahead of replies to this site (it never showed it cannot take them). */
    public boolean pipelines(Site site) {
        return !lockStepSites.contains(site.key());
    }

    /** This site answered pipelined commands out of step or refused them: lock-step from now on; saved. */
    public void rememberLockStep(Site site) {
        if (lockStepSites.add(site.key())) {
            autoSave();
        }
    }

    /** Lets {@code session} pipeline unless its site is remembered as lock-step, and remembers when it breaks. */
    public void preparePipelining(io.sitebridge.core.session.FtpSession session) {
        Site site = session.site();
        session.pipeline(pipelines(site), () -> rememberLockStep(site));
    }

    public Map<String, Strategy> snapshot() {
        return Map.copyOf(byPair);
    }

    /** Why the last automatic save failed, or null when it worked (or there is no file). */
    public IOException lastSaveError() {
        return lastSaveError;
    }

    private void autoSave() {
        if (file == null) {
            return;
        }
        try {
            save(file);
            lastSaveError = null;
        } catch (IOException e) {
            lastSaveError = e;
        }
    }

    /** Adds the pairs in {@code from} (lines it cannot read are skipped); a missing file adds nothing. */
    public void load(Path from) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        for (String line : Files.readAllLines(from, StandardCharsets.UTF_8)) {
            int tab = line.lastIndexOf('\t');
            if (line.isBlank() || line.startsWith("#") || tab <= 0) {
                continue;
            }
            String value = line.substring(tab + 1).trim();
            if (value.equals(LOCK_STEP)) {
                lockStepSites.add(line.substring(0, tab));
                continue;
            }
            if (value.equals(CLEAR)) {
                clearDataPairs.add(line.substring(0, tab));
                continue;
            }
            Strategy s = parse(value);
            if (s != null) {
                byPair.put(line.substring(0, tab), s);
            }
        }
    }

    /** Writes every pair to {@code to}: a temporary file in the same folder, then renamed over it. */
    public synchronized void save(Path to) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Sitebridge: the transfer strategy that last worked per pair of sites (source -> destination)");
        new TreeMap<>(byPair).forEach((pair, s) -> {
            if (pair.indexOf('\n') < 0 && pair.indexOf('\r') < 0 && pair.indexOf('\t') < 0) {
                lines.add(pair + "\t" + format(s));
            }
        });
        new java.util.TreeSet<>(clearDataPairs).forEach(pair -> {
            if (pair.indexOf('\n') < 0 && pair.indexOf('\r') < 0 && pair.indexOf('\t') < 0) {
                lines.add(pair + "\t" + CLEAR);
            }
        });
        new java.util.TreeSet<>(lockStepSites).forEach(site -> {
            if (site.indexOf('\n') < 0 && site.indexOf('\r') < 0 && site.indexOf('\t') < 0) {
                lines.add(site + "\t" + LOCK_STEP);
            }
        });
        StateFiles.replace(to, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static String format(Strategy s) {
        if (s.method() == TransferMethod.RELAY) {
            return "RELAY";
        }
        return "FXP " + s.passiveSide().name() + " " + (s.extended() ? "EPSV" : "PASV") + (s.announced() ? " ANNOUNCED" : "");
    }

    static Strategy parse(String text) {
        String[] p = text.split(" ");
        try {
            if (p.length == 1 && p[0].equals("RELAY")) {
                return Strategy.relay();
            }
            if ((p.length == 3 || p.length == 4 && p[3].equals("ANNOUNCED")) && p[0].equals("FXP")
                    && (p[2].equals("EPSV") || p[2].equals("PASV"))) {
                Strategy s = Strategy.fxp(PassiveSide.valueOf(p[1]), p[2].equals("EPSV"));
                return p.length == 4 ? s.viaAnnouncedAddress() : s;
            }
        } catch (IllegalArgumentException e) {
            // unknown side
        }
        return null;
    }
}
