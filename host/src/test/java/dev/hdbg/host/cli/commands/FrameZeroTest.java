package dev.hdbg.host.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Where frame 0's return address is, from the instruction bytes at its function's start and at rip. */
class FrameZeroTest {
    private static final long F = 0x5555_5555_5139L;
    private static final long RSP = 0x7fff_feff_fcf8L;
    /** push rbp; mov rbp, rsp; mov [rbp-4], edi */
    private static final byte[] PLAIN = {0x55, 0x48, (byte) 0x89, (byte) 0xe5, (byte) 0x89};
    /** endbr64; push rbp */
    private static final byte[] CET = {(byte) 0xf3, 0x0f, 0x1e, (byte) 0xfa, 0x55};
    private static final byte[] MOV = {(byte) 0x89};
    private static final byte[] RET = {(byte) 0xc3};

    private static OptionalLong slot(long rip, byte[] atStart, byte[] atRip) {
        return FrameZero.returnSlot(rip, RSP, OptionalLong.of(F), atStart, atRip);
    }

    @Test
    void atTheFirstInstructionTheReturnAddressIsOnTopOfTheStack() {
        assertThat(slot(F, PLAIN, new byte[] {0x55})).hasValue(RSP);
        assertThat(slot(F, CET, new byte[] {(byte) 0xf3})).hasValue(RSP);
        assertThat(slot(F + 4, CET, new byte[] {0x55})).as("after endbr64, before the push").hasValue(RSP);
    }

    @Test
    void afterPushRbpItIsOneSlotUp() {
        assertThat(slot(F + 1, PLAIN, MOV)).hasValue(RSP + 8);
        assertThat(slot(F + 5, CET, MOV)).hasValue(RSP + 8);
    }

    @Test
    void onceTheFrameIsSetUpTheChainHasIt() {
        assertThat(slot(F + 4, PLAIN, MOV)).isEmpty();
        assertThat(slot(F + 0x1b, PLAIN, MOV)).isEmpty();
        assertThat(slot(F + 1, new byte[] {0x48, (byte) 0x83, (byte) 0xec, 0x08}, MOV))
                .as("a function that pushes no rbp: after its first instruction nothing is known").isEmpty();
    }

    @Test
    void atARetTheReturnAddressIsOnTopWithOrWithoutSymbols() {
        assertThat(slot(F + 0x1e, PLAIN, RET)).hasValue(RSP);
        assertThat(FrameZero.returnSlot(0x400050, RSP, OptionalLong.empty(), new byte[0], new byte[] {(byte) 0xc2, 8, 0}))
                .hasValue(RSP);
    }

    @Test
    void withoutAFunctionOrItsBytesNothingIsGuessed() {
        assertThat(FrameZero.returnSlot(F, RSP, OptionalLong.empty(), new byte[0], MOV)).isEmpty();
        assertThat(slot(F + 1, new byte[0], new byte[0])).isEmpty();
        assertThat(slot(F - 1, PLAIN, MOV)).as("rip before the function").isEmpty();
    }
}
