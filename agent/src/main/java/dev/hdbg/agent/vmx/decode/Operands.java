package dev.hdbg.agent.vmx.decode;

import java.util.List;

/**
 * The ranges an instruction's length and register operands may take, shared by the records' compact constructors
 * and the decoder, so that the decoder never builds a record its constructor would refuse.
 */
final class Operands {
    /** spec: SDM Vol. 2A ch. 2, an instruction is at most 15 bytes long; a longer one raises #GP. */
    static final int MAX_LENGTH = 15;

    /** 64-bit names in encoding order, so that the index is the register number. */
    static final List<String> GPR_NAMES = List.of(
            "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");

    private Operands() {
    }

    /**
     * Whether {@code cr} names a control register MOV CR can reach in 64-bit mode: CR0, CR2, CR3, CR4 or CR8.
     * spec: SDM Vol. 2B MOV (control registers), CR1, CR5-CR7 and CR9-CR15 raise #UD.
     */
    static boolean isControlRegister(int cr) {
        return cr == 0 || cr == 2 || cr == 3 || cr == 4 || cr == 8;
    }

    /**
     * Whether {@code dr} names a debug register, DR0 to DR7. spec: SDM Vol. 2B MOV (debug registers), REX.R
     * (DR8-DR15) raises #UD. DR4 and DR5 are accepted: whether they alias DR6 and DR7 or fault depends on CR4.DE,
     * which is the emulating caller's to check.
     */
    static boolean isDebugRegister(int dr) {
        return dr >= 0 && dr <= 7;
    }

    /** Whether {@code gpr} is a general-purpose register number in encoding order, 0 (RAX) to 15 (R15). */
    static boolean isGpr(int gpr) {
        return gpr >= 0 && gpr <= 15;
    }

    static int requireLength(int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("instruction length " + length + " is outside 1.." + MAX_LENGTH);
        }
        return length;
    }

    static void requireControlRegister(int cr) {
        if (!isControlRegister(cr)) {
            throw new IllegalArgumentException("CR" + cr + " is not a control register MOV can reach"
                    + " (use 0, 2, 3, 4 or 8)");
        }
    }

    static void requireDebugRegister(int dr) {
        if (!isDebugRegister(dr)) {
            throw new IllegalArgumentException("DR" + dr + " is not a debug register (use 0..7)");
        }
    }

    static void requireGpr(int gpr) {
        if (!isGpr(gpr)) {
            throw new IllegalArgumentException("general-purpose register " + gpr + " is outside 0..15"
                    + " (encoding order: 0 = RAX .. 15 = R15)");
        }
    }
}
