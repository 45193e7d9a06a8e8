package io.sitebridge.app.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * What the {@link Agent} and its {@link AgentClient} say to each other: over a TCP connection to
 * the loopback port the agent names in {@code STATE/agent/address} ("PORT TOKEN"), a file in a
 * folder only its user can enter. (Not a Unix socket: in a client JVM its first use costs 25 ms, and the
 * client starts for every command.) Whoever cannot read that file cannot give the token: the agent
 * closes any connection whose first bytes are not {@link #MAGIC}, {@link #VERSION} and its token.
 *
 * <p>The client opens with those, the {@link #build()} it is part of and a kind: {@link #RUN} (then its working directory, its environment and the command line),
 * {@link #STATUS} or {@link #STOP}. During a run it may send one byte more, {@link #CANCEL}; closing
 * the connection means the same. The agent answers with frames: a type byte, then for
 * {@link #OUT}, {@link #ERR}, {@link #TEXT} and {@link #REFUSED} a length and that many bytes, for
 * {@link #EXIT} the exit code. A run's last frame is its EXIT.
 */
final class AgentProtocol {
    static final int MAGIC = 0x53424147; // "SBAG"
    static final int VERSION = 1;

    static final byte RUN = 1;
    static final byte STATUS = 2;
    static final byte STOP = 3;
    static final byte CANCEL = 9;

    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte EXIT = 3;
    /** The agent does not take this request (busy with another command, another build): the client runs it itself. */
    static final byte REFUSED = 4;
    static final byte TEXT = 5;

    /** The client's exit code when no agent took the command: the start script then runs it in its own JVM. */
    static final int NOT_TAKEN = 125;

    /** Bounds on what either side reads: a string, an environment, a command line. */
    static final int MAX_STRING = 1 << 20;
    static final int MAX_ENTRIES = 10_000;

    private AgentProtocol() {
    }

    /** How long the agent waits for a new connection's first bytes. */
    static final int HELLO_MILLIS = 5000;

    /** The agent's folder in a state folder: its address, lock, pid and log. */
    static Path folder(Path state) {
        return state.resolve("agent");
    }

    /** The file that says where the agent listens: "PORT TOKEN". */
    static Path address(Path agentFolder) {
        return agentFolder.resolve("address");
    }

    /**
     * Which build of Sitebridge this is: where its classes come from, and that file's size and time.
     * An agent serves only clients of its own build (an update replaces the jars, and the agent
     * still runs the old ones).
     */
    static String build() {
        try {
            CodeSource src = AgentProtocol.class.getProtectionDomain().getCodeSource();
            if (src == null || src.getLocation() == null) {
                return "unknown";
            }
            Path p = Path.of(src.getLocation().toURI());
            // (A StringBuilder, not +: the client starts for every command, and the first + of a JVM
            // costs it a few milliseconds of bootstrapping.)
            StringBuilder b = new StringBuilder(p.toString());
            if (Files.isRegularFile(p)) {
                b.append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
            }
            return b.toString();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_STRING) {
            throw new IOException("a frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    static int readCount(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ENTRIES) {
            throw new IOException("a count of " + n);
        }
        return n;
    }

    /** Reads the next frame's type; -1 at the end of the connection. */
    static int readType(DataInputStream in) throws IOException {
        try {
            return in.readUnsignedByte();
        } catch (EOFException e) {
            return -1;
        }
    }
}
