package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.Target;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest looping over an instruction the agent emulates inside a hook, which moves RIP itself:
 * Unicorn 2.0.1 drops a stop made while a hook writes RIP, so before the exits stopped the guest
 * themselves, a pause of a {@code mov rax, cr0} loop never landed and one of an {@code rdtsc}
 * loop took up to 2.3 s.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PauseInEmulatedInstructionLoopTest {
    private static final long ENTRY = 0x400000;
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(2);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rdtsc ; jmp back, 0f31ebfc",
        "mov rax cr0 ; jmp back, 0f20c0ebfb",
        "syscall ; jmp back, 0f05ebfc",
    })
    void everyPauseStopsTheLoopInsideIt(String loop, String code) throws Exception {
        try (Machine machine = new Machine()) {
            var info = Target.sample("loop").loadInto(machine);
            Debugger debugger = new Debugger(machine, Limits.DEFAULT, Delivery.DEFAULT.newQueue());
            try {
                debugger.setTarget(info);
                List<DebuggerRecord> records = new CopyOnWriteArrayList<>();
                debugger.records().addObserver(records::add);
                byte[] bytes = HexFormat.of().parseHex(code);
                debugger.writeMemory(ENTRY, bytes).get();
                for (int attempt = 0; attempt < 10; attempt++) {
                    int i = attempt;
                    records.clear();
                    debugger.cont().get();
                    Thread.sleep(20);
                    debugger.pause().get();
                    DebuggerRecord.Break paused = awaitBreak(records).orElseThrow(
                            () -> new AssertionError("pause " + i + " did not stop the " + loop + " loop"));
                    assertThat(paused.reason()).isEqualTo(DebuggerRecord.BreakReason.PAUSE);
                    assertThat(paused.rip()).isBetween(ENTRY, ENTRY + bytes.length - 1);
                }
            } finally {
                debugger.close();
                debugger.records().close();
            }
        }
    }

    private static Optional<DebuggerRecord.Break> awaitBreak(List<DebuggerRecord> records) throws InterruptedException {
        for (long deadline = System.nanoTime() + PATIENCE_NANOS; System.nanoTime() < deadline; ) {
            for (DebuggerRecord r : records) {
                if (r instanceof DebuggerRecord.Break b) {
                    return Optional.of(b);
                }
            }
            Thread.sleep(1);
        }
        return Optional.empty();
    }
}
