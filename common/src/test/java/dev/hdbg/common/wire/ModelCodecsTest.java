package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.model.BreakpointInfo;
import dev.hdbg.common.model.CoreInfo;
import dev.hdbg.common.model.LoadedModule;
import dev.hdbg.common.model.MemoryRegion;
import dev.hdbg.common.model.Section;
import dev.hdbg.common.model.Symbol;
import dev.hdbg.common.model.TargetState;
import dev.hdbg.common.record.DebuggerRecord;
import dev.hdbg.proto.v1.StatusReply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared model survives the wire through its one codec each, as both sides use them. */
class ModelCodecsTest {
    @Test
    void aStatusWithEveryStateAndItsRegionsSurvivesTheWire() {
        for (TargetState state : TargetState.values()) {
            AgentStatus status = new AgentStatus(state, 0x401000, "demo (raw image)", List.of(
                    new MemoryRegion(0x400000, 0x401000, "r-x", "image"),
                    new MemoryRegion(0x7fff_fff0_0000L, 0x7fff_ffff_ffffL, "rw-", "stack")), 77);
            assertThat(ExecutionCodec.decode(ExecutionCodec.encode(status))).isEqualTo(status);
        }
    }

    @Test
    void theCoresAndTheSelectedOneSurviveTheWire() {
        AgentStatus status = new AgentStatus(TargetState.PAUSED, 0x401100, "threads", List.of(), 9, List.of(
                new CoreInfo(0, 1000, 0x401000, "futex wait", false),
                new CoreInfo(1, 1001, 0x401100, "running", true)), 1);
        assertThat(ExecutionCodec.decode(ExecutionCodec.encode(status))).isEqualTo(status);
    }

    @Test
    void aBreakSaysWhichCoreThreadAndProcessBroke() {
        var record = new DebuggerRecord.Break(3, DebuggerRecord.BreakReason.BREAKPOINT, 1, java.util.Optional.empty(), 0,
                0x401100, "breakpoint 1", java.util.Map.of(), 1, 1000, 1001);
        var wire = RecordCodec.encode(record);
        assertThat(wire.getBreak().getCore()).isEqualTo(1);
        assertThat(wire.getBreak().getTid()).isEqualTo(1001);
        assertThat(RecordCodec.decode(wire)).isEqualTo(record);
    }

    @Test
    void aHelloWithoutStatusReadsAsAPausedTargetWithNothingMapped() {
        assertThat(ExecutionCodec.decode(StatusReply.getDefaultInstance()))
                .isEqualTo(new AgentStatus(TargetState.PAUSED, 0, "", List.of(), 0));
    }

    @Test
    void breakpointsSymbolsAndModulesSurviveTheWire() {
        BreakpointInfo bp = new BreakpointInfo(3, -1L, false, true, 12);
        assertThat(ExecutionCodec.decode(ExecutionCodec.encode(bp))).isEqualTo(bp);

        Symbol symbol = new Symbol("main", 0x401136, 0x2a, "func");
        assertThat(TargetCodec.decode(TargetCodec.encode(symbol))).isEqualTo(symbol);

        LoadedModule module = new LoadedModule("busybox", 0x400000, 0x500000, List.of(
                new Section(".text", 0x401000, 0x8000, "ax"), new Section(".data", 0x4c0000, 0x100, "wa")));
        assertThat(TargetCodec.decode(TargetCodec.encode(module))).isEqualTo(module);
    }

    @Test
    void exitAndOutputRecordsKeepTheirWireForms() {
        var hlt = RecordCodec.encode(new DebuggerRecord.Exit(4, DebuggerRecord.ExitKind.HLT, 0x400002, 0x2d, 10));
        assertThat(hlt.getExit().getReason()).isEqualTo("hlt");
        assertThat(RecordCodec.decode(hlt)).isEqualTo(new DebuggerRecord.Exit(4, DebuggerRecord.ExitKind.HLT, 0x400002, 0x2d, 10));
        var exit = RecordCodec.encode(new DebuggerRecord.Exit(5, DebuggerRecord.ExitKind.EXIT, 0x401000, 0, 10));
        assertThat(exit.getExit().getReason()).isEqualTo("exit");

        var err = RecordCodec.encode(new DebuggerRecord.Output(6, DebuggerRecord.Stream.STDERR, new byte[] {'x'}));
        assertThat(err.getOutput().getStream().getNumber()).isEqualTo(2);
        assertThat(((DebuggerRecord.Output) RecordCodec.decode(err)).stream()).isEqualTo(DebuggerRecord.Stream.STDERR);
    }

    @Test
    void aBreakCarriesTheRegistersAtTheStopInTheirOrderAndAnOlderAgentsBreakNone() {
        Map<GuestRegister, Long> registers = new LinkedHashMap<>();
        for (GuestRegister register : GuestRegister.AT_STOP) {
            registers.put(register, 0x1000L + register.ordinal());
        }
        var stop = new DebuggerRecord.Break(7, DebuggerRecord.BreakReason.STEP, 0, Optional.empty(), 0, 0x1010,
                "stepped (t)", registers);

        var wire = RecordCodec.encode(stop);
        assertThat(wire.getBreak().getRegistersList()).extracting(r -> r.getName())
                .containsExactlyElementsOf(GuestRegister.AT_STOP.stream().map(GuestRegister::wireName).toList());
        var decoded = (DebuggerRecord.Break) RecordCodec.decode(wire);
        assertThat(decoded).isEqualTo(stop);
        assertThat(decoded.registers().keySet()).containsExactlyElementsOf(GuestRegister.AT_STOP);

        var older = wire.toBuilder().setBreak(wire.getBreak().toBuilder().clearRegisters()).build();
        assertThat(((DebuggerRecord.Break) RecordCodec.decode(older)).registers()).isEmpty();
    }
}
