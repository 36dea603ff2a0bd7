package dev.hdbg.agent.vmx;

import dev.hdbg.common.disasm.CapstoneException;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a condition's machine code can observe and change in vmx-root, decided once when it is installed, so that a
 * hot condition's call copies only that: GUEST_REGS and the shared registers are 29 of the 48 registers a call read
 * (docs/benchmarks.md, "Machine-code conditions, wave 13"). The decision is conservative: code is {@link #ANYTHING}
 * unless every instruction, decoded by Capstone, is one of a few arithmetic and move instructions whose operands are
 * general-purpose registers (RSP excepted) and immediates. Such code runs straight to the appended {@code ret},
 * reads no memory (so not GUEST_REGS) and neither reads nor writes a control, debug or segment-base register.
 */
enum CodeReach {
    /** May read memory (GUEST_REGS among it), system registers, or branch: a call copies everything, as always. */
    ANYTHING,
    /** Reads and writes general-purpose registers and flags alone, RCX, RDX or R8 among those it writes. */
    REGISTERS,
    /** As {@link #REGISTERS}, but of the call's registers it may write RAX alone. */
    REGISTERS_BUT_ARGUMENTS;

    /** Instructions whose only implicit operand is RFLAGS; the first operand is written unless {@link #READ_ONLY}. */
    private static final Set<String> REGISTER_OPS = Set.of("mov", "movabs", "movzx", "movsx", "movsxd", "add", "sub",
            "and", "or", "xor", "adc", "sbb", "cmp", "test", "inc", "dec", "neg", "not", "shl", "shr", "sar", "rol",
            "ror", "bswap", "xchg", "nop", "sete", "setne", "setb", "setae", "setbe", "seta", "setl", "setge",
            "setle", "setg", "sets", "setns", "cmove", "cmovne", "cmovb", "cmovae", "cmovbe", "cmova", "cmovl",
            "cmovge", "cmovle", "cmovg", "cmovs", "cmovns", "imul");
    private static final Set<String> READ_ONLY = Set.of("cmp", "test", "nop");
    /** Every general-purpose register name Capstone prints but RSP's, with the 64-bit register it is part of. */
    private static final Map<String, String> FAMILY = families();
    private static final Set<String> ARGUMENTS = Set.of("rcx", "rdx", "r8");
    private static final Pattern IMMEDIATE = Pattern.compile("-?(0x[0-9a-f]+|[0-9]+)");

    /** What {@code code} (without the appended {@code ret}) can reach; {@link #ANYTHING} when in any doubt. */
    static CodeReach of(byte[] code) {
        List<Instruction> instructions;
        try (Disassembler disassembler = Disassembler.x86_64()) {
            instructions = disassembler.disassemble(code, 0, code.length);
        } catch (LinkageError | CapstoneException e) {
            return ANYTHING; // no Capstone: every call copies everything, as before it was used here
        }
        int decoded = instructions.stream().mapToInt(Instruction::length).sum();
        if (decoded != code.length) {
            return ANYTHING; // bytes Capstone cannot decode: the CPU decides what they do
        }
        boolean writesArgument = false;
        for (Instruction instruction : instructions) {
            List<String> families = registerFamilies(instruction);
            if (families == null) {
                return ANYTHING;
            }
            String mnemonic = instruction.mnemonic();
            List<String> written = READ_ONLY.contains(mnemonic) ? List.of()
                    : mnemonic.equals("xchg") ? families : List.of(families.getFirst());
            writesArgument |= written.stream().anyMatch(ARGUMENTS::contains);
        }
        return writesArgument ? REGISTERS : REGISTERS_BUT_ARGUMENTS;
    }

    /**
     * The 64-bit registers of {@code instruction}'s operands in order, or null when it is not a register-only
     * instruction of {@link #REGISTER_OPS} (a memory operand, RSP, a prefix in the mnemonic, an implicit operand).
     */
    private static List<String> registerFamilies(Instruction instruction) {
        String mnemonic = instruction.mnemonic();
        if (!REGISTER_OPS.contains(mnemonic)) {
            return null;
        }
        String[] operands = instruction.operands().isEmpty() ? new String[0] : instruction.operands().split(", ");
        boolean implicitOperands = mnemonic.equals("imul") ? operands.length < 2 : operands.length == 0;
        if (implicitOperands && !mnemonic.equals("nop")) {
            return null; // one-operand imul writes RDX:RAX
        }
        List<String> families = new ArrayList<>();
        for (String operand : operands) {
            String family = FAMILY.get(operand);
            if (family != null) {
                families.add(family);
            } else if (!IMMEDIATE.matcher(operand).matches()) {
                return null;
            }
        }
        if (!READ_ONLY.contains(mnemonic) && (families.isEmpty() || FAMILY.get(operands[0]) == null)) {
            return null; // a written operand that is no register
        }
        return families;
    }

    private static Map<String, String> families() {
        Map<String, String> names = new HashMap<>();
        String[][] legacy = {{"rax", "eax", "ax", "al", "ah"}, {"rbx", "ebx", "bx", "bl", "bh"},
                {"rcx", "ecx", "cx", "cl", "ch"}, {"rdx", "edx", "dx", "dl", "dh"}, {"rsi", "esi", "si", "sil"},
                {"rdi", "edi", "di", "dil"}, {"rbp", "ebp", "bp", "bpl"}};
        for (String[] family : legacy) {
            for (String name : family) {
                names.put(name, family[0]);
            }
        }
        for (int i = 8; i <= 15; i++) {
            for (String suffix : new String[] {"", "d", "w", "b"}) {
                names.put("r" + i + suffix, "r" + i);
            }
        }
        return Map.copyOf(names);
    }
}
