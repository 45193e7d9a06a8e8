import io.sitebridge.demo.DemoEnvironment;
import io.sitebridge.demo.DemoServer;

/**
 * Runs the product's own embedded demo servers (io.sitebridge.demo, Apache FtpServer) outside the
 * application, for the package tests: prints "PORT PASSWORD" of the left server (sample files)
 * and serves until standard input closes.
 */
public final class DemoServers {
    public static void main(String[] args) throws Exception {
        try (DemoEnvironment demo = DemoEnvironment.start()) {
            DemoServer left = demo.left();
            System.out.println(left.port() + " " + left.password());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our standard input
            }
        }
    }
}
