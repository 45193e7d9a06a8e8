package io.sitebridge.benchmark;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Starts the listing benchmark when the benchmark's bundle starts (with the product, start level 4). */
public final class ListingHookActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        ListingBenchmark.installIfRequested(); // inert unless -Dsitebridge.benchmark.listing=URL
    }

    @Override
    public void stop(BundleContext context) {
        // the benchmark's thread is a daemon; the workbench closes itself when the figures are written
    }
}
