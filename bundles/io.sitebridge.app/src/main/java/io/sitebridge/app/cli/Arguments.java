package io.sitebridge.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.sitebridge.transfer.TransferOptions;
import io.sitebridge.transfer.compare.CompareMode;
import io.sitebridge.transfer.compare.PathFilter;
import io.sitebridge.transfer.queue.ConflictRule;

/**
 * The command line, parsed: the one parser of every command. Options may come before, between
 * and after the URLs; {@code --} ends the options.
 *
 * @param urls     the places as given, URLs or NAME:/path (copy: source and destination; ls: one); for
 *                 sites: the subcommand and its arguments
 * @param switches the switches given
 * @param parallel files at once ({@code --parallel})
 * @param rule     {@code --on-conflict}
 * @param state    {@code --state}, or null for the default state folder
 * @param acceptTimeout {@code --accept-timeout}, or null for the default
 * @param trust    the fingerprints given with {@code --trust}, as {@code SHA256:AB:CD:…}
 * @param includes {@code --include} patterns, in order
 * @param excludes {@code --exclude} patterns, in order
 * @param compare  {@code --compare} (diff, mirror)
 * @param manifest {@code --manifest}, or null
 * @param site     {@code --site} (skip), or null
 */
record Arguments(Command command, List<String> urls, Set<Option> switches, int parallel, ConflictRule rule,
        Path state, Duration acceptTimeout, List<String> trust, List<String> includes, List<String> excludes,
        CompareMode compare, String manifest, String site) {

    static final int DEFAULT_PARALLEL = 2;

    /** A command line that cannot be run; its message says why, in one line. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static Arguments parse(String... args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        Command command = Command.named(args[0]);
        if (command == null) {
            throw new UsageException(args[0].startsWith("-") ? "unknown option: " + args[0]
                    : "unknown command: " + args[0]);
        }
        List<String> urls = new ArrayList<>();
        Set<Option> switches = EnumSet.noneOf(Option.class);
        int parallel = DEFAULT_PARALLEL;
        ConflictRule rule = ConflictRule.OVERWRITE;
        Path state = null;
        Duration acceptTimeout = null;
        List<String> trust = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        List<String> excludes = new ArrayList<>();
        CompareMode compare = CompareMode.TIME;
        String manifest = null;
        String site = null;
        boolean optionsEnded = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (optionsEnded || !a.startsWith("-") || a.equals("-")) {
                urls.add(a);
                continue;
            }
            if (a.equals("--")) {
                optionsEnded = true;
                continue;
            }
            Option o = Option.named(a);
            if (o == null || !o.commands.contains(command)) {
                throw new UsageException((o == null ? "unknown option: " : name(command) + " takes no option ") + a);
            }
            String value = null;
            if (o.value != null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(a + " needs " + o.value);
                }
                value = args[++i];
            }
            switch (o) {
                case PARALLEL -> parallel = parallel(value);
                case ON_CONFLICT -> rule = rule(value);
                case STATE -> state = Path.of(value);
                case ACCEPT_TIMEOUT -> acceptTimeout = seconds(a, value);
                case TRUST -> trust.add(fingerprint(value));
                case INCLUDE -> includes.add(pattern(a, value));
                case EXCLUDE -> excludes.add(pattern(a, value));
                case COMPARE -> compare = compare(value);
                case MANIFEST -> manifest = manifest(value);
                case SITE -> site = value;
                default -> switches.add(o);
            }
        }
        if (command == Command.SITES) {
            sites(urls);
        } else if (command == Command.SKIP) {
            skip(urls);
        } else {
            int wanted = switch (command) {
                case COPY, DIFF, MIRROR -> 2;
                case LS -> 1;
                default -> 0;
            };
            if (urls.size() != wanted) {
                throw new UsageException(switch (command) {
                    case COPY, DIFF, MIRROR -> name(command) + " needs SRC and DST (each a URL or NAME:/path)";
                    case LS -> "ls needs one URL or NAME:/path";
                    default -> name(command) + " takes no arguments";
                });
            }
        }
        if (switches.contains(Option.NO_RELAY) && switches.contains(Option.RELAY_ONLY)) {
            throw new UsageException("--no-relay and --relay-only exclude each other");
        }
        if (!trust.isEmpty() && switches.contains(Option.INSECURE)) {
            throw new UsageException("--trust and --insecure exclude each other");
        }
        if (switches.contains(Option.ALLOW_EMPTY_SOURCE) && !switches.contains(Option.DELETE)) {
            throw new UsageException("--allow-empty-source goes with --delete");
        }
        return new Arguments(command, List.copyOf(urls), switches, parallel, rule, state, acceptTimeout,
                List.copyOf(trust), List.copyOf(includes), List.copyOf(excludes), compare, manifest, site);
    }

    /** The subcommands of {@code sitebridge sites} and what each takes. */
    private static void sites(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("sites needs list, add, remove or import");
        }
        String[] wanted = switch (args.get(0)) {
            case "list", "ls" -> new String[0];
            case "add" -> new String[] {"URL", "NAME"};
            case "remove", "rm" -> new String[] {"NAME"};
            case "import" -> new String[] {"FILE"};
            default -> throw new UsageException("unknown sites command: " + args.get(0)
                    + " (sites takes list, add, remove or import)");
        };
        if (args.size() - 1 != wanted.length) {
            throw new UsageException(wanted.length == 0 ? "sites " + args.get(0) + " takes no arguments"
                    : "sites " + args.get(0) + " needs " + String.join(" ", wanted));
        }
    }

    /** The subcommands of {@code sitebridge skip}: list, add PATTERN, remove PATTERN (a pattern checked here). */
    private static void skip(List<String> args) throws UsageException {
        if (args.isEmpty()) {
            throw new UsageException("skip needs list, add or remove");
        }
        int wanted = switch (args.get(0)) {
            case "list", "ls" -> 0;
            case "add", "remove", "rm" -> 1;
            default -> throw new UsageException("unknown skip command: " + args.get(0)
                    + " (skip takes list, add or remove)");
        };
        if (args.size() - 1 != wanted) {
            throw new UsageException(wanted == 0 ? "skip " + args.get(0) + " takes no arguments (--site NAME: one site's)"
                    : "skip " + args.get(0) + " needs one PATTERN (a pattern that begins with - goes after --)");
        }
        if (args.get(0).equals("add")) {
            pattern("skip add", args.get(1));
        }
    }

    boolean has(Option o) {
        return switches.contains(o);
    }

    /** What the options ask of each file's transfer. */
    TransferOptions transferOptions() {
        TransferOptions t = TransferOptions.defaults().withVerify(has(Option.VERIFY))
                .withRelayAllowed(!has(Option.NO_RELAY)).withFxpAllowed(!has(Option.RELAY_ONLY))
                .withClearDataAllowed(has(Option.FXP_CLEAR_DATA));
        return acceptTimeout == null ? t : t.withAcceptTimeout(acceptTimeout);
    }

    private static String name(Command c) {
        return c.names[0];
    }

    /** The {@code --include}/{@code --exclude} patterns as a filter. */
    PathFilter filter() {
        return PathFilter.of(includes, excludes);
    }

    private static String pattern(String option, String v) throws UsageException {
        try {
            PathFilter.of(List.of(v), List.of());
            return v;
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + v + ": " + e.getMessage());
        }
    }

    private static CompareMode compare(String v) throws UsageException {
        try {
            return CompareMode.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--compare must be size, time or hash");
        }
    }

    private static String manifest(String v) throws UsageException {
        if (v.isEmpty() || v.contains("/") || v.contains("\\") || v.equals(".") || v.equals("..")
                || v.chars().anyMatch(c -> c < 32)) {
            throw new UsageException("--manifest needs a file name (no folder)");
        }
        return v;
    }

    private static int parallel(String v) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--parallel must be 1..64");
    }

    private static ConflictRule rule(String v) throws UsageException {
        try {
            ConflictRule r = ConflictRule.parse(v);
            if (r != ConflictRule.ASK) {
                return r;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new UsageException("--on-conflict must be overwrite, skip, resume, rename or newer");
    }

    private static String fingerprint(String v) throws UsageException {
        return io.sitebridge.core.trust.UntrustedCertificate.parseFingerprint(v).orElseThrow(
                () -> new UsageException("--trust needs a SHA-256 fingerprint, SHA256: and 32 hex pairs"));
    }

    private static Duration seconds(String option, String v) throws UsageException {
        try {
            double s = Double.parseDouble(v);
            if (s > 0 && s < 1e6) {
                return Duration.ofMillis((long) (s * 1000));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " needs seconds");
    }
}
