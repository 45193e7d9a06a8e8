import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.eclipse.osgi.report.resolution.ResolutionReport;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Resource;

/**
 * Resolves a product's configuration as Equinox would on another system: installs every bundle
 * of configuration/org.eclipse.equinox.simpleconfigurator/bundles.info into a framework whose
 * osgi.os/ws/arch are the given platform's, resolves them all and reports each bundle that does
 * not resolve, with the resolver's reason. Also requires SWT to have exactly its platform
 * fragment attached. Exit code 0 when everything resolves.
 *
 *   java -cp org.eclipse.osgi_*.jar:CLASSES ResolveBundles PRODUCT_DIR OS WS ARCH STORAGE_DIR
 */
public final class ResolveBundles {

    private static final String PLATFORM_FILTER = "Eclipse-PlatformFilter";

    public static void main(String[] args) throws Exception {
        Path product = Path.of(args[0]);
        String os = args[1], ws = args[2], arch = args[3];
        Map<String, String> config = new HashMap<>();
        config.put("osgi.os", os);
        config.put("osgi.ws", ws);
        config.put("osgi.arch", arch);
        config.put("osgi.nl", "en_US");
        config.put(org.osgi.framework.Constants.FRAMEWORK_STORAGE, args[4]);
        config.put(org.osgi.framework.Constants.FRAMEWORK_STORAGE_CLEAN,
                org.osgi.framework.Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.init();
        try {
            BundleContext context = framework.getBundleContext();
            Reasons reasons = new Reasons();
            context.registerService(ResolverHookFactory.class, reasons, null);
            List<Bundle> bundles = new ArrayList<>();
            for (String location : locations(product)) {
                bundles.add(context.installBundle("reference:" + product.resolve(location).toUri()));
            }
            framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
            int unresolved = 0;
            for (Bundle b : bundles) {
                if (b.getState() == Bundle.INSTALLED) {
                    unresolved++;
                    BundleRevision revision = b.adapt(BundleRevision.class);
                    String filter = b.getHeaders("").get(PLATFORM_FILTER);
                    System.out.println("UNRESOLVED " + b.getSymbolicName() + " " + b.getVersion() + ": "
                            + reasons.messages.getOrDefault(revision,
                                    filter != null ? "platform filter " + filter : "(no reason reported)").strip());
                }
            }
            String fragment = "org.eclipse.swt." + ws + "." + os + "." + arch;
            List<String> swtFragments = new ArrayList<>();
            for (Bundle b : bundles) {
                if ("org.eclipse.swt".equals(b.getSymbolicName()) && b.adapt(BundleWiring.class) != null) {
                    for (BundleWire wire : b.adapt(BundleWiring.class).getProvidedWires(BundleRevision.HOST_NAMESPACE)) {
                        Bundle attached = wire.getRequirer().getBundle();
                        if (attached.getHeaders("").get(PLATFORM_FILTER) != null) { // not org.eclipse.swt.svg
                            swtFragments.add(attached.getSymbolicName());
                        }
                    }
                }
            }
            boolean swtRight = swtFragments.equals(List.of(fragment));
            if (!swtRight) {
                System.out.println("SWT has the fragments " + swtFragments + ", expected only " + fragment);
            }
            System.out.println(os + "/" + ws + "/" + arch + ": " + (bundles.size() - unresolved) + " of "
                    + bundles.size() + " bundles resolved, SWT fragment " + swtFragments + ", on Java "
                    + System.getProperty("java.runtime.version"));
            System.exit(unresolved == 0 && swtRight ? 0 : 1);
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /** The bundles of the product's simple configurator, but the framework itself. */
    private static List<String> locations(Path product) throws IOException {
        List<String> locations = new ArrayList<>();
        for (String line : Files.readAllLines(
                product.resolve("configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"))) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (!fields[0].equals("org.eclipse.osgi")) {
                locations.add(fields[2]);
            }
        }
        if (locations.isEmpty()) {
            throw new IOException("no bundles in " + product);
        }
        return locations;
    }

    /** Keeps Equinox's resolution report: why each bundle did not resolve. */
    private static final class Reasons implements ResolverHookFactory, ResolutionReport.Listener {
        final Map<Resource, String> messages = new HashMap<>();

        @Override
        public ResolverHook begin(Collection<BundleRevision> triggers) {
            return new ResolverHook() {
                @Override
                public void filterResolvable(Collection<BundleRevision> candidates) {
                }

                @Override
                public void filterSingletonCollisions(BundleCapability singleton,
                        Collection<BundleCapability> collisionCandidates) {
                }

                @Override
                public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                }

                @Override
                public void end() {
                }
            };
        }

        @Override
        public void handleResolutionReport(ResolutionReport report) {
            for (Resource resource : report.getEntries().keySet()) {
                messages.putIfAbsent(resource, report.getResolutionReportMessage(resource));
            }
        }
    }
}
