package dev.hdbg.host.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.record.DebuggerRecord;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HyperDbg event on the {@code events} sample, end to end: the context it passes, its
 * filter (a matching and a non-matching one), the pre and post stages ($event_stage 0 and 1, and
 * what the instruction did in between), and short-circuiting. Event ids are 1, 2, 3 in the order
 * the commands are given. Short-circuiting events carry a log action: without an action clause an
 * event breaks, as in HyperDbg.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventCatalogueIT {
    private static final long PRE = 0;
    private static final long POST = 1;

    @Test
    void syscallPassesItsNumberFiltersAndIsFollowedByTheEmulatedReturn() throws Exception {
        EventRun run = EventRun.of("!syscall 3c stage all log {$context $event_stage}", "!syscall 3d log {$context}",
                "!sysret log {$context}");
        assertThat(run.exited()).isTrue();
        assertThat(run.values(1, "$context")).containsExactly(0x3cL, 0x3cL);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.logs(2)).isEmpty();
        // the return of the emulated call (the address returned to), then the SYSRET instruction (its own address)
        assertThat(run.values(3, "$context")).containsExactly(EventRun.SYSCALL_RETURN, EventRun.SYSRET);
    }

    @Test
    void shortCircuitedSyscallIsNotPerformedSoItDoesNotReturn() throws Exception {
        EventRun run = EventRun.of("!syscall sc on log {$context}", "!sysret log {$context}");
        assertThat(run.values(2, "$context")).containsExactly(EventRun.SYSRET);
    }

    @Test
    void sysretPassesTheSysretsOwnRipAndShortCircuitingSkipsTheReturn() throws Exception {
        // HyperDbg's context is the address of the SYSRET instruction; an emulated call's return has none: the
        // address returned to
        EventRun run = EventRun.of("!sysret stage all log {$context $ip $event_stage}");
        assertThat(run.values(1, "$context")).containsExactly(EventRun.SYSCALL_RETURN, EventRun.SYSCALL_RETURN,
                EventRun.SYSRET, EventRun.SYSRET);
        assertThat(run.values(1, "$ip")).as("the emulated return is at the address returned to, as the program sees it")
                .containsExactly(EventRun.SYSCALL_RETURN, EventRun.SYSCALL_RETURN, EventRun.SYSRET, EventRun.AFTER_SYSRET);
        assertThat(run.reg("rsi")).isZero();
        EventRun skipped = EventRun.of("!sysret sc on log {$context}");
        assertThat(skipped.reg("rsi")).isEqualTo(1); // fell through the unperformed SYSRET
    }

    /**
     * A break at an emulated call's return shows RIP where the call returns to, and {@code t} from it runs the one
     * instruction there: the register writes that show it make Unicorn 2.0.1 drop the stop the step asks for, so the
     * SYSCALL hook ends the run itself (the step ran on to the next exit, the OUT 28 instructions on, before).
     */
    @Test
    void aStepFromTheBreakAtAnEmulatedReturnRunsTheInstructionAfterTheSyscall(@TempDir Path dir) throws Exception {
        try (AgentProcess agent = AgentProcess.start("--sample", "events")) {
            HdbgBatch run = HdbgBatch.run(dir, agent, "!sysret\ng\nt\nr rip\n");
            assertThat(run.out()).as(run.out())
                    .contains("event 0 (!sysret, context 0x400007) at rip 0x400007")
                    .contains("stepped (t) to rip 0x40000c")
                    .contains("rip=000000000040000c");
        }
    }

    @Test
    void cpuidPassesTheLeafAndPostStageCodeChangesTheResult() throws Exception {
        EventRun run = EventRun.of("!cpuid 1 stage all log {$context $event_stage rbx}", "!cpuid 7 log {$context}",
                "!cpuid 1 stage post code {48 c7 42 18 42 42 00 00}");
        assertThat(run.values(1, "$context")).containsExactly(1L, 1L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.values(1, "rbx").get(1)).isEqualTo(0x800); // CPUID.1 EBX, after the instruction
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.reg("r12")).isEqualTo(0x4242);
    }

    @Test
    void shortCircuitedCpuidTakesItsResultsFromCustomCode() throws Exception {
        EventRun run = EventRun.of("!cpuid 1 sc on code {48 c7 42 18 37 13 00 00}");
        assertThat(run.reg("r12")).isEqualTo(0x1337);
    }

    @Test
    void msrReadPassesEcxAndShortCircuitingReturnsWhatTheActionsSet() throws Exception {
        EventRun run = EventRun.of("!msrread c0000102 stage all log {$context $event_stage rax}",
                "!msrread c0000100 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(0xC0000102L, 0xC0000102L);
        assertThat(run.values(1, "rax")).containsExactly(0L, 0x11223344L);
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.reg("r8")).isEqualTo(0x11223344L);
        EventRun sc = EventRun.of("!msrread c0000102 sc on code {48 c7 02 99 00 00 00}");
        assertThat(sc.reg("r8")).isEqualTo(0x99);
    }

    @Test
    void msrWriteShortCircuitedIsNotWritten() throws Exception {
        EventRun run = EventRun.of("!msrwrite c0000102 stage all log {$context $event_stage}", "!msrwrite c0000082 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(0xC0000102L, 0xC0000102L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.logs(2)).isEmpty();
        EventRun sc = EventRun.of("!msrwrite sc on log {$context}");
        assertThat(sc.reg("r8")).isZero(); // RDMSR read the MSR's untouched value
    }

    @Test
    void tscPassesZeroForRdtscAndOneForRdtscp() throws Exception {
        EventRun run = EventRun.of("!tsc stage all log {$context $event_stage}",
                "!tsc sc on code {48 c7 02 05 00 00 00}", "!tsc stage post log {rax}");
        assertThat(run.values(1, "$context")).containsExactly(0L, 0L, 1L, 1L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST, PRE, POST);
        assertThat(run.values(3, "rax")).containsExactly(5L, 5L); // short-circuited: the counter was never read
    }

    @Test
    void pmcAndItsShortCircuit() throws Exception {
        EventRun run = EventRun.of("!pmc stage all log {$context $event_stage rax}");
        assertThat(run.values(1, "$context")).containsExactly(0L, 0L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        EventRun sc = EventRun.of("!pmc sc on code {48 c7 02 07 00 00 00}", "!pmc stage post log {rax}");
        assertThat(sc.values(2, "rax")).containsExactly(7L);
    }

    @Test
    void vmcallIsEmulatedAsANoOpWithBothStages() throws Exception {
        EventRun run = EventRun.of("!vmcall stage all log {$context $ip $event_stage}", "!vmcall sc on log {$context}");
        assertThat(run.exited()).isTrue();
        assertThat(run.values(1, "$context")).containsExactly(0L, 0L);
        assertThat(run.values(1, "$ip")).containsExactly(EventRun.VMCALL, EventRun.VMCALL + 3);
    }

    @Test
    void ioInPassesThePortAndShortCircuitingSuppliesTheValue() throws Exception {
        EventRun run = EventRun.of("!ioin 71 stage all log {$context $event_stage rax}", "!ioin 60 log {$context}",
                "!ioout 80 stage all log {$context rax}", "!ioout 81 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(0x71L, 0x71L);
        assertThat(run.values(1, "rax").get(1) & 0xff).isEqualTo(0xff); // no device: a floating bus
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.values(3, "$context")).containsExactly(0x80L, 0x80L);
        assertThat(run.values(3, "rax").get(0) & 0xff).isEqualTo(0x5a);
        assertThat(run.logs(4)).isEmpty();
        EventRun sc = EventRun.of("!ioin 71 sc on code {48 c7 02 2a 00 00 00}");
        assertThat(sc.reg("r10")).isEqualTo(0x2a);
    }

    @Test
    void exceptionPassesTheVectorAndShortCircuitingKeepsTheTargetRunning() throws Exception {
        Map<String, Long> int3 = Map.of("r15", 1L);
        EventRun handled = EventRun.with(int3, "!exception 3 sc on log {$context $ip}", "!exception e log {$context}",
                "!exception 3 stage post log {$event_stage}");
        assertThat(handled.exited()).isTrue();
        assertThat(handled.values(1, "$context")).containsExactly(3L);
        assertThat(handled.values(1, "$ip")).containsExactly(EventRun.INT3 + 1); // a trap: RIP is past INT3
        assertThat(handled.logs(2)).isEmpty();
        assertThat(handled.values(3, "$event_stage")).containsExactly(POST);

        EventRun unhandled = EventRun.with(int3, "!exception 3 log {$context}");
        assertThat(unhandled.values(1, "$context")).containsExactly(3L);
        assertThat(unhandled.stop).isInstanceOfSatisfying(DebuggerRecord.Break.class, b -> {
            assertThat(b.reason()).isEqualTo(DebuggerRecord.BreakReason.FAULT);
            assertThat(b.message()).contains("unhandled exception 3 (#BP breakpoint)");
        });
    }

    @Test
    void interruptPassesTheVectorAtBothStages() throws Exception {
        EventRun run = EventRun.of("!interrupt 2e stage all log {$context $ip $event_stage}", "!interrupt 2f log {$context}");
        assertThat(run.exited()).isTrue();
        assertThat(run.values(1, "$context")).containsExactly(0x2eL, 0x2eL);
        assertThat(run.values(1, "$ip")).containsExactly(EventRun.INT_2E_NEXT, EventRun.INT_2E_NEXT);
        assertThat(run.logs(2)).isEmpty();
    }

    @Test
    void debugRegisterAccessesAndTheirShortCircuit() throws Exception {
        EventRun run = EventRun.of("!dr stage all log {$context $event_stage}");
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST, PRE, POST); // mov dr0, rax ; mov rbp, dr0
        assertThat(run.reg("rbp")).isEqualTo(0x1234);
        EventRun sc = EventRun.of("!dr sc on log {$context}");
        assertThat(sc.reg("dr0")).isZero();
        assertThat(sc.reg("rbp")).isZero();
    }

    @Test
    void crWriteFiresOnlyWhenAMaskedBitChanges() throws Exception {
        EventRun run = EventRun.of("!crwrite 4 mask 200 stage all log {$context $event_stage}", "!crwrite 4 mask 400 log {$context}",
                "!crwrite 0 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(4L, 4L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.logs(3)).isEmpty();
        assertThat(run.reg("cr4") & 0x200).isEqualTo(0x200);
        EventRun sc = EventRun.of("!crwrite 4 sc on log {$context}");
        assertThat(sc.reg("cr4") & 0x200).isZero();
    }

    @Test
    void xsetbvPassesTheXcrIndexAndShortCircuitingKeepsXcr0() throws Exception {
        EventRun run = EventRun.of("!xsetbv 0 stage all log {$context $event_stage rax}", "!xsetbv 1 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(0L, 0L);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.reg("rdi")).isEqualTo(3);
        EventRun sc = EventRun.of("!xsetbv sc on log {$context}");
        assertThat(sc.reg("rdi")).isEqualTo(1);
    }

    @Test
    void monitorSeesWritesAndReadsAndShortCircuitingDiscardsTheWrite() throws Exception {
        EventRun run = EventRun.of("!monitor w 4000b0 l 8 stage all log {$context $event_stage [4000b0]:8}",
                "!monitor r 4000b0 4000b7 log {$context}", "!monitor rw 500000 l 8 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(EventRun.WATCHED, EventRun.WATCHED);
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        var memory = run.logs(1).stream().map(l -> l.values().get(2).bytes().orElseThrow()[0]).toList();
        assertThat(memory).containsExactly((byte) 0, (byte) 0x77); // before and after the write
        assertThat(run.values(2, "$context")).containsExactly(EventRun.WATCHED);
        assertThat(run.logs(3)).isEmpty();
        assertThat(run.reg("r13")).isEqualTo(0x77);
        EventRun sc = EventRun.of("!monitor w 4000b0 l 8 sc on log {$context}");
        assertThat(sc.exited()).isTrue();
        assertThat(sc.reg("r13")).isZero();
        assertThat(sc.reg("r14")).isEqualTo(0x99); // everything else ran
    }

    @Test
    void monitorExecuteAndEptHooksShareOnePageWithoutLimits() throws Exception {
        // HyperDbg forbids !monitor, !epthook2 and !epthook on one 4 KB page; an emulator has no such limit.
        EventRun run = EventRun.of("!monitor x 4000a2 l 1 log {$context}", "!monitor w 4000b0 l 8 log {$context}",
                "!epthook 4000a2 log {$context}", "!epthook2 4000a2 log {$context}", "!monitor r 4000b0 l 8 log {$context}");
        assertThat(run.values(1, "$context")).containsExactly(EventRun.TARGET);
        assertThat(run.values(2, "$context")).containsExactly(EventRun.WATCHED);
        assertThat(run.values(3, "$context")).containsExactly(EventRun.TARGET);
        assertThat(run.values(4, "$context")).containsExactly(EventRun.TARGET);
        assertThat(run.values(5, "$context")).containsExactly(EventRun.WATCHED);
    }

    @Test
    void eptHookPostStageSeesTheInstructionsEffectAndShortCircuitSkipsIt() throws Exception {
        EventRun run = EventRun.of("!epthook 4000a2 stage all log {$context $ip $event_stage r14}",
                "!epthook2 4000a2 stage post log {r14}");
        assertThat(run.values(1, "$event_stage")).containsExactly(PRE, POST);
        assertThat(run.values(1, "$ip")).containsExactly(EventRun.TARGET, EventRun.TARGET_NEXT);
        assertThat(run.values(1, "r14")).containsExactly(0L, 0x99L);
        assertThat(run.values(2, "r14")).containsExactly(0x99L);
        EventRun sc = EventRun.of("!epthook 4000a2 sc on log {$context}");
        assertThat(sc.exited()).isTrue();
        assertThat(sc.reg("r14")).isZero();
        EventRun sc2 = EventRun.of("!epthook2 4000a2 sc on log {$context}");
        assertThat(sc2.reg("r14")).isZero();
    }

    @Test
    void pidAndCoreFiltersAreChecked() throws Exception {
        // A core the machine lacks is refused when the event is added (EventRegistryTest): pid 2 on core 0 is the
        // second event that matches the exit and not the process.
        EventRun run = EventRun.of("!cpuid pid 2 log {$context}", "!cpuid pid 2 core 0 log {$context}",
                "!cpuid pid 1 core 0 log {$context $pid $core}");
        assertThat(run.logs(1)).isEmpty();
        assertThat(run.logs(2)).isEmpty();
        assertThat(run.values(3, "$context")).containsExactly(1L);
    }
}
