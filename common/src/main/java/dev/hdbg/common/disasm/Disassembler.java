package dev.hdbg.common.disasm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One Capstone handle ({@code csh}) for x86-64 (or x86-32), in Intel syntax unless told otherwise ({@link #syntax}).
 * Not thread-safe: one thread uses a disassembler, and closes it when done.
 */
public final class Disassembler implements AutoCloseable {
    /** The assembly syntaxes HyperDbg's {@code settings syntax} offers, with capstone.h's {@code CS_OPT_SYNTAX_*}. */
    public enum Syntax {
        INTEL(1), ATT(2), MASM(4);

        private final int capstoneValue;

        Syntax(int capstoneValue) {
            this.capstoneValue = capstoneValue;
        }
    }

    private final long handle;
    private boolean closed;

    private Disassembler(long handle) {
        this.handle = handle;
    }

    /**
     * Opens an x86-64 disassembler, {@code cs_open(CS_ARCH_X86, CS_MODE_64)}; Intel syntax is Capstone's default.
     *
     * @throws CapstoneException    when Capstone refuses
     * @throws UnsatisfiedLinkError when libcapstone.so.4 cannot be loaded
     */
    public static Disassembler x86_64() {
        return open(CapstoneNative.CS_MODE_64, "CS_MODE_64");
    }

    /**
     * Opens an x86-32 disassembler, {@code cs_open(CS_ARCH_X86, CS_MODE_32)}: HyperDbg's {@code u2}/{@code u32}.
     *
     * @throws CapstoneException    when Capstone refuses
     * @throws UnsatisfiedLinkError when libcapstone.so.4 cannot be loaded
     */
    public static Disassembler x86_32() {
        return open(CapstoneNative.CS_MODE_32, "CS_MODE_32");
    }

    private static Disassembler open(int mode, String modeName) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(JAVA_LONG);
            int err = CapstoneNative.open(CapstoneNative.CS_ARCH_X86, mode, out);
            if (err != CapstoneNative.CS_ERR_OK) {
                throw new CapstoneException("cs_open(CS_ARCH_X86, " + modeName + ")", err);
            }
            return new Disassembler(out.get(JAVA_LONG, 0));
        }
    }

    /**
     * Shows the instructions in {@code syntax} from now on ({@code cs_option(CS_OPT_SYNTAX)}).
     *
     * @return this disassembler
     * @throws CapstoneException when Capstone refuses (a library built without that syntax)
     */
    public Disassembler syntax(Syntax syntax) {
        if (closed) {
            throw new IllegalStateException("the disassembler is closed");
        }
        int err = CapstoneNative.option(handle, CapstoneNative.CS_OPT_SYNTAX, syntax.capstoneValue);
        if (err != CapstoneNative.CS_ERR_OK) {
            throw new CapstoneException("cs_option(CS_OPT_SYNTAX, " + syntax + ")", err);
        }
        return this;
    }

    /**
     * Decodes up to {@code maxCount} instructions from the start of {@code code}, the first at {@code address}
     * ({@code cs_disasm}). Decoding stops at the first byte sequence that is no valid instruction, such as an
     * instruction cut off by the end of {@code code}: those bytes yield nothing.
     *
     * @return the instructions in order, possibly empty
     * @throws IllegalArgumentException when {@code maxCount} is negative
     * @throws IllegalStateException    after {@link #close()}
     * @throws CapstoneException        when Capstone reports an error (such as running out of memory)
     */
    public List<Instruction> disassemble(byte[] code, long address, int maxCount) {
        if (maxCount < 0) {
            throw new IllegalArgumentException("maxCount must not be negative: " + maxCount);
        }
        if (closed) {
            throw new IllegalStateException("the disassembler is closed");
        }
        if (code.length == 0 || maxCount == 0) {
            return List.of();
        }
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment input = temp.allocate(code.length);
            MemorySegment.copy(code, 0, input, JAVA_BYTE, 0, code.length);
            MemorySegment out = temp.allocate(ADDRESS);
            long count = CapstoneNative.disasm(handle, input, code.length, address, maxCount, out);
            if (count == 0) {
                int err = CapstoneNative.errno(handle);
                if (err != CapstoneNative.CS_ERR_OK) {
                    throw new CapstoneException("cs_disasm(0x" + Long.toHexString(address) + ", " + code.length + " bytes)", err);
                }
                return List.of();
            }
            MemorySegment insns = out.get(ADDRESS, 0).reinterpret(count * CapstoneNative.INSN_STRUCT_SIZE);
            try {
                return read(insns, count);
            } finally {
                CapstoneNative.free(insns, count);
            }
        }
    }

    /**
     * The length in bytes of the instruction {@code code} starts with, or 0 when its first bytes are no valid
     * instruction (or one cut off by the end of {@code code}): HyperDbg's {@code disassemble_len}.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws CapstoneException     when Capstone reports an error (such as running out of memory)
     */
    public int length(byte[] code) {
        List<Instruction> first = disassemble(code, 0, 1);
        return first.isEmpty() ? 0 : first.getFirst().bytes().length;
    }

    private static List<Instruction> read(MemorySegment insns, long count) {
        List<Instruction> result = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            MemorySegment insn = insns.asSlice(i * CapstoneNative.INSN_STRUCT_SIZE, CapstoneNative.INSN_STRUCT_SIZE);
            int size = Short.toUnsignedInt(insn.get(JAVA_SHORT, CapstoneNative.INSN_SIZE));
            byte[] bytes = new byte[Math.min(size, CapstoneNative.INSN_BYTES_LENGTH)];
            MemorySegment.copy(insn, JAVA_BYTE, CapstoneNative.INSN_BYTES, bytes, 0, bytes.length);
            result.add(new Instruction(insn.get(JAVA_LONG, CapstoneNative.INSN_ADDRESS), bytes,
                    insn.getString(CapstoneNative.INSN_MNEMONIC), insn.getString(CapstoneNative.INSN_OP_STR)));
        }
        return List.copyOf(result);
    }

    /** Releases the handle ({@code cs_close}); later calls do nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment in = temp.allocate(JAVA_LONG);
            in.set(JAVA_LONG, 0, handle);
            int err = CapstoneNative.close(in);
            if (err != CapstoneNative.CS_ERR_OK) {
                throw new CapstoneException("cs_close", err);
            }
        }
    }
}
