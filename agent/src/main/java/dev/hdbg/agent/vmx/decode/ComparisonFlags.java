package dev.hdbg.agent.vmx.decode;

import dev.hdbg.common.disasm.Instruction;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The arithmetic flags a {@code cmp} or {@code test} of registers and an immediate left, computed again from the
 * registers as they are: for a memory fault inside a translated block, where Unicorn 2.0.1 leaves RFLAGS as the block
 * found it (QEMU computes flags lazily and would restore the pending operation from the host code's address). Exact
 * when the comparison is the last instruction before the fault that sets flags and nothing after it changed its
 * registers; otherwise nothing is said and RFLAGS stays as it is.
 */
public final class ComparisonFlags {
    /** CF, PF, AF, ZF, SF and OF: what {@code cmp} and {@code test} set. */
    public static final long MASK = 0x8d5;

    /** Instructions that set no flag; each writes its first operand when that is a register (xchg both). */
    private static final Set<String> FLAGLESS = Set.of("mov", "movabs", "movzx", "movsx", "movsxd", "lea", "nop",
            "push", "pop", "xchg", "bswap", "not");

    private ComparisonFlags() {
    }

    /**
     * The flags ({@link #MASK}'s bits) after {@code before}, the block's instructions ahead of the one that faulted,
     * with the registers as {@code register} reads them by their 64-bit name; empty when they cannot be told this way.
     */
    public static OptionalLong of(List<Instruction> before, ToLongFunction<String> register) {
        Set<String> written = new HashSet<>();
        for (int i = before.size() - 1; i >= 0; i--) {
            Instruction instruction = before.get(i);
            String mnemonic = instruction.mnemonic().toLowerCase(Locale.ROOT);
            String[] operands = instruction.operands().isEmpty() ? new String[0] : instruction.operands().split(", ");
            if (mnemonic.equals("cmp") || mnemonic.equals("test")) {
                return flags(mnemonic.equals("cmp"), operands, written, register);
            }
            if (mnemonic.startsWith("j")) {
                continue; // a branch on the way to a chained block reads the flags and leaves them
            }
            if (!FLAGLESS.contains(mnemonic)) {
                return OptionalLong.empty(); // set by an instruction this does not model, or written in between
            }
            if (mnemonic.equals("push") || mnemonic.equals("pop")) {
                written.add("rsp");
            }
            for (int o = 0; o < operands.length && (o == 0 || mnemonic.equals("xchg")); o++) {
                GeneralRegisters.Part r = GeneralRegisters.of(operands[o]);
                if (r != null) {
                    written.add(r.wide());
                }
            }
        }
        return OptionalLong.empty(); // no flag set in the block before the fault: RFLAGS is right as it is
    }

    private static OptionalLong flags(boolean compare, String[] operands, Set<String> written,
                                      ToLongFunction<String> register) {
        if (operands.length != 2) {
            return OptionalLong.empty();
        }
        GeneralRegisters.Part left = GeneralRegisters.of(operands[0]);
        if (left == null || written.contains(left.wide())) {
            return OptionalLong.empty(); // a memory operand, or a register changed since
        }
        long a = value(left, register);
        long b;
        GeneralRegisters.Part right = GeneralRegisters.of(operands[1]);
        if (right != null) {
            if (written.contains(right.wide())) {
                return OptionalLong.empty();
            }
            b = value(right, register);
        } else {
            try {
                b = immediate(operands[1]);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        int bits = left.bits();
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        a &= mask;
        b &= mask;
        long result = (compare ? a - b : a & b) & mask;
        long sign = 1L << (bits - 1);
        long flags = 0;
        if (compare && Long.compareUnsigned(a, b) < 0) {
            flags |= 0x1; // CF
        }
        if (Integer.bitCount((int) (result & 0xff)) % 2 == 0) {
            flags |= 0x4; // PF
        }
        if (compare && ((a ^ b ^ result) & 0x10) != 0) {
            flags |= 0x10; // AF
        }
        if (result == 0) {
            flags |= 0x40; // ZF
        }
        if ((result & sign) != 0) {
            flags |= 0x80; // SF
        }
        if (compare && ((a ^ b) & (a ^ result) & sign) != 0) {
            flags |= 0x800; // OF
        }
        return OptionalLong.of(flags);
    }

    private static long value(GeneralRegisters.Part r, ToLongFunction<String> register) {
        return register.applyAsLong(r.wide()) >>> r.shift();
    }

    /** Capstone's immediate: {@code 7}, {@code 0x10}, {@code -1} or {@code 0xffffffffffffffff}. */
    private static long immediate(String text) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        long value = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) : Long.parseLong(digits);
        return negative ? -value : value;
    }
}
