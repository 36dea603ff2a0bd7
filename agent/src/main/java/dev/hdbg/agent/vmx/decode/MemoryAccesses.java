package dev.hdbg.agent.vmx.decode;

import dev.hdbg.common.disasm.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data memory one 64-bit-mode instruction reads and writes, from Capstone's Intel-syntax text and the registers'
 * values: its explicit memory operands ({@code qword ptr fs:[rbx + rcx*8 - 0x10]}) and the stack accesses it implies
 * (PUSH, POP, CALL, RET, LEAVE). LEA, NOP and the prefetches name memory without touching it and have none.
 *
 * <p>Whether an operand is read, written or both follows the operand's place: the first is written (and read, as
 * ADD's is) unless the instruction only compares or pushes it, or only stores to it (the MOV family, SETcc, STOS);
 * the others are read. A few instructions outside these rules are taken as reading and writing, which a caller looking
 * for one access among candidates must accept as over-inclusive.
 */
public final class MemoryAccesses {
    /** One access: {@code size} bytes at {@code address}. */
    public record Access(long address, int size, boolean reads, boolean writes) {
        /** Whether the access touches any of the {@code length} bytes at {@code start}. */
        public boolean overlaps(long start, int length) {
            return Long.compareUnsigned(address, start + length) < 0 && Long.compareUnsigned(start, address + size) < 0;
        }
    }

    private static final Pattern MEMORY = Pattern.compile(
            "(?:(byte|word|dword|qword|tbyte|xmmword|ymmword|zmmword) ptr )?(?:([cdefgs]s):)?\\[([^\\]]+)]");
    private static final Map<String, Integer> SIZES = Map.of("byte", 1, "word", 2, "dword", 4, "qword", 8,
            "tbyte", 10, "xmmword", 16, "ymmword", 32, "zmmword", 64);
    /** First operands these only read. */
    private static final Set<String> READS_FIRST_ONLY = Set.of("cmp", "test", "bt", "push", "call", "jmp",
            "ucomiss", "ucomisd", "comiss", "comisd", "vucomiss", "vucomisd", "vcomiss", "vcomisd", "ptest", "vptest",
            "fld", "fild", "fcom", "fcomp", "fadd", "fsub", "fmul", "fdiv", "fldcw", "fldenv", "fxrstor", "ldmxcsr",
            "vldmxcsr");
    private static final Set<String> NO_ACCESS = Set.of("lea", "nop", "prefetch", "prefetchw", "prefetcht0",
            "prefetcht1", "prefetcht2", "prefetchnta", "clflush", "clflushopt", "clwb");

    private MemoryAccesses() {
    }

    /**
     * The accesses of {@code instruction} with the registers as {@code register} gives them (by their 64-bit name,
     * {@code "rax"} .. {@code "r15"}, {@code "fs_base"}, {@code "gs_base"}).
     */
    public static List<Access> of(Instruction instruction, ToLongFunction<String> register) {
        String mnemonic = mnemonic(instruction);
        List<Access> accesses = new ArrayList<>(2);
        if (!NO_ACCESS.contains(mnemonic)) {
            String[] operands = instruction.operands().isEmpty() ? new String[0] : instruction.operands().split(", ");
            for (int i = 0; i < operands.length; i++) {
                Matcher m = MEMORY.matcher(operands[i].trim());
                if (!m.matches()) {
                    continue;
                }
                OptionalLong address = address(m.group(3), m.group(2), instruction, register);
                if (address.isEmpty()) {
                    continue;
                }
                int size = m.group(1) == null ? 1 : SIZES.get(m.group(1));
                boolean first = i == 0;
                boolean reads = !first || !storesOnly(mnemonic);
                boolean writes = first && !READS_FIRST_ONLY.contains(mnemonic);
                accesses.add(new Access(address.getAsLong(), size, reads, writes));
            }
        }
        switch (mnemonic) {
            case "push", "pushfq", "pushf", "call" ->
                    accesses.add(new Access(register.applyAsLong("rsp") - 8, 8, false, true));
            case "pop", "popfq", "popf", "ret" -> accesses.add(new Access(register.applyAsLong("rsp"), 8, true, false));
            case "leave" -> accesses.add(new Access(register.applyAsLong("rbp"), 8, true, false));
            default -> {
            }
        }
        return accesses;
    }

    /** Whether the instruction ends its translated block: nothing after it runs in the same block. */
    public static boolean endsBlock(Instruction instruction) {
        String mnemonic = mnemonic(instruction);
        return mnemonic.startsWith("j") || mnemonic.startsWith("loop") || mnemonic.startsWith("ret")
                || mnemonic.startsWith("call") || mnemonic.startsWith("int") || mnemonic.startsWith("iret")
                || mnemonic.startsWith("sys") || mnemonic.equals("hlt") || mnemonic.equals("ud2");
    }

    /** The mnemonic without the prefixes Capstone writes into it ({@code rep movsb}, {@code lock add}). */
    private static String mnemonic(Instruction instruction) {
        String text = instruction.mnemonic().toLowerCase(Locale.ROOT);
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    private static boolean storesOnly(String mnemonic) {
        return mnemonic.startsWith("mov") || mnemonic.startsWith("vmov") || mnemonic.startsWith("set")
                || mnemonic.startsWith("stos") || mnemonic.startsWith("fst") || mnemonic.startsWith("fist")
                || mnemonic.equals("pop") || mnemonic.equals("stmxcsr") || mnemonic.equals("vstmxcsr")
                || mnemonic.equals("fxsave") || mnemonic.equals("fnstcw") || mnemonic.equals("fnstsw");
    }

    /**
     * {@code [rbx + rcx*8 - 0x10]}'s inside as an address; empty for a register this does not know (a vector index,
     * say), as then nothing can be said about the operand.
     */
    private static OptionalLong address(String expression, String segment, Instruction instruction,
                                        ToLongFunction<String> register) {
        long sum = 0;
        boolean narrow = false;
        for (String term : expression.replace(" - ", " + -").split(" \\+ ")) {
            term = term.trim();
            boolean negative = term.startsWith("-");
            if (negative) {
                term = term.substring(1).trim();
            }
            long value;
            int star = term.indexOf('*');
            String name = star < 0 ? term : term.substring(0, star);
            long scale = star < 0 ? 1 : Long.parseLong(term.substring(star + 1));
            if (Character.isDigit(name.charAt(0))) {
                value = name.startsWith("0x") ? Long.parseUnsignedLong(name.substring(2), 16) : Long.parseLong(name);
            } else if (name.equals("rip")) {
                value = instruction.address() + instruction.length();
            } else {
                GeneralRegisters.Part part = GeneralRegisters.of(name);
                if (part == null || part.bits() < 32) {
                    return OptionalLong.empty();
                }
                narrow |= part.bits() == 32;
                value = register.applyAsLong(part.wide());
            }
            sum += (negative ? -value : value) * scale;
        }
        if (narrow) {
            sum &= 0xffff_ffffL; // an address-size prefix: 32-bit addressing wraps at 4 GiB
        }
        if ("fs".equals(segment)) {
            sum += register.applyAsLong("fs_base");
        } else if ("gs".equals(segment)) {
            sum += register.applyAsLong("gs_base");
        }
        return OptionalLong.of(sum);
    }
}
