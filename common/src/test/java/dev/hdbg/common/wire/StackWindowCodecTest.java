package dev.hdbg.common.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.common.model.StackBytes;
import dev.hdbg.common.model.StackWindow;
import org.junit.jupiter.api.Test;

/** The step's stack window and the bytes read at the stop (since 1.15, "step.stop-memory") cross the wire intact. */
class StackWindowCodecTest {
    @Test
    void aWindowAndTheStackReadAtTheStopRoundTrip() {
        assertThat(ExecutionCodec.decode(ExecutionCodec.encode(StackWindow.GDB))).isEqualTo(StackWindow.GDB);
        StackBytes stack = new StackBytes(0x7fff_0000L, new byte[] {1, 2, 3});
        StackBytes back = ExecutionCodec.decode(ExecutionCodec.encode(stack));
        assertThat(back.address()).isEqualTo(stack.address());
        assertThat(back.data()).containsExactly(1, 2, 3);
    }

    @Test
    void theGdbWindowCoversGdbsReadsAroundAFrame() {
        long rsp = 0x7fff_e000L;
        long rbp = rsp + 0x30;
        StackBytes read = new StackBytes(StackWindow.GDB.start(rsp), new byte[StackWindow.GDB.length(rsp, rbp)]);
        assertThat(read.holds(rsp - 0x18, 0x40)).as("prologue and epilogue: below rsp").isTrue();
        assertThat(read.holds(rbp + 0x80, 0x40)).as("past the frame").isTrue();
        assertThat(read.holds(rbp + 0xc0, 1)).isFalse();
        assertThat(read.holds(rsp - 0x81, 1)).isFalse();
    }
}
