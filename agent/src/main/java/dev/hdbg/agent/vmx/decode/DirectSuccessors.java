package dev.hdbg.agent.vmx.decode;

import dev.hdbg.common.disasm.Instruction;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a translated block goes next without storing RIP, from the instruction that ends it: QEMU chains a block to
 * the target of its direct jump, call or conditional branch (and to the next instruction when the condition fails), so
 * once chained the next block runs with RIP still at an earlier block's start. An indirect jump, a return, a system call
 * or an interrupt stores RIP before it leaves: none of those has a successor here.
 */
public final class DirectSuccessors {
    /** Capstone's text of a direct target: an absolute address. */
    private static final Pattern TARGET = Pattern.compile("0x[0-9a-f]+");

    private DirectSuccessors() {
    }

    /** The addresses the block ending in {@code ending} may go on at with RIP unchanged; empty for none. */
    public static List<Long> of(Instruction ending) {
        String mnemonic = ending.mnemonic().toLowerCase(Locale.ROOT);
        String operand = ending.operands().trim().toLowerCase(Locale.ROOT);
        boolean branch = mnemonic.startsWith("j") || mnemonic.startsWith("loop") || mnemonic.equals("call");
        if (!branch || !TARGET.matcher(operand).matches()) {
            return List.of();
        }
        long target = Long.parseUnsignedLong(operand.substring(2), 16);
        boolean conditional = !mnemonic.equals("jmp") && !mnemonic.equals("call");
        return conditional ? List.of(target, ending.address() + ending.length()) : List.of(target);
    }
}
