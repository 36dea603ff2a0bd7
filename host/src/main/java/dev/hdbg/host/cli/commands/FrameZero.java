package dev.hdbg.host.cli.commands;

import java.util.OptionalLong;

/**
 * Where frame 0's return address is while the frame-pointer chain cannot show it: at a function's first instructions,
 * before its prologue has pushed rbp and pointed rbp at the frame (a breakpoint on a function stops there, and
 * {@code p} after it), and at its {@code ret}, after the epilogue has restored the caller's rbp. The chain would skip
 * the caller there: [rbp+8] is then the caller's own return address. gdb finds these cases by analysing the
 * prologue; this reads the same instruction bytes.
 */
final class FrameZero {
    /** {@code endbr64}, which -fcf-protection puts before the prologue. */
    private static final byte[] ENDBR64 = {(byte) 0xf3, 0x0f, 0x1e, (byte) 0xfa};
    private static final int PUSH_RBP = 0x55;
    private static final int RET = 0xc3;
    private static final int RET_IMM16 = 0xc2;
    /** How many bytes from a function's start {@link #returnSlot} looks at. */
    static final int PROLOGUE_BYTES = ENDBR64.length + 1;

    private FrameZero() {
    }

    /**
     * The stack slot holding frame 0's return address, or empty when the rbp chain has it.
     *
     * @param rip           where frame 0 executes
     * @param rsp           its stack pointer
     * @param functionStart the start of the function symbol holding rip, if any
     * @param atStart       the code at {@code functionStart} ({@link #PROLOGUE_BYTES} or fewer bytes; empty without)
     * @param atRip         the code at rip (a byte is enough; empty when unreadable)
     */
    static OptionalLong returnSlot(long rip, long rsp, OptionalLong functionStart, byte[] atStart, byte[] atRip) {
        if (atRip.length > 0 && ((atRip[0] & 0xff) == RET || (atRip[0] & 0xff) == RET_IMM16)) {
            return OptionalLong.of(rsp);
        }
        if (functionStart.isEmpty()) {
            return OptionalLong.empty();
        }
        long offset = rip - functionStart.getAsLong();
        if (offset < 0 || offset > PROLOGUE_BYTES) {
            return OptionalLong.empty();
        }
        int push = startsWithEndbr64(atStart) ? ENDBR64.length : 0;
        if (offset <= push) {
            return OptionalLong.of(rsp); // nothing pushed yet
        }
        if (offset == push + 1 && atStart.length > push && (atStart[push] & 0xff) == PUSH_RBP) {
            return OptionalLong.of(rsp + 8); // rbp pushed, not yet the frame's
        }
        return OptionalLong.empty();
    }

    private static boolean startsWithEndbr64(byte[] code) {
        if (code.length < ENDBR64.length) {
            return false;
        }
        for (int i = 0; i < ENDBR64.length; i++) {
            if (code[i] != ENDBR64[i]) {
                return false;
            }
        }
        return true;
    }
}
