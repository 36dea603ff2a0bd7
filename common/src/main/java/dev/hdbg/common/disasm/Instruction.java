package dev.hdbg.common.disasm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One decoded instruction: where it is, its machine code, and Capstone's Intel-syntax text. Branch and call
 * targets in {@code operands} are absolute, computed from {@code address}.
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operands) {
    /** The longest x86 instruction. */
    public static final int MAX_LENGTH = 15;

    public Instruction {
        Objects.requireNonNull(mnemonic, "mnemonic");
        Objects.requireNonNull(operands, "operands");
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an instruction has 1.." + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The mnemonic and, when there are any, the operands: {@code mov rax, qword ptr [rbx]}, {@code ret}. */
    public String text() {
        return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
    }

    /** The machine code as hex digits, two a byte, in memory order: {@code 488b03}. */
    public String hexBytes() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instruction i && address == i.address && Arrays.equals(bytes, i.bytes)
                && mnemonic.equals(i.mnemonic) && operands.equals(i.operands);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, Arrays.hashCode(bytes), mnemonic, operands);
    }

    @Override
    public String toString() {
        return "Instruction[0x" + Long.toHexString(address) + " " + hexBytes() + " " + text() + "]";
    }
}
