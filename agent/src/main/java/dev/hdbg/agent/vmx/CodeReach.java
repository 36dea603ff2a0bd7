package dev.hdbg.agent.vmx;

import dev.hdbg.agent.vmx.decode.GeneralRegisters;
import dev.hdbg.common.disasm.CapstoneException;
import dev.hdbg.common.disasm.Disassembler;
import dev.hdbg.common.disasm.Instruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a condition's machine code can observe and change in vmx-root, decided once when it is installed, so that a
 * hot condition's call copies only that: GUEST_REGS and the shared registers are 29 of the 48 registers a call read
 * (docs/benchmarks.md, "Machine-code conditions, wave 13"). The decision is conservative: code is {@link #ANYTHING}
 * unless every instruction, decoded by Capstone, is one of a few arithmetic and move instructions whose operands are
 * general-purpose registers (RSP excepted), immediates and, as sources, GUEST_REGS slots at {@code [rcx + d]} before
 * anything writes RCX ({@link #analyze}). Such code runs straight to the appended {@code ret}, writes no memory,
 * reads none but those slots, and neither reads nor writes a control, debug or segment-base register.
 */
enum CodeReach {
    /** May read memory (GUEST_REGS among it), system registers, or branch: a call copies everything, as always. */
    ANYTHING,
    /** Reads and writes general-purpose registers and flags (and reads GUEST_REGS slots); writes RCX, RDX or R8. */
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
    private static final Set<String> ARGUMENTS = Set.of("rcx", "rdx", "r8");
    private static final Pattern IMMEDIATE = Pattern.compile("-?(0x[0-9a-f]+|[0-9]+)");
    /** A memory operand at RCX plus a non-negative displacement, without a segment: {@code qword ptr [rcx + 0x38]}. */
    private static final Pattern SLOT_OPERAND =
            Pattern.compile("(byte|word|dword|qword) ptr \\[rcx(?: \\+ (0x[0-9a-f]+|[0-9]+))?\\]");

    /**
     * What code can reach, and which GUEST_REGS slots it reads (bit {@code i}: the {@code i}-th register of GUEST_REGS'
     * order); slots are read only by {@link #REGISTERS} and {@link #REGISTERS_BUT_ARGUMENTS} code, and 0 otherwise.
     */
    record Analysis(CodeReach reach, int guestRegsSlots) {
        static final Analysis ANY = new Analysis(ANYTHING, 0);
    }

    /** What {@code code} (without the appended {@code ret}) can reach; {@link #ANYTHING} when in any doubt. */
    static CodeReach of(byte[] code) {
        return analyze(code).reach();
    }

    /**
     * {@link #of}, with the GUEST_REGS slots the code reads. Beside registers and immediates, an instruction may read
     * memory at {@code [rcx + displacement]} as a source, within one slot of GUEST_REGS, while RCX still holds the
     * structure's address (no instruction before it wrote RCX): that is a conditions' usual read of a guest register,
     * and a call then stores only those slots (docs/benchmarks.md, "After the wave 13 merges").
     */
    static Analysis analyze(byte[] code) {
        List<Instruction> instructions;
        try (Disassembler disassembler = Disassembler.x86_64()) {
            instructions = disassembler.disassemble(code, 0, code.length);
        } catch (LinkageError | CapstoneException e) {
            return Analysis.ANY; // no Capstone: every call copies everything, as before it was used here
        }
        int decoded = instructions.stream().mapToInt(Instruction::length).sum();
        if (decoded != code.length) {
            return Analysis.ANY; // bytes Capstone cannot decode: the CPU decides what they do
        }
        boolean writesArgument = false;
        boolean rcxWritten = false;
        int slots = 0;
        for (Instruction instruction : instructions) {
            int[] read = new int[1];
            List<String> families = registerFamilies(instruction, rcxWritten ? null : read);
            if (families == null) {
                return Analysis.ANY;
            }
            slots |= read[0];
            String mnemonic = instruction.mnemonic();
            List<String> written = READ_ONLY.contains(mnemonic) ? List.of()
                    : mnemonic.equals("xchg") ? families : List.of(families.getFirst());
            writesArgument |= written.stream().anyMatch(ARGUMENTS::contains);
            rcxWritten |= written.contains("rcx");
        }
        return new Analysis(writesArgument ? REGISTERS : REGISTERS_BUT_ARGUMENTS, slots);
    }

    /**
     * The 64-bit registers of {@code instruction}'s operands in order, or null when it is not a register-only
     * instruction of {@link #REGISTER_OPS} (a memory operand, RSP, a prefix in the mnemonic, an implicit operand).
     */
    private static List<String> registerFamilies(Instruction instruction, int[] slotsRead) {
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
        for (int i = 0; i < operands.length; i++) {
            String operand = operands[i];
            String family = family(operand);
            if (family != null) {
                families.add(family);
            } else if (!IMMEDIATE.matcher(operand).matches()) {
                // A source operand in one GUEST_REGS slot, while RCX holds the structure's address (slotsRead given).
                int slot = slotsRead == null || mnemonic.equals("xchg") || (i == 0 && !READ_ONLY.contains(mnemonic))
                        ? -1 : guestRegsSlot(operand);
                if (slot < 0) {
                    return null;
                }
                slotsRead[0] |= 1 << slot;
            }
        }
        if (!READ_ONLY.contains(mnemonic) && (families.isEmpty() || family(operands[0]) == null)) {
            return null; // a written operand that is no register
        }
        return families;
    }

    /** The GUEST_REGS slot {@code operand} (as Capstone prints it) reads, all within it; -1 for any other operand. */
    private static int guestRegsSlot(String operand) {
        Matcher m = SLOT_OPERAND.matcher(operand);
        if (!m.matches()) {
            return -1;
        }
        int size = switch (m.group(1)) {
            case "byte" -> 1;
            case "word" -> 2;
            case "dword" -> 4;
            default -> 8;
        };
        String displacement = m.group(2);
        long offset = displacement == null ? 0
                : displacement.startsWith("0x") ? Long.parseLong(displacement.substring(2), 16)
                : Long.parseLong(displacement);
        boolean withinOneSlot = offset % 8 + size <= 8 && offset + size <= GuestRegs.SIZE;
        return withinOneSlot ? (int) (offset / 8) : -1;
    }

    /** The 64-bit register a general-purpose register's name is part of, RSP's names excepted; null for others. */
    private static String family(String name) {
        GeneralRegisters.Part part = GeneralRegisters.of(name);
        return part == null || part.wide().equals("rsp") ? null : part.wide();
    }
}
