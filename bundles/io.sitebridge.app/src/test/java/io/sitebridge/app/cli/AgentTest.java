package io.sitebridge.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sitebridge.testing.Trees;
import io.sitebridge.testing.peers.PeerConfig;
import io.sitebridge.testing.peers.PeerKind;
import io.sitebridge.testing.peers.RealPeer;
import io.sitebridge.testing.peers.RealPeers;

/**
 * The command line's agent ({@code sitebridge agent start}) in a child JVM, its clients in child
 * JVMs of their own, as the start script runs them, copying between a real vsftpd and a real
 * proftpd: copies done in the agent are whole and leave nothing running behind them; a client that
 * is stopped (TERM, as Ctrl-C) stops its command, and the same command finishes it afterwards; a
 * busy agent leaves a command to its caller; a connection without the agent's token is closed;
 * {@code stop} ends it once the command it runs has ended, taking no new one meanwhile.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentTest {
    static Path dir;
    static Path home;
    static RealPeer vs;
    static RealPeer pro;
    static Process agent;

    @BeforeAll
    static void start() throws Exception {
        dir = Trees.scratch("sb-agent");
        home = Files.createDirectories(dir.resolve("home"));
        vs = RealPeers.start(PeerKind.VSFTPD, "127.0.0.57", dir.resolve("vs"), PeerConfig.FXP);
        pro = RealPeers.start(PeerKind.PROFTPD, "127.0.0.58", dir.resolve("pro"), PeerConfig.FXP);
        Trees.smallTree(vs.root().resolve("tree"), 3, 2, 12, 7);
        Trees.smallTree(vs.root().resolve("many"), 6, 3, 120, 8); // long enough to stop in the middle
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Agent.class.getName(), "--idle-minutes", "10").redirectErrorStream(true);
        pb.environment().put("SITEBRIDGE_HOME", home.toString());
        agent = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        String first = r.readLine();
        assertTrue(first != null && first.startsWith("ready "), "the agent says it is ready: " + first);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        if (vs != null) {
            vs.close();
        }
        if (pro != null) {
            pro.close();
        }
        Trees.deleteAll(dir);
    }

    /** A client run as the start script runs it: {@code AgentClient STATE/agent --run|--status|--stop ...}. */
    private static Process client(Path out, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                AgentClient.class.getName(), AgentProtocol.folder(home).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(dir.toFile()); // not the agent's working directory
        pb.environment().put("SITEBRIDGE_HOME", home.toString());
        pb.environment().put("SITEBRIDGE_PASSWORD", vs.password());
        return pb.start();
    }

    private static Result run(String name, String... args) throws Exception {
        Path out = dir.resolve(name + ".out");
        Process p = client(out, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " ended");
        return new Result(p.exitValue(), Files.readString(out));
    }

    private record Result(int code, String out) {
    }

    /** A client's {@code copy -r} of /many to {@code dst} through the agent, once its first file is done. */
    private static Process copyUnderWay(Path out, String state, String dst) throws Exception {
        Process p = client(out, "--run", "copy", "-r", "--state", dir.resolve(state).toString(), vs.url("/many"),
                pro.url(dst));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(out).contains("done ") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the copy ended before it could be stopped: " + Files.readString(out));
        return p;
    }

    private static int threads(String status) {
        Matcher m = Pattern.compile("(\\d+) threads").matcher(status);
        assertTrue(m.find(), status);
        return Integer.parseInt(m.group(1));
    }

    @Test
    @Order(1)
    void copiesInTheAgentAreWholeAndLeaveNoThreadBehind() throws Exception {
        int before = -1;
        for (int i = 1; i <= 3; i++) {
            Result r = run("copy" + i, "--run", "copy", "-r", "--state", "state", vs.url("/tree"),
                    pro.url("/tree" + i));
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().contains("copied: "), r.out());
            Trees.assertSameTree(vs.root().resolve("tree"), pro.root().resolve("tree" + i));
            Result s = run("status" + i, "--status");
            assertEquals(0, s.code(), s.out());
            assertTrue(s.out().contains(i + " commands run"), s.out());
            assertFalse(s.out().contains("running now"), s.out());
            if (before < 0) {
                before = threads(s.out());
            } else {
                assertEquals(before, threads(s.out()), "threads after copy " + i + ": " + s.out());
            }
        }
        // --state relative to the client's working directory, not the agent's
        assertTrue(Files.isDirectory(dir.resolve("state").resolve("queue")), "the queue is where the client meant it");
    }

    @Test
    @Order(2)
    void aStoppedClientStopsItsCommandAndTheSameCommandFinishesIt() throws Exception {
        Path out = dir.resolve("many1.out");
        Process first = copyUnderWay(out, "many-state", "/many");

        // Meanwhile the agent is busy: another command is left to its caller.
        Result busy = run("busy", "--run", "ls", vs.url("/"));
        assertEquals(AgentProtocol.NOT_TAKEN, busy.code(), busy.out());

        first.destroy(); // TERM: the client's hook asks the agent to stop the command and waits for its end
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the stopped client ended");
        assertEquals(ExitCode.CANCELLED.code, first.exitValue(), Files.readString(out));
        Result s = run("status-after-stop", "--status");
        assertFalse(s.out().contains("running now"), s.out());

        Result again = run("many2", "--run", "copy", "-r", "--state", dir.resolve("many-state").toString(),
                vs.url("/many"), pro.url("/many"));
        assertEquals(0, again.code(), again.out());
        assertTrue(again.out().contains("continuing an interrupted run"), again.out());
        Trees.assertSameTree(vs.root().resolve("many"), pro.root().resolve("many"));
    }

    @Test
    @Order(3)
    void aConnectionWithoutTheTokenIsClosed() throws Exception {
        String address = Files.readString(AgentProtocol.address(AgentProtocol.folder(home))).trim();
        int port = Integer.parseInt(address.substring(0, address.indexOf(' ')));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            // A status request whose token is wrong, sent in one write (the agent may close as soon
            // as it has read the token).
            java.io.ByteArrayOutputStream hello = new java.io.ByteArrayOutputStream();
            DataOutputStream to = new DataOutputStream(hello);
            to.writeInt(AgentProtocol.MAGIC);
            to.writeInt(AgentProtocol.VERSION);
            AgentProtocol.writeString(to, "0".repeat(64));
            AgentProtocol.writeString(to, AgentProtocol.build());
            to.writeByte(AgentProtocol.STATUS);
            s.getOutputStream().write(hello.toByteArray());
            int answer;
            try {
                answer = new DataInputStream(s.getInputStream()).read();
            } catch (java.net.SocketException e) {
                answer = -1; // reset: closed with the rest of our request unread
            }
            assertEquals(-1, answer, "closed without an answer");
        }
        assertEquals(0, run("status-after-intruder", "--status").code());
    }

    @Test
    @Order(4)
    void stopEndsTheAgentOnceItsRunningCommandEnds() throws Exception {
        Path out = dir.resolve("last.out");
        Process copy = copyUnderWay(out, "last-state", "/many-last");
        Result r = run("stop", "--stop");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("it ends when the command it runs ends"), r.out());
        Result late = run("run-while-ending", "--run", "ls", vs.url("/"));
        assertEquals(AgentProtocol.NOT_TAKEN, late.code(), "an ending agent takes no new command: " + late.out());

        assertTrue(copy.waitFor(120, TimeUnit.SECONDS), "the running copy ended");
        assertEquals(0, copy.exitValue(), Files.readString(out));
        Trees.assertSameTree(vs.root().resolve("many"), pro.root().resolve("many-last"));
        assertTrue(agent.waitFor(20, TimeUnit.SECONDS), "the agent ended after it");
        assertEquals(0, agent.exitValue());
        assertFalse(Files.exists(AgentProtocol.address(AgentProtocol.folder(home))), "its address is gone");
        Result none = run("run-after-stop", "--run", "ls", vs.url("/"));
        assertEquals(AgentProtocol.NOT_TAKEN, none.code(), "no agent: the caller runs it: " + none.out());
    }
}
