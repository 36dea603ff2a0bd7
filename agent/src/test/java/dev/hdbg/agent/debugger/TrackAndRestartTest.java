package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code !track} and {@code .restart} on the demo sample (demo.asm): add_item at 0x400040 is called ten times from
 * the call at 0x40000d and returns from its ret at 0x400049 to 0x400012.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrackAndRestartTest {
    private static final long ENTRY = 0x400000;
    private static final long CALL = 0x40000d;
    private static final long ADD_ITEM = 0x400040;
    private static final long RET = 0x400049;
    private static final long AFTER_CALL = 0x400012;

    private Machine machine;
    private Debugger debugger;
    private final BlockingQueue<DebuggerRecord> records = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        machine = new Machine();
        var info = Target.sample("demo").loadInto(machine);
        debugger = new Debugger(machine, Limits.DEFAULT, Delivery.DEFAULT.newQueue());
        debugger.setTarget(info);
        debugger.setStarter(program -> {
            if (program.isPresent()) {
                throw new IllegalArgumentException("a sample starts again only as it is");
            }
            return d -> d.setTarget(Target.sample("demo").loadInto(machine));
        });
        debugger.records().addObserver(records::add);
    }

    @AfterEach
    void stop() throws InterruptedException {
        debugger.close();
        debugger.records().close();
        machine.close();
    }

    @Test
    void trackSeesEveryCallAndReturnInOrder() throws Exception {
        CallTrack track = debugger.track(0x1000, false).get(10, TimeUnit.SECONDS);

        CallTrack.Transfer call = new CallTrack.Transfer(CallTrack.Kind.CALL, CALL, ADD_ITEM, Map.of());
        CallTrack.Transfer ret = new CallTrack.Transfer(CallTrack.Kind.RETURN, RET, AFTER_CALL, Map.of());
        assertThat(track.transfers()).hasSize(20).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> i % 2 == 0 ? call : ret).toList());
        assertThat(track.dropped()).isZero();
        // the demo ends with hlt before 0x1000 instructions: the track ends with it
        assertThat(next(DebuggerRecord.Exit.class).reason()).isEqualTo(DebuggerRecord.ExitKind.HLT);
    }

    @Test
    void trackStopsAfterItsCountWithAStepBreakAndRegistersAtEachCall() throws Exception {
        // xor, lea, mov, call: the fourth instruction is the first call; add_item's first instruction is the fifth
        CallTrack track = debugger.track(5, true).get(10, TimeUnit.SECONDS);

        assertThat(track.instructions()).isEqualTo(5);
        assertThat(track.transfers()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(CallTrack.Kind.CALL);
            assertThat(t.to()).isEqualTo(ADD_ITEM);
            assertThat(t.registers()).containsEntry("rip", ADD_ITEM).containsEntry("rdi", 0L);
        });
        assertThat(next(DebuggerRecord.Break.class).reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        assertThat(machine.rip()).isEqualTo(ADD_ITEM + 3);
    }

    @Test
    void restartFromInsideABreakStartsTheTargetAgainWithItsBreakpoints() throws Exception {
        long bp = debugger.addBreakpoint(ADD_ITEM, null).get(10, TimeUnit.SECONDS);
        debugger.cont().get(10, TimeUnit.SECONDS);
        assertThat(next(DebuggerRecord.Break.class).rip()).isEqualTo(ADD_ITEM);
        debugger.writeRegister(GuestRegister.R12, 7).get(10, TimeUnit.SECONDS);

        AgentStatus status = debugger.start(Optional.empty()).get(10, TimeUnit.SECONDS);

        assertThat(status.state()).isEqualTo(TargetState.PAUSED);
        assertThat(status.rip()).isEqualTo(ENTRY);
        DebuggerRecord.Exit killed = next(DebuggerRecord.Exit.class);
        assertThat(killed.reason()).isEqualTo(DebuggerRecord.ExitKind.SIGNAL);
        assertThat(killed.status()).isEqualTo(128 + 9);
        assertThat(next(DebuggerRecord.Notice.class).message()).startsWith("target started: sample demo");
        assertThat(machine.read(GuestRegister.R12)).as("registers start from zero").isZero();
        assertThat(machine.memory().read(0x400080, 8)).as("the counter is the image's again").containsOnly(0);

        debugger.cont().get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break again = next(DebuggerRecord.Break.class);
        assertThat(again.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
        assertThat(again.seq()).isGreaterThan(killed.seq());
        debugger.modifyBreakpoints(bp, EventModification.CLEAR).get(10, TimeUnit.SECONDS);
        debugger.cont().get(10, TimeUnit.SECONDS);
        DebuggerRecord.Exit end = next(DebuggerRecord.Exit.class);
        assertThat(end.reason()).isEqualTo(DebuggerRecord.ExitKind.HLT);
        assertThat(end.status()).as("0 + 1 + ... + 9").isEqualTo(45);
    }

    @Test
    void killEndsTheTargetOnceAndRestartAfterItStartsOnly() throws Exception {
        debugger.kill().get(10, TimeUnit.SECONDS);
        assertThat(next(DebuggerRecord.Exit.class).status()).isEqualTo(137);
        assertThatThrownBy(() -> debugger.kill().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("the target has already exited");

        debugger.start(Optional.empty()).get(10, TimeUnit.SECONDS);
        assertThat(next(DebuggerRecord.Notice.class).message()).startsWith("target started");
        assertThat(records.stream().filter(r -> r instanceof DebuggerRecord.Exit).toList())
                .as("a start after the end kills nothing").isEmpty();
        assertThatThrownBy(() -> debugger.start(Optional.of(new TargetStarter.Program("/x", List.of())))
                .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("cannot start it: a sample starts again only as it is");
    }

    private <T extends DebuggerRecord> T next(Class<T> type) throws InterruptedException {
        while (true) {
            DebuggerRecord r = records.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a %s record", type.getSimpleName()).isNotNull();
            if (type.isInstance(r)) {
                return type.cast(r);
            }
        }
    }
}
