package io.sitebridge.transfer.queue.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.sitebridge.core.Site;
import io.sitebridge.core.dialogue.ControlDialogue;
import io.sitebridge.transfer.StrategyMemory;
import io.sitebridge.transfer.cli.CommandLineSites;
import io.sitebridge.transfer.cli.FtpUrl;
import io.sitebridge.transfer.queue.ConflictRule;
import io.sitebridge.transfer.queue.ItemState;
import io.sitebridge.transfer.queue.QueueItem;
import io.sitebridge.transfer.queue.QueueOptions;
import io.sitebridge.transfer.queue.SiteDirectory;
import io.sitebridge.transfer.queue.TransferQueue;

/**
 * {@code sitebridge copy -r}: copies a folder (or, without {@code -r}, one file) through the
 * persistent {@link TransferQueue}.
 *
 * <pre>
 * sitebridge copy -r [--parallel N] [--on-conflict overwrite|skip|resume|rename|newer]
 *                    [--state DIR] [--no-relay] [--insecure] [-v] SRC_URL DST_URL
 * </pre>
 *
 * The queue lives in {@code --state}, else {@code $SITEBRIDGE_HOME}, else
 * {@code ~/.local/share/sitebridge} (in its {@code queue} folder). A run that was interrupted
 * (even by {@code kill -9}) is picked up by running the same command again: the same source and
 * destination continue where they were, files that were done are not sent again. Only one
 * process uses a state folder at a time. Passwords as for {@code copy}: SITEBRIDGE_SRC_PASSWORD,
 * SITEBRIDGE_DST_PASSWORD, SITEBRIDGE_PASSWORD, or a prompt.
 *
 * <p>Exit codes: 0 everything done or skipped; 1 some files failed; 2 usage; 3 the queue is in
 * use by another process; 130 cancelled.
 */
public final class QueueCommand {
    public static final String USAGE = "usage: sitebridge copy -r [--parallel N] [--on-conflict "
            + "overwrite|skip|resume|rename|newer] [--state DIR] [--no-relay] [--insecure] [-v] SRC_URL DST_URL";

    private final PrintStream out;
    private final PrintStream err;
    private final CommandLineSites sites;

    public QueueCommand(PrintStream out, PrintStream err, Map<String, String> env, Supplier<Console> console) {
        this.out = out;
        this.err = err;
        this.sites = new CommandLineSites(err, env, console);
    }

    /** Whether the arguments of {@code copy} ask for the queue ({@code -r}, {@code --parallel}, {@code --on-conflict}). */
    public static boolean wants(String[] args) {
        if (args.length == 0 || !(args[0].equals("copy") || args[0].equals("cp"))) {
            return false;
        }
        for (String a : args) {
            if (a.equals("-r") || a.equals("-R") || a.equals("--recursive") || a.equals("--parallel")
                    || a.equals("--on-conflict") || a.equals("--state")) {
                return true;
            }
        }
        return false;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new QueueCommand(out, err, System.getenv(), System::console).execute(args);
    }

