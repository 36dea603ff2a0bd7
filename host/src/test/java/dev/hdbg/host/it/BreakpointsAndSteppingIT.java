package dev.hdbg.host.it;

import static dev.hdbg.host.it.Code.ADD_ITEM;
import static dev.hdbg.host.it.Code.code;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.ActionSpec;
import dev.hdbg.common.event.EventSpec;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.model.StepMode;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.host.client.DebuggerClient;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Breakpoints and stepping on the demo sample: main loop at 0x400000 (call add_item at 0x40000d,
 * returning to 0x400012), add_item at 0x400040 (mov rax, [rbx] ; add rax, rdi ; mov [rbx], rax ; ret).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BreakpointsAndSteppingIT {
    private AgentProcess agent;
    private DebuggerClient client;
    private final Records records = new Records();
    private int stops;

    @BeforeEach
    void start() throws Exception {
        agent = AgentProcess.start("--sample", "demo");
        client = agent.connect();
        client.addRecordListener(records);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        agent.close();
    }

    private DebuggerRecord.Break nextBreak() throws InterruptedException {
        return records.awaitBreak(++stops);
    }

    private long reg(String name) throws Exception {
        return client.readRegisters(List.of(name)).get(10, TimeUnit.SECONDS).get(name);
    }

    @Test
    void breakpointStopsBeforeTheInstructionAndCountsHits() throws Exception {
        long id = client.addBreakpoint(ADD_ITEM, null).get(10, TimeUnit.SECONDS);
        client.cont().get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break hit = nextBreak();
        assertThat(hit.reason()).isEqualTo(DebuggerRecord.BreakReason.BREAKPOINT);
        assertThat(hit.eventId()).isEqualTo(id);
        assertThat(hit.rip()).isEqualTo(ADD_ITEM);
        client.cont().get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(ADD_ITEM);
        assertThat(reg("rdi")).isEqualTo(1);
        assertThat(client.listBreakpoints().get(10, TimeUnit.SECONDS))
                .containsExactly(new BreakpointInfo(id, ADD_ITEM, true, false, 2));

        client.modifyBreakpoints(id, false, EventModification.DISABLE).get(10, TimeUnit.SECONDS);
        client.cont().get(10, TimeUnit.SECONDS);
        assertThat(records.awaitExit().status()).isEqualTo(Code.DEMO_SUM);
    }

    @Test
    void conditionalBreakpointStopsOnlyWhenItsConditionHolds() throws Exception {
        client.addBreakpoint(ADD_ITEM, code(Code.RDI_IS_7)).get(10, TimeUnit.SECONDS);
        client.cont().get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(ADD_ITEM);
        assertThat(reg("rdi")).isEqualTo(7);
        client.cont().get(10, TimeUnit.SECONDS);
        records.awaitExit();
        assertThat(records.of(DebuggerRecord.Break.class)).hasSize(1);
    }

    @Test
    void breakpointsAreInvisibleToMemoryReads() throws Exception {
        byte[] before = client.readMemory(ADD_ITEM, 4).get(10, TimeUnit.SECONDS);
        client.addBreakpoint(ADD_ITEM, null).get(10, TimeUnit.SECONDS);
        // The guest's own read of its code, through a !monitor on it, and the host's read.
        client.addEvent(EventSpec.eptHook(0x400003, List.of(Code.log(new dev.hdbg.common.event.LogItem.Memory(
                java.util.Optional.empty(), ADD_ITEM, 4))))).get(10, TimeUnit.SECONDS);
        assertThat(client.readMemory(ADD_ITEM, 4).get(10, TimeUnit.SECONDS)).isEqualTo(before);
        assertThat(HexFormat.of().formatHex(before)).isEqualTo("488b0348");
        client.cont().get(10, TimeUnit.SECONDS);
        nextBreak();
        DebuggerRecord.Log log = records.of(DebuggerRecord.Log.class).getFirst();
        assertThat(log.values().getFirst().bytes().orElseThrow()).isEqualTo(before);
    }

    @Test
    void stepIntoExecutesOneInstructionAndEntersCalls() throws Exception {
        client.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break first = nextBreak();
        assertThat(first.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        assertThat(first.rip()).isEqualTo(0x400003);
        client.runTo(0x40000d).get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(0x40000d);
        client.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(ADD_ITEM); // into the call
    }

    @Test
    void stepOverRunsACallToItsReturn() throws Exception {
        client.runTo(0x40000d).get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        client.step(StepMode.OVER).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break after = nextBreak();
        assertThat(after.rip()).isEqualTo(0x400012);
        assertThat(reg("rax")).isZero(); // add_item(0) ran: the sum is 0
        client.step(StepMode.OVER).get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(0x400015); // an ordinary instruction: one step
    }

    @Test
    void stepOutRunsToTheReturnAddress() throws Exception {
        client.addBreakpoint(0x400043, null).get(10, TimeUnit.SECONDS); // inside add_item
        client.cont().get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(0x400043);
        client.modifyBreakpoints(0, true, EventModification.CLEAR).get(10, TimeUnit.SECONDS);
        client.step(StepMode.OUT).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break out = nextBreak();
        assertThat(out.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        assertThat(out.rip()).isEqualTo(0x400012);
    }

    @Test
    void stepFromABreakInsideAnEventRunsTheHookedInstructionOnce() throws Exception {
        client.addEvent(EventSpec.eptHook(ADD_ITEM, List.of(new ActionSpec.Break()))).get(10, TimeUnit.SECONDS);
        client.cont().get(10, TimeUnit.SECONDS);
        assertThat(nextBreak().rip()).isEqualTo(ADD_ITEM);
        client.step(StepMode.INTO).get(10, TimeUnit.SECONDS);
        DebuggerRecord.Break stepped = nextBreak();
        assertThat(stepped.reason()).isEqualTo(DebuggerRecord.BreakReason.STEP);
        assertThat(stepped.rip()).isEqualTo(0x400043);
        assertThat(reg("rax")).isZero(); // mov rax, [rbx] ran once
        assertThat(records.of(DebuggerRecord.Break.class)).hasSize(2); // no second break from the same exit
    }

    @Test
    void runToAnAddressThatIsNotMappedIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.runTo(0x10).get(10, TimeUnit.SECONDS))
                .cause().hasMessageContaining("0x10 is not mapped");
    }
}
