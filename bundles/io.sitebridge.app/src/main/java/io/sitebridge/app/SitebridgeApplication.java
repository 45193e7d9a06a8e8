package io.sitebridge.app;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.ILog;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.PlatformUI;

import io.sitebridge.demo.DemoEnvironment;
import io.sitebridge.demo.DemoServer;
import io.sitebridge.ui.SitebridgeUi;
import io.sitebridge.ui.sites.SiteRegistry;
import io.sitebridge.ui.views.SiteBrowserView;

/**
 * The standalone Sitebridge window. Unless started with {@code --no-demo}
 * (or {@code -Dsitebridge.demo=false}) it first starts two FTP servers on
 * loopback and opens them in the left and right site browsers, so that a
 * newcomer's first drag works with nothing to configure.
 */
public class SitebridgeApplication implements IApplication {

    private DemoEnvironment demo;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        List<String> arguments = args == null ? List.of() : Arrays.asList(args);
        boolean demoWanted = !arguments.contains("--no-demo")
                && !"false".equalsIgnoreCase(System.getProperty("sitebridge.demo", "true"));

        Display display = PlatformUI.createDisplay();
        try {
            if (demoWanted) {
                startDemo();
            }
            int code = PlatformUI.createAndRunWorkbench(display, new SitebridgeWorkbenchAdvisor());
            return code == PlatformUI.RETURN_RESTART ? IApplication.EXIT_RESTART : IApplication.EXIT_OK;
        } finally {
            display.dispose();
            if (demo != null) {
                demo.close();
            }
        }
    }

    private void startDemo() {
        try {
            demo = DemoEnvironment.start();
        } catch (IOException e) {
            ILog.of(getClass()).error("The demo FTP servers could not start; Sitebridge starts without them.", e);
            return;
        }
        // where the demo keeps its files: the UI tests compare bytes on disk
        System.setProperty("sitebridge.demo.left.home", demo.left().home().toString());
        System.setProperty("sitebridge.demo.right.home", demo.right().home().toString());
        SiteRegistry sites = SitebridgeUi.getDefault().sites();
        sites.addDemoSite(SiteBrowserView.LEFT, toSite(demo.left()));
        sites.addDemoSite(SiteBrowserView.RIGHT, toSite(demo.right()));
        ILog.of(getClass()).info("Demo FTP servers: " + demo.left() + " and " + demo.right()
                + ", serving " + demo.root());
    }

    private static io.sitebridge.core.Site toSite(DemoServer server) {
        return io.sitebridge.core.Site.builder(server.host())
                .name(server.name())
                .port(server.port())
                .user(server.user())
                .password(server.password())
                .build();
    }

    @Override
    public void stop() {
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        IWorkbench workbench = PlatformUI.getWorkbench();
        Display display = workbench.getDisplay();
        display.syncExec(() -> {
            if (!display.isDisposed()) {
                workbench.close();
            }
        });
    }
}
