package dev.hdbg.agent.debugger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.machine.RawImageLoader;
import dev.hdbg.agent.vmx.VmxRoot;
import dev.hdbg.common.event.MachineCode;
import org.junit.jupiter.api.Test;

/** Breakpoints on a real machine: what a host may ask for is bounded by the agent's limits. */
class BreakpointsTest {
    private static final long IMAGE = RawImageLoader.DEFAULT_BASE;
    private static final Limits LIMITS = new Limits(2, 4, 64, 64, 64, 1000, Limits.DEFAULT.maxRootBytes());

    @Test
    void aConditionLongerThanTheCodeLimitIsRefusedAndTakesNoRootPages() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
            try (VmxRoot root = new VmxRoot(machine, LIMITS.codeBudget())) {
                Breakpoints breakpoints = new Breakpoints(machine, root, LIMITS, new LogTaker(machine, () -> null));
                assertThatThrownBy(() -> breakpoints.add(IMAGE, MachineCode.of(new byte[65])))
                        .isInstanceOfSatisfying(DebuggerException.class,
                                e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.LIMIT_EXCEEDED))
                        .hasMessageContaining("condition of 65 bytes exceeds the limit of 64");
                assertThat(breakpoints.list()).isEmpty();
                assertThat(breakpoints.add(IMAGE, MachineCode.of(new byte[64]))).isEqualTo(1);
            }
        }
    }

    @Test
    void breakpointsPastTheLimitAreRefused() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
            try (VmxRoot root = new VmxRoot(machine, LIMITS.codeBudget())) {
                Breakpoints breakpoints = new Breakpoints(machine, root, LIMITS, new LogTaker(machine, () -> null));
                breakpoints.add(IMAGE, null);
                breakpoints.add(IMAGE + 1, null);
                assertThatThrownBy(() -> breakpoints.add(IMAGE, null)).isInstanceOfSatisfying(DebuggerException.class,
                        e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.LIMIT_EXCEEDED));
                assertThat(breakpoints.list()).hasSize(2);
            }
        }
    }

    @Test
    void theLastAddressOfTheAddressSpaceIsUnmappedLikeAnyOther() {
        try (Machine machine = new Machine()) {
            RawImageLoader.load(machine, "t", new byte[] {(byte) 0x90, (byte) 0xf4}, IMAGE, IMAGE);
            try (VmxRoot root = new VmxRoot(machine, LIMITS.codeBudget())) {
                Breakpoints breakpoints = new Breakpoints(machine, root, LIMITS, new LogTaker(machine, () -> null));
                for (long address : new long[] {-1L, -16L, 0}) {
                    assertThatThrownBy(() -> breakpoints.add(address, null)).isInstanceOfSatisfying(DebuggerException.class,
                            e -> assertThat(e.kind()).isEqualTo(DebuggerException.Kind.UNMAPPED_ADDRESS));
                }
                assertThat(breakpoints.list()).isEmpty();
                assertThat(machine.memory().isMapped(IMAGE, 2)).isTrue();
                assertThat(machine.memory().isMapped(IMAGE + 1, -1L)).as("a length that wraps").isFalse();
            }
        }
    }
}
