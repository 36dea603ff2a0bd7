package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.Guest.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnicornInstructionHookTest {
    // cpuid ; hlt
    private static final String CPUID = "0f a2 f4";
    // in al, 0x60 ; mov bl, al ; mov al, 0x42 ; out 0x80, al ; mov dx, 0x3f8 ; in eax, dx ; hlt
    private static final String IN_OUT = "e4 60 88 c3 b0 42 e6 80 66 ba f8 03 ed f4";
    // syscall ; mov ebx, 1 ; hlt
    private static final String SYSCALL = "0f 05 bb 01 00 00 00 f4";
    // int3 ; mov ebx, 1 ; hlt
    private static final String INT3 = "cc bb 01 00 00 00 f4";
    // vmcall ; mov ebx, 1 ; hlt
    private static final String VMCALL = "0f 01 c1 bb 01 00 00 00 f4";

    private record Port(int port, int size, int value) {
    }

    @Test
    void cpuidHookCanSkipTheInstructionAndSupplyTheResult() {
        try (Unicorn unicorn = Guest.withCode(CPUID)) {
            List<Long> leaves = new ArrayList<>();
            unicorn.hookCpuid(() -> {
                leaves.add(unicorn.regRead(X86Reg.RAX));
                unicorn.regWriteBatch(new X86Reg[] {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX},
                        new long[] {0x11, 0x22, 0x33, 0x44});
                return true;
            });
            unicorn.regWrite(X86Reg.RAX, 0x4000_0000L);

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(leaves).containsExactly(0x4000_0000L);
            long[] result = new long[4];
            unicorn.regReadBatch(new X86Reg[] {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX}, result);
            assertThat(result).containsExactly(0x11, 0x22, 0x33, 0x44);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);
        }
    }

    @Test
    void cpuidHookReturningFalseLetsTheInstructionRun() {
        try (Unicorn unicorn = Guest.withCode(CPUID)) {
            int[] calls = new int[1];
            unicorn.hookCpuid(() -> {
                calls[0]++;
                unicorn.regWrite(X86Reg.RBX, 0x22);
                return false;
            });
            unicorn.regWrite(X86Reg.RAX, 0);

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(calls[0]).isEqualTo(1);
            ByteBuffer vendor = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            vendor.putInt((int) unicorn.regRead(X86Reg.RBX)).putInt((int) unicorn.regRead(X86Reg.RDX))
                    .putInt((int) unicorn.regRead(X86Reg.RCX));
            assertThat(new String(vendor.array(), StandardCharsets.US_ASCII)).matches("[A-Za-z]{12}");
        }
    }

    @Test
    void inAndOutHooksSeePortSizeAndValue() {
        try (Unicorn unicorn = Guest.withCode(IN_OUT)) {
            List<Port> ins = new ArrayList<>();
            List<Port> outs = new ArrayList<>();
            unicorn.hookIn((port, size) -> {
                ins.add(new Port(port, size, 0));
                return port == 0x60 ? 0x5a : 0xdead_beef;
            });
            unicorn.hookOut((port, size, value) -> outs.add(new Port(port, size, value)));

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(ins).containsExactly(new Port(0x60, 1, 0), new Port(0x3f8, 4, 0));
            assertThat(outs).containsExactly(new Port(0x80, 1, 0x42));
            assertThat(unicorn.regRead(X86Reg.RBX) & 0xff).isEqualTo(0x5a);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0xdead_beefL);
        }
    }

    @Test
    void syscallHookFiresAtTheInstructionAndExecutionGoesOnAfterIt() {
        try (Unicorn unicorn = Guest.withCode(SYSCALL)) {
            List<Long> ripInHook = new ArrayList<>();
            unicorn.hookSyscall(() -> ripInHook.add(unicorn.regRead(X86Reg.RIP)));
            unicorn.regWrite(X86Reg.RCX, 0x55);
            unicorn.regWrite(X86Reg.R11, 0x66);

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(ripInHook).containsExactly(CODE);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 8);
            // Unicorn performs none of syscall's own effects: RCX and R11 keep their values
            assertThat(unicorn.regRead(X86Reg.RCX)).isEqualTo(0x55);
            assertThat(unicorn.regRead(X86Reg.R11)).isEqualTo(0x66);
        }
    }

    @Test
    void interruptHookGetsVector3ForInt3AndExecutionGoesOn() {
        try (Unicorn unicorn = Guest.withCode(INT3)) {
            List<Integer> vectors = new ArrayList<>();
            long[] ripInHook = new long[1];
            unicorn.hookInterrupt(intno -> {
                vectors.add(intno);
                ripInHook[0] = unicorn.regRead(X86Reg.RIP);
            });

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(vectors).containsExactly(3);
            assertThat(ripInHook[0]).isEqualTo(CODE + 1);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(1);
        }
    }

    @Test
    void invalidInstructionHookSeesVmcallAndHandlingItEndsTheRunNormally() {
        try (Unicorn unicorn = Guest.withCode(VMCALL)) {
            List<Long> at = new ArrayList<>();
            unicorn.hookInvalidInstruction(() -> {
                long rip = unicorn.regRead(X86Reg.RIP);
                at.add(rip);
                unicorn.regWrite(X86Reg.RIP, rip + 3);
                return true;
            });

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(at).containsExactly(CODE);
            // measured on 2.0.1: a handled invalid instruction ends the run (UC_ERR_OK) instead of going on
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE + 3);
            assertThat(unicorn.regRead(X86Reg.RBX)).isZero();

            unicorn.emuStart(CODE + 3, 0, 0, 0);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(1);
        }
    }

    @Test
    void invalidInstructionHookReturningFalseEndsWithInsnInvalid() {
        try (Unicorn unicorn = Guest.withCode(VMCALL)) {
            int[] calls = new int[1];
            unicorn.hookInvalidInstruction(() -> {
                calls[0]++;
                return false;
            });

            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOfSatisfying(UnicornException.class,
                            e -> assertThat(e.error()).isEqualTo(UcError.INSN_INVALID));
            assertThat(calls[0]).isEqualTo(1);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE);
        }
    }

    @Test
    void instructionHookThatThrowsSurfacesFromEmuStart() {
        try (Unicorn unicorn = Guest.withCode(CPUID)) {
            unicorn.hookCpuid(() -> {
                throw new UnsupportedOperationException("no cpuid here");
            });

            assertThatThrownBy(() -> unicorn.emuStart(CODE, 0, 0, 0))
                    .isInstanceOf(UnicornException.class)
                    .cause().isInstanceOf(UnsupportedOperationException.class).hasMessage("no cpuid here");
        }
    }
}
