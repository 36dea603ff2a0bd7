package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.Guest.CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnicornRegisterTest {
    private static final X86Reg[] GPRS = {X86Reg.RAX, X86Reg.RBX, X86Reg.RCX, X86Reg.RDX, X86Reg.RSI, X86Reg.RDI,
        X86Reg.RBP, X86Reg.RSP, X86Reg.R8, X86Reg.R9, X86Reg.R10, X86Reg.R11, X86Reg.R12, X86Reg.R13, X86Reg.R14,
        X86Reg.R15};
    private static final int IA32_FS_BASE = 0xC000_0100;
    private static final int IA32_LSTAR = 0xC000_0082;
    // hlt
    private static final String HLT = "f4";
    // mov ecx, 0xC0000082 ; rdmsr ; shl rdx, 32 ; or rax, rdx ; hlt
    private static final String READ_LSTAR = "b9 82 00 00 c0 0f 32 48 c1 e2 20 48 09 d0 f4";
    // mov ecx, 0xC0000100 ; mov eax, 0x5678 ; mov edx, 0x1234 ; wrmsr ; hlt
    private static final String WRITE_FS_BASE = "b9 00 01 00 c0 b8 78 56 00 00 ba 34 12 00 00 0f 30 f4";
    // movdqa xmm1, xmm0 ; hlt
    private static final String COPY_XMM0_TO_XMM1 = "66 0f 6f c8 f4";
    // inc rax ; hlt
    private static final String INC_RAX = "48 ff c0 f4";

    @Test
    void generalRegistersReadBackWhatWasWritten() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            for (int i = 0; i < GPRS.length; i++) {
                unicorn.regWrite(GPRS[i], 0x1111_0000_0000_0000L * (i + 1) + i);
            }
            for (int i = 0; i < GPRS.length; i++) {
                assertThat(unicorn.regRead(GPRS[i])).as("%s", GPRS[i])
                        .isEqualTo(0x1111_0000_0000_0000L * (i + 1) + i);
            }
        }
    }

    @Test
    void narrowRegistersReadZeroExtendedWhateverWasReadBefore() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            unicorn.regWrite(X86Reg.RAX, -1);
            unicorn.regWrite(X86Reg.DS, 0x2b);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(-1);

            assertThat(unicorn.regRead(X86Reg.DS)).isEqualTo(0x2b);
            long[] out = {-1, -1};
            unicorn.regReadBatch(new X86Reg[] {X86Reg.DS, X86Reg.RAX}, out);
            assertThat(out).containsExactly(0x2b, -1);
        }
    }

    @Test
    void cr8IsIgnoredByUnicornAndReadsZero() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            unicorn.regWrite(X86Reg.RAX, -1);
            unicorn.regRead(X86Reg.RAX);
            unicorn.regWrite(X86Reg.CR8, 5);

            assertThat(unicorn.regRead(X86Reg.CR8)).isZero();
        }
    }

    // sgdt [0x2000] ; sidt [0x2010] ; hlt
    private static final String STORE_GDTR_IDTR = "0f 01 04 25 00 20 00 00 0f 01 0c 25 10 20 00 00 f4";

    @Test
    void descriptorTablesReadAndWriteTheirBaseAndKeepTheLimit() {
        try (Unicorn unicorn = Guest.withCode(STORE_GDTR_IDTR)) {
            unicorn.gdtrWrite(0x3000, 0x37);
            assertThat(unicorn.regRead(X86Reg.GDTR)).isEqualTo(0x3000);

            unicorn.regWrite(X86Reg.GDTR, 0x3800);
            unicorn.regWrite(X86Reg.IDTR, 0xffff_8000_1234_5000L);
            unicorn.regWrite(X86Reg.LDTR, 0x4400);
            unicorn.regWrite(X86Reg.TR, 0x4800);
            unicorn.emuStart(CODE, 0, 0, 0);

            // what the guest's own SGDT and SIDT store: a 16-bit limit, then the 64-bit base
            byte[] stored = unicorn.memRead(Guest.DATA, 0x1a);
            var le = java.nio.ByteBuffer.wrap(stored).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(le.getShort(0)).isEqualTo((short) 0x37);
            assertThat(le.getLong(2)).isEqualTo(0x3800);
            assertThat(le.getLong(0x12)).isEqualTo(0xffff_8000_1234_5000L);
            assertThat(unicorn.regRead(X86Reg.LDTR)).isEqualTo(0x4400);
            assertThat(unicorn.regRead(X86Reg.TR)).isEqualTo(0x4800);
        }
    }

    @Test
    void aBatchWithDescriptorTablesLeavesItsNeighboursIntact() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            X86Reg[] regs = {X86Reg.RAX, X86Reg.GDTR, X86Reg.RBX, X86Reg.IDTR, X86Reg.RCX};
            unicorn.regWriteBatch(regs, new long[] {1, 0x3000, 2, 0x5000, 3});

            long[] out = new long[regs.length];
            unicorn.regReadBatch(regs, out);
            assertThat(out).containsExactly(1, 0x3000, 2, 0x5000, 3);
            assertThat(unicorn.regRead(X86Reg.RIP)).as("the stand-in of the batch").isNotEqualTo(0x3000);
        }
    }

    @Test
    void batchWritesAndReadsAgreeWithSingleAccess() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            long[] values = new long[GPRS.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = 0x100L * i + 7;
            }
            unicorn.regWriteBatch(GPRS, values);
            assertThat(unicorn.regRead(X86Reg.R15)).isEqualTo(0x100L * 15 + 7);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(7);

            unicorn.regWrite(X86Reg.RSP, 0x7fff_0000L);
            long[] out = new long[GPRS.length + 2];
            unicorn.regReadBatch(GPRS, out);
            assertThat(out[7]).isEqualTo(0x7fff_0000L);
            assertThat(out[15]).isEqualTo(0x100L * 15 + 7);
            assertThat(out[16]).isZero();
        }
    }

    @Test
    void batchArraysMayBeReusedWithOtherRegistersOfTheSameCount() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            unicorn.regWriteBatch(new X86Reg[] {X86Reg.RAX, X86Reg.RBX}, new long[] {1, 2});
            X86Reg[] regs = {X86Reg.RCX, X86Reg.RDX};
            unicorn.regWriteBatch(regs, new long[] {3, 4});
            regs[0] = X86Reg.RBX;
            regs[1] = X86Reg.RAX;
            long[] out = new long[2];

            unicorn.regReadBatch(regs, out);

            assertThat(out).containsExactly(2, 1);
            assertThat(unicorn.regRead(X86Reg.RDX)).isEqualTo(4);
        }
    }

    @Test
    void aBatchReadAgainWritesItsRegisterIdsAndZeroesItsValuesOnce() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            Registers registers = registersOf(unicorn);
            long ids = registers.idWrites();
            long fills = registers.zeroFills();
            long[] out = new long[GPRS.length];

            for (int i = 0; i < 1_000; i++) {
                unicorn.regReadBatch(GPRS, out);
            }

            // Writing 16 ids and zeroing 16 values on every read of a hot condition was a tenth of its hit.
            assertThat(registers.idWrites() - ids).isEqualTo(1);
            assertThat(registers.zeroFills() - fills).isEqualTo(1);
        }
    }

    @Test
    void aNarrowRegisterReadAfterABatchWriteOfTheSameRegistersReadsOnlyItsOwnBytes() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            X86Reg[] regs = {X86Reg.CR8, X86Reg.DS, X86Reg.RAX};
            long[] out = new long[regs.length];
            unicorn.regReadBatch(regs, out);
            // Unicorn ignores CR8 and writes two bytes of DS: the values written stay in the batch's buffers.
            unicorn.regWriteBatch(regs, new long[] {5, 0x2b, -1});

            unicorn.regReadBatch(regs, out);

            assertThat(out).containsExactly(0, 0x2b, -1);
        }
    }

    /** The engine's register access, whose counts the tests read. */
    private static Registers registersOf(Unicorn unicorn) {
        try {
            java.lang.reflect.Field field = Unicorn.class.getDeclaredField("registers");
            field.setAccessible(true);
            return (Registers) field.get(unicorn);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void batchWithAShortArrayIsRejected() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            assertThatThrownBy(() -> unicorn.regReadBatch(GPRS, new long[3]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unicorn.regWriteBatch(GPRS, new long[3]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void registerAccessAllocatesNothingInSteadyState() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            long[] values = new long[GPRS.length];
            long sum = 0;
            for (int i = 0; i < 50_000; i++) { // warm-up: the JIT compiles the paths
                unicorn.regReadBatch(GPRS, values);
                unicorn.regWriteBatch(GPRS, values);
                unicorn.regWrite(X86Reg.RAX, i);
                sum += unicorn.regRead(X86Reg.RAX);
            }

            long before = Guest.allocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                unicorn.regReadBatch(GPRS, values);
                values[0] = i;
                unicorn.regWriteBatch(GPRS, values);
                unicorn.regWrite(X86Reg.RBX, i);
                sum += unicorn.regRead(X86Reg.RBX);
            }
            long allocated = Guest.allocatedBytes() - before;

            assertThat(sum).isPositive();
            assertThat(allocated).as("bytes allocated by 400,000 register calls").isLessThan(16 * 1024);
        }
    }

    @Test
    void xmmRegistersRoundTripAndTheGuestSeesThem() {
        try (Unicorn unicorn = Guest.withCode(COPY_XMM0_TO_XMM1)) {
            unicorn.regWrite(X86Reg.CR4, unicorn.regRead(X86Reg.CR4) | 1 << 9); // CR4.OSFXSR enables SSE
            byte[] value = Guest.bytes("00112233445566778899aabbccddeeff");
            unicorn.regWriteXmm(0, value);

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.regReadXmm(1)).isEqualTo(value);
            assertThat(unicorn.regReadXmm(15)).isEqualTo(new byte[16]);
        }
    }

    @Test
    void xmmIndexAndLengthAreChecked() {
        try (Unicorn unicorn = Guest.withCode(HLT)) {
            assertThatThrownBy(() -> unicorn.regReadXmm(16)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unicorn.regWriteXmm(-1, new byte[16]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> unicorn.regWriteXmm(0, new byte[8])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void msrWritesReachFsBaseAndTheGuestsRdmsr() {
        try (Unicorn unicorn = Guest.withCode(READ_LSTAR)) {
            unicorn.msrWrite(IA32_FS_BASE, 0x7f12_3456_7000L);
            unicorn.msrWrite(IA32_LSTAR, 0xffff_8000_1234_0000L);

            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.regRead(X86Reg.FS_BASE)).isEqualTo(0x7f12_3456_7000L);
            assertThat(unicorn.msrRead(IA32_FS_BASE)).isEqualTo(0x7f12_3456_7000L);
            assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(0xffff_8000_1234_0000L);
        }
    }

    @Test
    void guestWrmsrIsVisibleToMsrRead() {
        try (Unicorn unicorn = Guest.withCode(WRITE_FS_BASE)) {
            unicorn.emuStart(CODE, 0, 0, 0);

            assertThat(unicorn.msrRead(IA32_FS_BASE)).isEqualTo(0x0000_1234_0000_5678L);
        }
    }

    @Test
    void contextRestoreBringsBackTheSavedRegisters() {
        try (Unicorn unicorn = Guest.withCode(INC_RAX)) {
            unicorn.regWrite(X86Reg.RAX, 41);
            unicorn.regWrite(X86Reg.RIP, CODE);
            try (UnicornContext saved = unicorn.contextSave()) {
                unicorn.emuStart(CODE, 0, 0, 0);
                unicorn.regWrite(X86Reg.R9, 9);
                assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(42);

                unicorn.contextRestore(saved);
                assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(41);
                assertThat(unicorn.regRead(X86Reg.R9)).isZero();
                assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(CODE);

                unicorn.emuStart(CODE, 0, 0, 0);
                unicorn.contextRestore(saved);
                assertThat(unicorn.regRead(X86Reg.RAX)).isEqualTo(41);
            }
        }
    }

    @Test
    void contextMustBeOpenAndFromTheSameEngine() {
        try (Unicorn first = Guest.withCode(HLT); Unicorn second = Guest.withCode(HLT)) {
            UnicornContext context = first.contextSave();
            assertThatThrownBy(() -> second.contextRestore(context)).isInstanceOf(IllegalArgumentException.class);

            context.close();
            assertThatThrownBy(() -> first.contextRestore(context)).isInstanceOf(IllegalStateException.class);
            context.close();
        }
    }

    @Test
    void closingTheEngineFreesItsOpenContexts() {
        Unicorn unicorn = Guest.withCode(HLT);
        UnicornContext leftOpen = unicorn.contextSave();

        unicorn.close();

        assertThatThrownBy(leftOpen::pointer).isInstanceOf(IllegalStateException.class);
        leftOpen.close();
    }
}
