package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.record.DebuggerRecord;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A breakpoint or an {@code !epthook} added while the guest is broken in at a {@code !syscall} exit fires at the
 * instruction right after that system call. It did not (issue 13: a {@code bp} set at a {@code !syscall} break in a
 * child that had exec'd missed the function called next): a system call's exit is not a code hook, so the new hook
 * was armed only when the watchdog's kick stopped the guest, milliseconds and thousands of instructions later. The
 * loop counts its passes in RBX, so the pass the hook fires in says whether the guest ran on unarmed. An instruction
 * the agent emulates (rdtsc) stops its run itself after its exit, and stays so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArmAfterSystemCallBreakTest {
    private static final long ENTRY = 0x400000;
    /** inc rbx; syscall; nop; jmp ENTRY: the nop, right after the system call, is where the new hook goes. */
    private static final String SYSCALL_LOOP = "48ffc30f0590ebf8";
    /** The nop, right after the 2-byte instruction whose exit broke (syscall, or rdtsc in the TSC loop). */
    private static final long AFTER_SYSCALL = ENTRY + 5;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SYSCALL, 48ffc30f0590ebf8", "TSC, 48ffc30f3190ebf8"})
    void aBreakpointAddedWhileBrokenInTheExitStopsAtTheNextInstructionInTheSamePass(EventType exit, String loop)
            throws Exception {
        try (LoopSample sample = new LoopSample()) {
            long pass = breakInTheExit(sample, exit, loop);
            sample.debugger.addBreakpoint(AFTER_SYSCALL, null).get(10, TimeUnit.SECONDS);
            sample.debugger.cont().get(10, TimeUnit.SECONDS);

            DebuggerRecord.Break hit = nextBreak(sample);
            assertThat(hit.reason()).as("%s", hit).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
            assertThat(hit.rip()).isEqualTo(AFTER_SYSCALL);
            assertThat(rbx(sample)).as("the pass of the loop the breakpoint fired in").isEqualTo(pass);
        }
    }

    @Test
    void anEptHookAddedWhileBrokenInASystemCallFiresAtTheNextInstructionInTheSamePass() throws Exception {
        try (LoopSample sample = new LoopSample()) {
            long pass = breakInTheExit(sample, EventType.SYSCALL, SYSCALL_LOOP);
            sample.debugger.addEvent(EventSpec.eptHook(AFTER_SYSCALL, List.of(new ActionSpec.Break())))
                    .get(10, TimeUnit.SECONDS);
            sample.debugger.cont().get(10, TimeUnit.SECONDS);

            DebuggerRecord.Break hit = nextBreak(sample);
            assertThat(hit.reason()).as("%s", hit).isEqualTo(DebuggerRecord.BreakReason.EVENT);
            assertThat(hit.rip()).isEqualTo(AFTER_SYSCALL);
            assertThat(rbx(sample)).as("the pass of the loop the hook fired in").isEqualTo(pass);
        }
    }

    /** Runs {@code loop} to its first {@code exit} break, disables that event; the pass (RBX) there. */
    private static long breakInTheExit(LoopSample sample, EventType exit, String loop) throws Exception {
        Debugger debugger = sample.debugger;
        debugger.writeMemory(ENTRY, HexFormat.of().parseHex(loop)).get(10, TimeUnit.SECONDS);
        long id = debugger.addEvent(EventSpec.of(exit, List.of(new ActionSpec.Break())))
                .get(10, TimeUnit.SECONDS).id();
        debugger.cont().get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break inCall = nextBreak(sample);
        assertThat(inCall.reason()).as("%s", inCall).isEqualTo(DebuggerRecord.BreakReason.EVENT);
        assertThat(inCall.rip()).isEqualTo(ENTRY + 3);
        debugger.modifyEvents(id, EventModification.DISABLE).get(10, TimeUnit.SECONDS);
        long pass = rbx(sample);
        assertThat(pass).isEqualTo(1);
        return pass;
    }

    private static long rbx(LoopSample sample) throws Exception {
        return sample.debugger.readRegisters(List.of(GuestRegister.RBX)).get(10, TimeUnit.SECONDS).get(GuestRegister.RBX);
    }

    private static DebuggerRecord.Break nextBreak(LoopSample sample) throws InterruptedException {
        DebuggerRecord stop = sample.stops.poll(10, TimeUnit.SECONDS);
        assertThat(stop).as("a break within 10 s").isInstanceOf(DebuggerRecord.Break.class);
        return (DebuggerRecord.Break) stop;
    }
}
