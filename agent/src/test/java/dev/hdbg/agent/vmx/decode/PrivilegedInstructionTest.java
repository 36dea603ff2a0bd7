package dev.hdbg.agent.vmx.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Hlt;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovFromDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToCr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.MovToDr;
import dev.hdbg.agent.vmx.decode.PrivilegedInstruction.Sysret;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The records' validation and the register names. */
class PrivilegedInstructionTest {
    @Test
    void gprNamesFollowTheEncodingOrder() {
        assertThat(IntStream.rangeClosed(0, 15).mapToObj(PrivilegedInstruction::gprName).toList()).isEqualTo(List.of(
                "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"));
    }

    @Test
    void gprNameRefusesNumbersOutside0To15() {
        assertThatThrownBy(() -> PrivilegedInstruction.gprName(16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..15");
        assertThatThrownBy(() -> PrivilegedInstruction.gprName(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..15");
    }

    @Test
    void lengthMustBe1To15() {
        assertThat(new Hlt(1).length()).isEqualTo(1);
        assertThat(new Sysret(15, true).length()).isEqualTo(15);
        assertThatThrownBy(() -> new Hlt(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..15");
        assertThatThrownBy(() -> new Sysret(16, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..15");
    }

    @Test
    void onlyCr0Cr2Cr3Cr4AndCr8AreControlRegisters() {
        for (int cr : new int[] {0, 2, 3, 4, 8}) {
            assertThat(new MovToCr(3, cr, 0).cr()).isEqualTo(cr);
            assertThat(new MovFromCr(3, cr, 0).cr()).isEqualTo(cr);
        }
        for (int cr : new int[] {-1, 1, 5, 6, 7, 9, 15, 16}) {
            assertThatThrownBy(() -> new MovToCr(3, cr, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR" + cr);
            assertThatThrownBy(() -> new MovFromCr(3, cr, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CR" + cr);
        }
    }

    @Test
    void debugRegistersAre0To7() {
        assertThat(new MovToDr(3, 7, 15).dr()).isEqualTo(7);
        assertThat(new MovFromDr(3, 0, 0).dr()).isZero();
        assertThatThrownBy(() -> new MovToDr(3, 8, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DR8");
        assertThatThrownBy(() -> new MovFromDr(3, -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DR-1");
    }

    @Test
    void gprMustBe0To15() {
        assertThat(new MovToCr(4, 0, 15).gpr()).isEqualTo(15);
        assertThatThrownBy(() -> new MovToCr(4, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MovFromCr(4, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MovToDr(4, 0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MovFromDr(4, 0, 16)).isInstanceOf(IllegalArgumentException.class);
    }
}
