package dev.hdbg.common.disasm;

import static dev.hdbg.common.ffi.NativeLibrary.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hdbg.common.ffi.NativeLibrary;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The downcalls into libcapstone.so.4, one static wrapper per C function, resolved once. Signatures follow
 * capstone.h 4.0: {@code csh} and {@code size_t} are JAVA_LONG, {@code cs_err}, {@code cs_arch} and
 * {@code cs_mode} are JAVA_INT, pointers are ADDRESS. Each wrapper returns the raw result; {@link Disassembler}
 * turns a {@code cs_err} into a {@link CapstoneException}, because only it knows the operation.
 */
@SuppressWarnings("restricted") // linking libcapstone is this class's job; surefire enables native access
final class CapstoneNative {
    static final String LIBRARY = "libcapstone.so.4";
    // capstone.h 4.0: enum cs_arch, enum cs_mode
    static final int CS_ARCH_X86 = 3;
    static final int CS_MODE_32 = 1 << 2;
    static final int CS_MODE_64 = 1 << 3;
    static final int CS_ERR_OK = 0;

    // struct cs_insn in capstone.h 4.0, natural alignment (checked with offsetof on x86-64):
    // unsigned int id; uint64_t address; uint16_t size; uint8_t bytes[16]; char mnemonic[32];
    // char op_str[160]; cs_detail *detail;
    static final long INSN_ADDRESS = 8;
    static final long INSN_SIZE = 16;
    static final long INSN_BYTES = 18;
    static final int INSN_BYTES_LENGTH = 16;
    static final long INSN_MNEMONIC = 34;
    static final long INSN_OP_STR = 66;
    static final long INSN_STRUCT_SIZE = 240;

    private static final NativeLibrary LIB = NativeLibrary.load(LIBRARY, "libcapstone4");

    private static final MethodHandle OPEN = link("cs_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = link("cs_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle DISASM = link("cs_disasm",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS));
    private static final MethodHandle FREE = link("cs_free", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
    private static final MethodHandle ERRNO = link("cs_errno", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle STRERROR = link("cs_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle OPTION = link("cs_option",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));

    /** capstone.h's {@code CS_OPT_SYNTAX}, the {@code cs_opt_type} that picks the assembly syntax. */
    static final int CS_OPT_SYNTAX = 1;

    private CapstoneNative() {
    }

    /** {@code cs_err cs_open(cs_arch, cs_mode, csh *handle)}. */
    static int open(int arch, int mode, MemorySegment handleOut) {
        try {
            return (int) OPEN.invokeExact(arch, mode, handleOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cs_err cs_close(csh *handle)}: takes the handle's address and zeroes it. */
    static int close(MemorySegment handleIn) {
        try {
            return (int) CLOSE.invokeExact(handleIn);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code size_t cs_disasm(csh, const uint8_t *code, size_t size, uint64_t address, size_t count, cs_insn **insn)}. */
    static long disasm(long handle, MemorySegment code, long size, long address, long count, MemorySegment insnOut) {
        try {
            return (long) DISASM.invokeExact(handle, code, size, address, count, insnOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code void cs_free(cs_insn *insn, size_t count)}. */
    static void free(MemorySegment insn, long count) {
        try {
            FREE.invokeExact(insn, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cs_err cs_option(csh, cs_opt_type, size_t value)}. */
    static int option(long handle, int type, long value) {
        try {
            return (int) OPTION.invokeExact(handle, type, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code cs_err cs_errno(csh)}: the last error of the handle. */
    static int errno(long handle) {
        try {
            return (int) ERRNO.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code const char *cs_strerror(cs_err)}. */
    static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(code);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MethodHandle link(String function, FunctionDescriptor descriptor) {
        return LIB.downcall(function, descriptor);
    }
}
