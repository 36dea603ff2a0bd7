package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --forward HOSTPORT:PORT}: a host program (this test, with a plain socket) talks to the ELF program's TCP
 * server through a port of the host's loopback, as curl or a browser would; the machine, whose only thread waits in
 * accept, idles for it instead of ending as a deadlock, and a pause stops it meanwhile.
 */
class PortForwardIT {
    private static final Pattern FORWARDING = Pattern.compile("forwarding 127\\.0\\.0\\.1:(\\d+) to the machine's TCP "
            + "port (\\d+)");

    @TempDir
    static Path dir;
    private static Path server;

    @BeforeAll
    static void compile() throws Exception {
        server = GuestPrograms.compile(GuestPrograms.source(dir, "echoserve.c"), dir.resolve("echoserve"), "-static",
                "-O1");
    }

    /** The host port the agent forwards to the machine's {@code port}, from its log. */
    private static int hostPort(AgentProcess agent, int port) throws InterruptedException {
        assertThat(agent.awaitOutput("to the machine's TCP port " + port, 20_000)).as("the forward's log line")
                .isTrue();
        Matcher m = FORWARDING.matcher(agent.output());
        while (m.find()) {
            if (Integer.parseInt(m.group(2)) == port) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no forward to " + port + " in " + agent.output());
    }

    /** Sends {@code line} over a new connection to the host's {@code port}, shuts its side, returns all it got. */
    private static String exchange(int port, String line) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs the program on, and waits until its server listens (its "listening" line). */
    private static void runUntilListening(DebuggerClient client, Records records) throws Exception {
        client.addRecordListener(records);
        client.cont().get(10, TimeUnit.SECONDS);
        records.await(r -> output(records).contains("listening"), Duration.ofSeconds(30));
    }

    private static String output(Records records) {
        StringBuilder text = new StringBuilder();
        for (DebuggerRecord.Output o : records.of(DebuggerRecord.Output.class)) {
            text.append(new String(o.data(), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    @Test
    void aHostProgramTalksToTheProgramsServerThroughAForwardedPort() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--elf", server.toString(), "--forward", "0:7411", "--", "7411",
                "2"); DebuggerClient client = agent.connect()) {
            int port = hostPort(agent, 7411);
            runUntilListening(client, records);
            assertThat(exchange(port, "hello\nworld\n")).isEqualTo("HELLO\nWORLD\n");
            byte[] big = new byte[300_000]; // more than a pipe holds, and more than the agent reads ahead
            java.util.Arrays.fill(big, (byte) 'a');
            assertThat(exchange(port, new String(big, StandardCharsets.US_ASCII))).hasSize(big.length)
                    .matches("A+");
            DebuggerRecord.Exit exit = records.awaitExit();
            assertThat(exit.status()).as("the server's status after its two clients").isZero();
            assertThat(output(records)).contains("client 1 from 127.0.0.1", "client 2 from 127.0.0.1");
            assertThat(records.of(DebuggerRecord.Notice.class)).as("no deadlock: the machine waited").isEmpty();
        }
    }

    @Test
    void aPauseStopsTheMachineWhileItWaitsForTheOutsideAndItGoesOnAfter() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--elf", server.toString(), "--forward", "0:7412", "--", "7412",
                "1"); DebuggerClient client = agent.connect()) {
            int port = hostPort(agent, 7412);
            runUntilListening(client, records);
            client.pause().get(10, TimeUnit.SECONDS);
            DebuggerRecord.Break paused = records.awaitBreak();
            assertThat(paused.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
            client.cont().get(10, TimeUnit.SECONDS);
            assertThat(exchange(port, "again\n")).isEqualTo("AGAIN\n");
            assertThat(records.awaitExit().status()).isZero();
        }
    }

    @Test
    void aForwardedPortNoOneListensOnResetsTheConnection() throws Exception {
        Records records = new Records();
        try (AgentProcess agent = AgentProcess.start("--elf", server.toString(), "--forward", "0:7413", "--forward",
                "0:7414", "--", "7413", "1"); DebuggerClient client = agent.connect()) {
            int nobody = hostPort(agent, 7414);
            int served = hostPort(agent, 7413);
            runUntilListening(client, records);
            assertThatThrownBy(() -> exchange(nobody, "anyone?\n")).as("refused: reset")
                    .isInstanceOf(java.net.SocketException.class);
            assertThat(exchange(served, "yes\n")).isEqualTo("YES\n");
            assertThat(records.awaitExit().status()).isZero();
        }
    }
}
