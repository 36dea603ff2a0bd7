package dev.hdbg.host.gdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.DebuggerClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hdbg --gdb}'s bridge on the thread that drives the client's I/O (issue 14): gdb's packets, the agent's replies
 * and its records are all taken on that one thread, waiting in one selector, with no reader thread, record thread or
 * event loop thread handing anything over; a Ctrl-C and the agent's going away are still seen at once. Counts, no
 * timing: the timeouts are failures (a packet or a wake-up lost), not measurements.
 */
class DrivenSessionTest {
    private static final int STEPS = 30;

    private final StepAgent agent;
    private final List<String> gdbSaw = new CopyOnWriteArrayList<>();
    private final StringBuilder log = new StringBuilder();

    DrivenSessionTest() throws InterruptedException {
        agent = new StepAgent();
    }

    @AfterEach
    void close() {
        agent.close();
    }

    /** Plays gdb on a thread of its own: connects to the bridge and runs {@code script} over the connection. */
    private Thread gdb(GdbBridge bridge, GdbScript script) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
                script.run(new Gdb(new GdbWire(socket.getInputStream(), socket.getOutputStream())));
            } catch (IOException e) {
                gdbSaw.add("failed: " + e.getMessage());
            }
        });
    }

    interface GdbScript {
        void run(Gdb gdb) throws IOException;
    }

    /** gdb's side of the wire; a closed connection is received as "(closed)". */
    record Gdb(GdbWire wire) {
        void send(String payload) throws IOException {
            wire.send(payload);
        }

        void interrupt() throws IOException {
            wire.interrupt();
        }

        String receive() throws IOException {
            String payload = wire.next();
            return payload == null ? "(closed)" : payload;
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up blocks in a socket
    void stepisTheirReadsAndTheirRecordsAreTakenOnTheSessionsThreadAlone() throws Exception {
        Thread session = Thread.currentThread();
        Set<String> listenedOn = ConcurrentHashMap.newKeySet();
        try (DebuggerClient client = agent.connectDriven()) {
            assertThat(CallerDrivenLoop.drivesIo()).isTrue();
            client.addRecordListener(record -> listenedOn.add(Thread.currentThread() == session ? "session" : Thread.currentThread().getName()));
            try (GdbBridge bridge = GdbBridge.listen("127.0.0.1", 0, false, client, FakeFrontEnd.quietMonitor(), this::log)) {
                Thread gdb = gdb(bridge, g -> {
                    for (int i = 0; i < STEPS; i++) {
                        g.send("vCont;s:p1.1;c:p1.-1");
                        gdbSaw.add(g.receive());
                        g.send("m" + Long.toHexString(StepAgent.RSP) + ",40");
                        gdbSaw.add(g.receive());
                    }
                    g.send("D");
                    gdbSaw.add(g.receive());
                });
                bridge.serveOne();
                gdb.join(10_000);
            }
        }
        assertThat(gdbSaw).as("the session's log: %s", log).hasSize(2 * STEPS + 1);
        assertThat(gdbSaw.get(0)).startsWith("T05thread:");
        assertThat(gdbSaw.get(1)).isEqualTo("00".repeat(0x40));
        assertThat(agent.count("step_request")).as("one request a stepi: the read came with the step").isEqualTo(STEPS);
        assertThat(agent.count("read_memory_request")).isZero();
        assertThat(listenedOn).as("every stop was delivered on the session's thread").containsExactly("session");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up blocks in a socket
    void aCtrlCWhileTheTargetRunsIsSeenInTheSameWaitAsTheAgent() throws Exception {
        try (DebuggerClient client = agent.connectDriven();
             GdbBridge bridge = GdbBridge.listen("127.0.0.1", 0, false, client, FakeFrontEnd.quietMonitor(), this::log)) {
            Thread gdb = gdb(bridge, g -> {
                g.send("c");
                g.interrupt(); // once the bridge had to wait for gdb or the stop: it answers only the stop
                gdbSaw.add(g.receive());
                g.send("D");
                gdbSaw.add(g.receive());
            });
            bridge.serveOne();
            gdb.join(10_000);
        }
        assertThat(gdbSaw).as("the session's log: %s", log).hasSize(2);
        assertThat(gdbSaw.get(0)).startsWith("T02thread:");
        assertThat(agent.received()).contains("continue_request", "pause_request");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a lost wake-up blocks in a socket
    void anAgentThatGoesAwayWhileGdbIsIdleClosesGdbsConnectionAtOnce() throws Exception {
        try (DebuggerClient client = agent.connectDriven();
             GdbBridge bridge = GdbBridge.listen("127.0.0.1", 0, false, client, FakeFrontEnd.quietMonitor(), this::log)) {
            Thread gdb = gdb(bridge, g -> {
                g.send("vCont;s:p1.1;c:p1.-1");
                gdbSaw.add(g.receive());
                agent.dropHost(); // gdb sends nothing more: the bridge must see the agent's end in its wait for gdb
                gdbSaw.add(g.receive());
            });
            assertThat(bridge.serveOne()).isFalse();
            gdb.join(10_000);
            assertThat(bridge.agentGone()).isPresent();
        }
        assertThat(gdbSaw).as("the session's log: %s", log).hasSize(2);
        assertThat(gdbSaw.get(1)).isEqualTo("(closed)");
    }

    private void log(String line) {
        synchronized (log) {
            log.append(line).append('\n');
        }
    }
}
