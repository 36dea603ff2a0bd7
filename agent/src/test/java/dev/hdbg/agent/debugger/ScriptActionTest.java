package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.ExitReason;
import dev.hdbg.agent.vmx.VmExit;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.event.EventType;
import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.record.DebuggerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The script action in the action runner, on one exit with a real machine: its place among the event's actions, its
 * output and error records, pause() after the script, event_sc(), register writes reaching the guest, and a script
 * with errors adding nothing. ScriptsIT checks the same through a host.
 */
class ScriptActionTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final VmExit EXIT = VmExit.pre(ExitReason.EPT_HOOK, IMAGE);

    private Machine machine;
    private VmxRoot root;
    private EventRegistry registry;
    private RecordQueue queue;
    private ActionRunner runner;
    private final List<DebuggerRecord> records = new CopyOnWriteArrayList<>();
    private final List<String> breaks = new ArrayList<>();

    @BeforeEach
    void start() {
        machine = new Machine();
        RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
        root = new VmxRoot(machine, 1000);
        registry = new EventRegistry(root, Limits.DEFAULT);
        queue = new RecordQueue(1000, 10, Duration.ofSeconds(60));
        queue.addObserver(records::add);
        BreakService scripted = (reason, id, exit) -> breaks.add(reason + " " + id + " rdi=" + machine.read(GuestRegister.RDI));
        runner = new ActionRunner(machine, root, registry, new Breakpoints(machine, root, Limits.DEFAULT, new LogTaker(machine, () -> null)), queue,
                scripted, () -> null);
    }

    @AfterEach
    void stop() {
        queue.close();
        root.close();
        machine.close();
    }

    private static ActionSpec.Script script(String text) {
        return new ActionSpec.Script(text, true);
    }

    @Test
    void printfMakesAScriptOutputRecordNamingTheEventAndAction() {
        machine.write(GuestRegister.RDI, 7);
        Event event = registry.add(EventSpec.eptHook(IMAGE, List.of(
                script("if (@rdi == 7) { printf(\"rdi=%d ctx=%llx id=%d\\n\", @rdi, $context, $event_id); }"))));
        runner.onExit(EXIT);
        assertThat(records).singleElement().isEqualTo(new DebuggerRecord.ScriptOutput(records.getFirst().seq(),
                event.id(), event.actions().getFirst().id(), 0, "rdi=7 ctx=400000 id=" + event.id() + "\n",
                LogTaker.RAW_PID, LogTaker.RAW_TID)); // a raw image is one process with one thread
    }

    @Test
    void aHotConditionThatPrintsNothingDoesNotAskWhichProcessAndThreadRan() {
        // Row 6 of bench/run.sh: the core, process and thread name a printf's record, read when it prints. Read on every
        // trigger they were two look-ups of the target and three of the machine's cores (docs/benchmarks.md, "Script
        // hits, wave 6").
        AtomicInteger targetReads = new AtomicInteger();
        ActionRunner counted = new ActionRunner(machine, root, registry, new Breakpoints(machine, root, Limits.DEFAULT,
                new LogTaker(machine, () -> null)), queue, (reason, id, exit) -> breaks.add(reason + " " + id), () -> {
                    targetReads.incrementAndGet();
                    return null;
                });
        machine.write(GuestRegister.RDI, 7);
        registry.add(EventSpec.eptHook(IMAGE, List.of(script("if (@rdi == 0x12345) { pause(); }"))));
        for (int i = 0; i < 1000; i++) {
            counted.onExit(EXIT);
        }
        assertThat(targetReads).hasValue(0);
        assertThat(breaks).isEmpty();

        registry.add(EventSpec.eptHook(IMAGE, List.of(script("printf(\"%d\", @rdi);"))));
        counted.onExit(EXIT);
        assertThat(targetReads).as("a printf names the process and thread").hasValue(2);
        assertThat(records).singleElement().extracting(r -> ((DebuggerRecord.ScriptOutput) r).text()).isEqualTo("7");
    }

    @Test
    void aRegisterWriteReachesTheGuestAndTheNextActionsAndPauseBreaksAfterTheScript() {
        Event event = registry.add(EventSpec.eptHook(IMAGE, List.of(
                script("@rdi = 0x55; pause(); @rdi = @rdi + 1;"),
                script("printf(\"%x\", @rdi);"))));
        runner.onExit(EXIT);
        // The break comes once the first script is done (rdi 0x56), before the second action runs.
        assertThat(breaks).containsExactly("EVENT " + event.id() + " rdi=86");
        assertThat(machine.read(GuestRegister.RDI)).isEqualTo(0x56);
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.ScriptOutput.class,
                o -> assertThat(o.text()).isEqualTo("56"));
    }

    @Test
    void aFaultingRunIsAnErrorRecordAndTheEventsOtherActionsStillRun() {
        Event event = registry.add(EventSpec.eptHook(IMAGE, List.of(
                script(".n = 1;\n.n = poi(0x10);"), script("printf(\"after\");"))));
        runner.onExit(EXIT);
        assertThat(records).hasSize(2);
        assertThat(records.getFirst()).isInstanceOfSatisfying(DebuggerRecord.ActionError.class, e -> {
            assertThat(e.eventId()).isEqualTo(event.id());
            assertThat(e.message()).startsWith("event " + event.id() + " action " + event.actions().getFirst().id()
                    + ": script: stopped at line 2; the guest goes on").contains("cannot read 8 bytes at 0x10");
        });
        assertThat(records.get(1)).isInstanceOf(DebuggerRecord.ScriptOutput.class);
    }

    @Test
    void eventScDecidesTheShortCircuitWhereTheEventCanSkip() {
        registry.add(EventSpec.of(EventType.CPUID, List.of(script("event_sc(1);"))));
        assertThat(runner.onExit(VmExit.pre(ExitReason.CPUID, 1))).isTrue();
        assertThat(runner.onExit(VmExit.pre(ExitReason.CPUID, 1).post())).isFalse();
    }

    @Test
    void scriptBufferPersistsAcrossTriggersAndIsTheScriptsMemory() {
        registry.add(EventSpec.eptHook(IMAGE, List.of(new ActionSpec.Script("*($buffer) = poi($buffer) + 1;"
                + " memcpy($buffer + 8, $buffer, 8); eb($buffer + 0x17, 0x80);"
                + " printf(\"%d %d %x %d %d\", dq($buffer), dq($buffer + 8), db($buffer + 0x17),"
                + " check_address($buffer + 0x17), check_address($buffer + 0x18));", 0x18, true))));
        for (int hit = 0; hit < 3; hit++) {
            runner.onExit(EXIT);
        }
        // the count the first quad word keeps, its copy, the buffer's last byte; the byte after it is not the buffer
        assertThat(records).extracting(r -> ((DebuggerRecord.ScriptOutput) r).text())
                .containsExactly("1 1 80 1 0", "2 2 80 1 0", "3 3 80 1 0");
    }

    @Test
    void withoutABufferTheScriptsBufferIsZero() {
        registry.add(EventSpec.eptHook(IMAGE, List.of(script("printf(\"%x\", $buffer);"))));
        runner.onExit(EXIT);
        assertThat(records).singleElement().isInstanceOfSatisfying(DebuggerRecord.ScriptOutput.class,
                o -> assertThat(o.text()).isEqualTo("0"));
    }

    @Test
    void aScriptWithErrorsAddsNothing() {
        assertThatThrownBy(() -> registry.add(EventSpec.eptHook(IMAGE, List.of(script("if (@rxx == 1) { }")))))
                .isInstanceOf(DebuggerException.class).hasMessageContaining("script:1:5").hasMessageContaining("^");
        assertThat(registry.list()).isEmpty();
    }

    /**
     * Issue 10's hot printf of two registers, {@code imm no}: on the execution thread a trigger makes the printf's
     * arguments, the renderer, its buffer, the text's bytes and the record. The text was decoded to a string for the
     * record (a string and its bytes) and published through a lambda capturing it and where it ran: 305 bytes a
     * trigger before, 225 now (docs/benchmarks.md, "Script output, wave 13").
     */
    @Test
    void aHotPrintfTriggerAllocatesItsTextAndRecordOnly() {
        RecordQueue held = new RecordQueue(1 << 20, 1 << 20, Duration.ofSeconds(60)); // no host: every record stays
        try {
            ActionRunner hot = new ActionRunner(machine, root, registry, new Breakpoints(machine, root, Limits.DEFAULT,
                    new LogTaker(machine, () -> null)), held, (reason, id, exit) -> breaks.add(reason + " " + id),
                    () -> null);
            registry.add(EventSpec.eptHook(IMAGE, List.of(new ActionSpec.Script(
                    "printf(\"%llx %llx\\n\", @rax, @rcx);", 0, false))));
            machine.write(GuestRegister.RAX, 0x40000a);
            for (int i = 0; i < 20_000; i++) { // compiled, so that what escape analysis removes is removed
                hot.onExit(EXIT);
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            int triggers = 100_000;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < triggers; i++) {
                hot.onExit(EXIT);
            }
            long perTrigger = (threads.getCurrentThreadAllocatedBytes() - before) / triggers;
            assertThat(held.lastSeq()).isEqualTo(120_000);
            // arguments 32, renderer 32, its buffer 48, the text 32, the record 64; the rest the store's deque doubling
            assertThat(perTrigger).as("bytes allocated a trigger").isLessThanOrEqualTo(240);
        } finally {
            held.close();
        }
    }
}
