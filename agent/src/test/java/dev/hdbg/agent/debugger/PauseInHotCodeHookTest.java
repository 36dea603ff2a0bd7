package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.event.Access;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.event.LogConfiguration;
import dev.hdbg.common.event.LogItem;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hot logging event of each code-hook kind, on the loop's body, with a host that takes one record only when the
 * test lets it: the guest spends its time inside the exit handler, waiting for room in the record queue. A pause
 * must land as soon as one handler returns (the kicker stops the guest there), not when the watchdog happens to
 * find the guest outside every handler, which here it almost never does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PauseInHotCodeHookTest {
    private static final long BODY = 0x40000a;
    private static final int CAPACITY = 8;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"!epthook", "!epthook2", "!monitor x"})
    void aPauseLandsAsSoonAsTheHandlerWaitingForRoomReturns(String kind) throws Exception {
        List<ActionSpec> log = List.of(new ActionSpec.Log(new LogConfiguration(
                List.of(new LogItem.Register("rcx"))), true));
        EventSpec spec = switch (kind) {
            case "!epthook" -> EventSpec.eptHook(BODY, log);
            case "!epthook2" -> new EventSpec(EventType.EPT_HOOK2, BODY, OptionalLong.empty(), Optional.empty(), log, true);
            default -> EventSpec.monitor(EnumSet.of(Access.EXECUTE), BODY, BODY, log);
        };
        try (Machine machine = new Machine()) {
            var info = Target.sample("loop").loadInto(machine);
            RecordQueue queue = new RecordQueue(CAPACITY, 1, Duration.ofMillis(1));
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, queue);
            Semaphore room = new Semaphore(0);
            List<DebuggerRecord> delivered = new CopyOnWriteArrayList<>();
            queue.attach(batch -> {
                room.acquire(batch.size());
                delivered.addAll(batch);
            });
            try {
                debugger.setTarget(info);
                debugger.writeRegister(GuestRegister.RCX, 1L << 40).get();
                debugger.addEvent(spec).get();
                debugger.cont().get();
                room.release(100);
                awaitDelivered(delivered, 100);
                debugger.pause().get();
                // The handler blocked in publish returns once the host takes one record; the break needs room too.
                for (int i = 0; i < CAPACITY + 2 && breakIn(delivered) == null; i++) {
                    room.release(1);
                    awaitDelivered(delivered, 101 + i);
                    Thread.sleep(20); // far longer than the watchdog's period: it had its chances
                }
                room.release(CAPACITY + 2);
                DebuggerRecord.Break paused = breakIn(delivered);
                assertThat(paused).as("the break, among the %d records the host took after the pause", CAPACITY + 2)
                        .isNotNull();
                assertThat(paused.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
            } finally {
                room.release(1_000_000);
                debugger.close();
                queue.close();
            }
        }
    }

    private static DebuggerRecord.Break breakIn(List<DebuggerRecord> records) {
        for (DebuggerRecord r : records) {
            if (r instanceof DebuggerRecord.Break b) {
                return b;
            }
        }
        return null;
    }

    private static void awaitDelivered(List<DebuggerRecord> delivered, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (delivered.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