    /** For running without OSGi (and for tests in a child JVM). */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public int execute(String[] args) {
        int parallel = QueueOptions.DEFAULT.parallel();
        ConflictRule rule = ConflictRule.OVERWRITE;
        boolean recursive = false;
        boolean verbose = false;
        boolean insecure = false;
        boolean relay = true;
        Path state = null;
        List<String> urls = new ArrayList<>();
        List<String> rest = Arrays.asList(args).subList(args.length > 0 && (args[0].equals("copy")
                || args[0].equals("cp")) ? 1 : 0, args.length);
        try {
            for (int i = 0; i < rest.size(); i++) {
                String a = rest.get(i);
                switch (a) {
                    case "-r", "-R", "--recursive" -> recursive = true;
                    case "-v", "--verbose" -> verbose = true;
                    case "-k", "--insecure" -> insecure = true;
                    case "--no-relay" -> relay = false;
                    case "--parallel" -> {
                        parallel = Integer.parseInt(value(rest, ++i, a));
                        if (parallel < 1 || parallel > 64) {
                            throw new IllegalArgumentException("--parallel must be 1..64");
                        }
                    }
                    case "--on-conflict" -> {
                        String v = value(rest, ++i, a);
                        rule = ConflictRule.parse(v);
                        if (rule == ConflictRule.ASK) {
                            throw new IllegalArgumentException("--on-conflict ask needs a user interface");
                        }
                    }
                    case "--state" -> state = Path.of(value(rest, ++i, a));
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option: " + a);
                        }
                        urls.add(a);
                    }
                }
            }
            if (urls.size() != 2) {
                throw new IllegalArgumentException("copy needs SRC_URL and DST_URL");
            }
        } catch (IllegalArgumentException e) {
            err.println("sitebridge: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        FtpUrl src;
        FtpUrl dst;
        Site srcSite;
        Site dstSite;
        try {
            src = FtpUrl.parse(urls.get(0));
            dst = FtpUrl.parse(urls.get(1));
            // One connection more than the workers: the progress monitor's.
            int connections = Math.max(4, parallel + 1);
            srcSite = sites.site(src, "SITEBRIDGE_SRC_PASSWORD").maxConnections(connections).build();
            dstSite = sites.site(dst, "SITEBRIDGE_DST_PASSWORD").maxConnections(connections).build();
        } catch (IllegalArgumentException | CommandLineSites.MissingPassword e) {
            err.println("sitebridge: " + e.getMessage());
            return 2;
        }
        String srcPath = trim(src.path());
        String dstPath = trim(dst.path());
        if (!recursive && dst.path().endsWith("/")) {
            dstPath = (dstPath.equals("/") ? "" : dstPath) + "/" + srcPath.substring(srcPath.lastIndexOf('/') + 1);
        }
        Path folder = stateFolder(state).resolve("queue");
        ControlDialogue dialogue = new ControlDialogue();
        if (verbose) {
            dialogue.addListener(e -> err.println(e.format()));
        }
        QueueOptions options = QueueOptions.defaults().withParallel(parallel).withDefaultRule(rule)
                .withVerifyCertificates(!insecure)
                .withTransfer(QueueOptions.DEFAULT.transfer().withRelayAllowed(relay));
        try {
            Files.createDirectories(folder);
            try (FileChannel lockFile = FileChannel.open(folder.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
                if (lock == null) {
                    err.println("sitebridge: the queue in " + folder + " is in use by another sitebridge process");
                    return 3;
                }
                return runQueue(folder, options, dialogue, srcSite, srcPath, dstSite, dstPath, recursive, rule);
            }
        } catch (IOException e) {
            err.println("sitebridge: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            try {
                dialogue.flush(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private int runQueue(Path folder, QueueOptions options, ControlDialogue dialogue, Site srcSite, String srcPath,
            Site dstSite, String dstPath, boolean recursive, ConflictRule rule) throws IOException,
            InterruptedException {
        try (TransferQueue q = TransferQueue.open(folder, SiteDirectory.of(srcSite, dstSite), options, dialogue,
                StrategyMemory.global())) {
            QueueItem root = null;
            for (QueueItem i : q.items()) {
                if (i.parentId() == 0 && !i.state().isFinished() && i.sourceSite().equals(srcSite.key())
                        && i.sourcePath().equals(srcPath) && i.destinationSite().equals(dstSite.key())
                        && i.destinationPath().equals(dstPath)) {
                    root = i;
                    break;
                }
            }
            boolean terminal = isTerminal();
            if (root != null) {
                out.println("continuing an interrupted run: " + srcSite.name() + srcPath + " -> " + dstSite.name()
                        + dstPath + " (" + q.children(root.id()).stream().filter(i -> i.state().isFinished()).count()
                        + " files finished before)");
            }
            Thread hook = new Thread(q::close, "sitebridge-queue-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            ProgressPrinter printer;
            if (root == null) {
                // Listen before adding, so that no event is missed.
                printer = new ProgressPrinter(out, terminal, q.items().stream().mapToLong(QueueItem::id).max()
                        .orElse(0) + 1);
                q.addListener(printer);
                root = q.add(srcSite, srcPath, dstSite, dstPath, recursive, rule);
            } else {
                printer = new ProgressPrinter(out, terminal, root.id());
                q.addListener(printer);
            }
            q.start();
            q.awaitFinished(root.id(), Duration.ofDays(365));
            QueueItem end = q.item(root.id()).orElseThrow();
            printer.finish(end);
            if (end.state() != ItemState.DONE && !recursive) {
                err.println("sitebridge: " + end.state().name().toLowerCase() + ": " + end.reason());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
            return switch (end.state()) {
                case DONE, SKIPPED -> 0;
                case CANCELLED -> 130;
                default -> 1;
            };
        }
    }

    /** Standard output is a terminal (Console.isTerminal() exists from Java 22; on 21 a console means one). */
    private static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static String trim(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private Path stateFolder(Path given) {
        return given != null ? given : sites.stateFolder();
    }
}
