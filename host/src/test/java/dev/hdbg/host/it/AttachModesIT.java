package dev.hdbg.host.it;

import static dev.hdbg.host.it.Code.ADD_ITEM;
import static dev.hdbg.host.it.Code.reg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.model.AttachMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.AgentError;
import dev.hdbg.host.client.DebuggerClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One debugger at a time: a second host is refused naming the attached one, unless it takes over (the first is
 * told and disconnected) or observes (records and state, nothing it may change); and a host that ends leaves the
 * agent free for the next at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttachModesIT {
    @TempDir
    Path dir;

    private static DebuggerClient connect(AgentProcess agent, AttachMode mode) {
        return DebuggerClient.connect("127.0.0.1", agent.port(), null, mode);
    }

    private static EventSpec logRdiAtAddItem() {
        return EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Log(new LogConfiguration(List.of(reg("rdi"))), true)));
    }

    @Test
    void aSecondHostIsRefusedNamingTheAttachedOneAndTheWaysIn() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo");
             DebuggerClient first = agent.connect()) {
            assertThatThrownBy(agent::connect).isInstanceOfSatisfying(AgentError.class, e -> {
                assertThat(e.kind()).isEqualTo(AgentError.Kind.BUSY);
                assertThat(e.getMessage()).contains("another host is attached (/127.0.0.1:", "--observe", "--takeover");
            });
            assertThat(first.status().get(10, TimeUnit.SECONDS).rip()).isEqualTo(0x400000L);
        }
    }

    @Test
    void aHostThatTakesOverDisconnectsTheFirstAndGetsWhatItDidNotAcknowledge() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            DebuggerClient first = agent.connect();
            CompletableFuture<String> firstGone = new CompletableFuture<>();
            first.onDisconnect(firstGone::complete);
            first.addEvent(logRdiAtAddItem()).get(10, TimeUnit.SECONDS);
            // No listener: the first host receives the records but never processes or acknowledges them.
            first.cont().get(10, TimeUnit.SECONDS);

            Records records = new Records();
            try (DebuggerClient second = connect(agent, AttachMode.TAKEOVER)) {
                second.addRecordListener(records);
                assertThat(second.attachMode()).isEqualTo(AttachMode.CONTROL);
                assertThat(second.tookOverFrom()).hasValueSatisfying(h -> assertThat(h).startsWith("/127.0.0.1:"));
                assertThat(firstGone.get(10, TimeUnit.SECONDS)).contains("took over this agent");
                records.awaitExit();
                assertThat(records.all()).extracting(DebuggerRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
                assertThat(second.readRegisters(List.of("rax")).get(10, TimeUnit.SECONDS)).containsEntry("rax", Code.DEMO_SUM);
            }
            first.close();
        }
    }

    @Test
    void anObserverSeesTheRecordsAndStateButMayChangeNothing() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo");
             DebuggerClient controller = agent.connect();
             DebuggerClient observer = connect(agent, AttachMode.OBSERVE)) {
            assertThat(observer.attachMode()).isEqualTo(AttachMode.OBSERVE);
            Records watched = new Records();
            observer.addRecordListener(watched);
            Records controlled = new Records();
            controller.addRecordListener(controlled);

            assertThatThrownBy(() -> observer.writeMemory(Code.COUNTER, new byte[] {1}).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(AgentError.class, e -> {
                        assertThat(e.kind()).isEqualTo(AgentError.Kind.READ_ONLY);
                        assertThat(e.getMessage()).contains("observing", "--takeover");
                    });
            assertThatThrownBy(() -> observer.addEvent(logRdiAtAddItem()).get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(AgentError.class, e -> assertThat(e.kind()).isEqualTo(AgentError.Kind.READ_ONLY));
            assertThatThrownBy(() -> observer.cont().get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(AgentError.class, e -> assertThat(e.kind()).isEqualTo(AgentError.Kind.READ_ONLY));

            controller.addEvent(logRdiAtAddItem()).get(10, TimeUnit.SECONDS);
            controller.cont().get(10, TimeUnit.SECONDS);
            controlled.awaitExit();
            watched.awaitExit();
            assertThat(watched.all()).isEqualTo(controlled.all());
            assertThat(watched.of(DebuggerRecord.Log.class)).hasSize(10);
            assertThat(observer.readRegisters(List.of("rax")).get(10, TimeUnit.SECONDS)).containsEntry("rax", Code.DEMO_SUM);
            assertThat(new String(observer.readMemory(Code.MESSAGE, 4).get(10, TimeUnit.SECONDS),
                    java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hdbg");
        }
    }

    @Test
    void aHostStartedTheMomentTheLastOneEndsIsNeverRefusedAsBusy() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo")) {
            for (int i = 0; i < 30; i++) {
                try (DebuggerClient client = agent.connect()) {
                    assertThat(client.status().get(10, TimeUnit.SECONDS).rip()).isEqualTo(0x400000L);
                }
            }
        }
    }

    @Test
    void theCommandLineObservesAndRefusesBothModesAtOnce() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo");
             DebuggerClient controller = agent.connect()) {
            HdbgBatch watching = HdbgBatch.run(dir, agent, "r rip\neq 400080 1\n", "--observe");
            assertThat(watching.out()).contains("rip=0000000000400000", "observing (--observe)");
            assertThat(watching.exitCode()).isEqualTo(1);

            HdbgBatch both = HdbgBatch.run(dir, agent, "r rip\n", "--observe", "--takeover");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.out()).contains("--takeover and --observe exclude each other");
            assertThat(controller.status().get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void aHostThatPromisedToPingAndFellSilentIsTakenAsGoneSoTheNextMayAttach() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--host-timeout", "2")) {
            try (RawConnection silent = new RawConnection(agent.port())) {
                assertThat(silent.helloPinging().hasHelloReply()).isTrue();
                long started = System.nanoTime();
                assertThat(silent.closedByPeer()).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(1500L, 8000L);
            }
            try (DebuggerClient next = agent.connect()) {
                assertThat(next.status().get(10, TimeUnit.SECONDS).rip()).isEqualTo(0x400000L);
            }
            assertThat(agent.output()).contains("silent for the host timeout");
            try (RawConnection old = new RawConnection(agent.port())) {
                assertThat(old.hello("").hasHelloReply()).isTrue(); // a host before 1.5 never pings: kept however idle
                Thread.sleep(3000);
                old.send(dev.hdbg.proto.v1.Envelope.newBuilder().setRequestId(2)
                        .setStatusRequest(dev.hdbg.proto.v1.StatusRequest.getDefaultInstance()).build());
                assertThat(old.receive().hasStatusReply()).isTrue();
            }
        }
    }

    @Test
    void anIdleHostPingsSoTheAgentKeepsIt() throws Exception {
        // Pings every 400 ms (a quarter of the host's 1.6 s) against the agent's 2 s: the margins are for a machine
        // so loaded that either JVM can stall for most of a second (the first form, 200 ms pings against 1 s and a
        // host giving up after 0.8 s of silence, failed there once).
        try (AgentProcess agent = AgentProcess.start("--sample", "demo", "--host-timeout", "2");
             DebuggerClient idle = DebuggerClient.connectWith("127.0.0.1", agent.port(),
                     dev.hdbg.host.client.ConnectSettings.defaults().withDeadAfter(java.time.Duration.ofMillis(1600)))) {
            Thread.sleep(5000); // two and a half host timeouts without a request: only pings keep it attached
            assertThat(idle.status().get(10, TimeUnit.SECONDS).rip()).isEqualTo(0x400000L);
        }
    }

    @Test
    void aDetachIsAnsweredAfterEveryRequestSentBeforeIt() throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "loop");
             RawConnection raw = new RawConnection(agent.port())) {
            assertThat(raw.hello("").hasHelloReply()).isTrue();
            // Pipelined: the register and memory requests go to the execution thread, the Detach does not.
            raw.send(dev.hdbg.proto.v1.Envelope.newBuilder().setRequestId(5).setWriteRegisterRequest(
                    dev.hdbg.proto.v1.WriteRegisterRequest.newBuilder().setName("rsp").setValue(0x7ffefffff000L)).build());
            raw.send(dev.hdbg.proto.v1.Envelope.newBuilder().setRequestId(6).setReadRegistersRequest(
                    dev.hdbg.proto.v1.ReadRegistersRequest.getDefaultInstance()).build());
            raw.send(dev.hdbg.proto.v1.Envelope.newBuilder().setRequestId(7).setReadMemoryRequest(
                    dev.hdbg.proto.v1.ReadMemoryRequest.newBuilder().setAddress(0x400000).setLength(4096)).build());
            raw.send(dev.hdbg.proto.v1.Envelope.newBuilder().setRequestId(8).setDetachRequest(
                    dev.hdbg.proto.v1.DetachRequest.getDefaultInstance()).build());
            List<Long> answered = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    answered.add(raw.receive().getRequestId());
                }
            } catch (java.io.EOFException e) {
                throw new AssertionError("closed after the replies to " + answered + "; the agent said:\n" + agent.output(), e);
            }
            // Replies are matched by id and may come in any order; the Detach reply comes last, then the close.
            assertThat(answered.subList(0, 3)).as(agent.output()).containsExactlyInAnyOrder(5L, 6L, 7L);
            assertThat(answered.getLast()).isEqualTo(8L);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }
}
