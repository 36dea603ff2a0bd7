package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.cli.FakeDebuggerClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the agent does wrong, or stopping being there, reaches gdb as an answer and never ends the session by an
 * escaped exception (issue 14): gdb learns of a stop it cannot be told the registers of, and of an agent that is gone.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentTroubleTest {
    @Test
    void aStopWhoseRegistersTheAgentRefusesIsStillReportedAndTheSessionGoesOn() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient(); // no registers: each read of them is refused
        client.map(0x7ff000, new byte[] {0x11, 0x22}, "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("c");
            while (client.calls("cont").isEmpty()) {
                Thread.onSpinWait();
            }
            // A stop from an agent before 1.9: no registers in the record, so the stop reply asks for them.
            client.emit(new DebuggerRecord.Break(1, DebuggerRecord.BreakReason.BREAKPOINT, 0, Optional.empty(), 0,
                    0x401000, "breakpoint 0"));

            assertThat(gdb.receive()).as("the stop reply, without the registers the agent refused")
                    .isEqualTo("T05thread:1;");
            assertThat(gdb.log.toString()).contains("registers");
            gdb.send("m7ff000,2");
            assertThat(gdb.receive()).as("the session goes on").isEqualTo("1122");
            gdb.send("g");
            assertThat(gdb.receive()).as("gdb's own read of the registers fails as the agent's").startsWith("E");
            gdb.detach();
        }
    }

    @Test
    void theRecordThreadNeverWaitsForTheSessionHoweverManyStopsItDelivers() throws Exception {
        // In a batch the record thread drives the connection's I/O: blocked on the session's queue, it would leave a
        // request of the session's thread unanswered for ever. 300 stops while gdb sits at its prompt (the session
        // reads gdb's socket, not its queue) all go into the queue; the 257th used to block here.
        FakeDebuggerClient client = new FakeDebuggerClient();
        client.map(0x7ff000, new byte[] {0x11, 0x22}, "stack");
        try (FakeFrontEnd gdb = new FakeFrontEnd(client)) {
            gdb.send("m7ff000,2");
            assertThat(gdb.receive()).isEqualTo("1122");
            CompletableFuture<Void> delivered = CompletableFuture.runAsync(() -> {
                for (int seq = 1; seq <= 300; seq++) {
                    client.emit(new DebuggerRecord.Break(seq, DebuggerRecord.BreakReason.PAUSE, 0, Optional.empty(), 0,
                            0x401000, "paused"));
                }
            });
            delivered.get(10, TimeUnit.SECONDS);

            gdb.send("m7ff000,2");
            assertThat(gdb.receive()).as("the session goes on, no stop reply unasked").isEqualTo("1122");
            gdb.detach();
        }
    }

    @Test
    void anAgentThatDisconnectsWhileGdbIsIdleClosesGdbsConnectionAtOnceAndTheBridgeStops() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient();
        client.map(0x7ff000, new byte[] {0x11, 0x22}, "stack");
        try (Bridge bridge = new Bridge(client); Socket gdb = bridge.connect()) {
            assertThat(exchange(gdb, "m7ff000,2")).isEqualTo("+$1122#");

            client.disconnect("the agent closed the connection"); // gdb sends nothing more: it waits at its prompt

            assertThat(gdb.getInputStream().readAllBytes()).as("gdb's connection closed, nothing more sent").isEmpty();
            assertThat(bridge.served.get(10, TimeUnit.SECONDS)).as("serveOne: no next front end").isFalse();
            assertThat(bridge.bridge.agentGone()).contains("the agent closed the connection");
            assertThat(bridge.log.toString()).contains("gdb: the agent disconnected (the agent closed the connection)");
        }
    }

    @Test
    void anAgentThatDisconnectsWhileTheTargetRunsClosesGdbsConnection() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient(); // a continue leaves the target running
        try (Bridge bridge = new Bridge(client); Socket gdb = bridge.connect()) {
            send(gdb, "c");
            assertThat(gdb.getInputStream().read()).as("the c acknowledged").isEqualTo('+');
            while (client.calls("cont").isEmpty()) {
                Thread.onSpinWait();
            }

            client.disconnect("connection reset");

            assertThat(gdb.getInputStream().readAllBytes()).as("no stop reply; the connection closed").isEmpty();
            assertThat(bridge.served.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(bridge.log.toString()).contains("the agent disconnected (connection reset)");
        }
    }

    @Test
    void anAgentThatDisconnectsBeforeAnyFrontEndStopsTheBridgeListening() throws Exception {
        FakeDebuggerClient client = new FakeDebuggerClient();
        try (Bridge bridge = new Bridge(client)) {
            client.disconnect("the agent closed the connection");

            assertThat(bridge.served.get(10, TimeUnit.SECONDS)).as("serveOne returns without a front end").isFalse();
            assertThat(bridge.log.toString()).contains("the bridge stops listening");
        }
    }

    private static void send(Socket gdb, String payload) throws IOException {
        new GdbWire(gdb.getInputStream(), gdb.getOutputStream()).send(payload);
    }

    /** Sends a packet and returns the acknowledgement and the answer up to its checksum. */
    private static String exchange(Socket gdb, String payload) throws IOException {
        send(gdb, payload);
        InputStream in = gdb.getInputStream();
        StringBuilder answer = new StringBuilder();
        int c;
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new IOException("closed after " + answer);
            }
            answer.append((char) c);
        }
        in.read();
        in.read();
        gdb.getOutputStream().write('+');
        return answer.append('#').toString();
    }

    /** A bridge over {@code client} serving one front end on its own thread; {@link #served} is what serveOne said. */
    private static final class Bridge implements AutoCloseable {
        final StringBuffer log = new StringBuffer();
        final GdbBridge bridge;
        final CompletableFuture<Boolean> served = new CompletableFuture<>();

        Bridge(FakeDebuggerClient client) throws IOException {
            bridge = GdbBridge.listen("127.0.0.1", 0, false, client, FakeFrontEnd.quietMonitor(),
                    line -> log.append(line).append('\n'));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    served.complete(bridge.serveOne());
                } catch (InterruptedException | RuntimeException e) {
                    served.completeExceptionally(e);
                }
            });
        }

        /** gdb's end; a read that waits longer than 10 s fails (a socket's read ignores the test's timeout). */
        Socket connect() throws IOException {
            Socket gdb = new Socket(InetAddress.getLoopbackAddress(), bridge.port());
            gdb.setSoTimeout(10_000);
            return gdb;
        }

        @Override
        public void close() {
            bridge.close();
        }
    }
}
