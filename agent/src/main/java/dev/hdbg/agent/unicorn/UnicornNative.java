package dev.hdbg.agent.unicorn;

import static dev.hdbg.common.ffi.NativeLibrary.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hdbg.common.ffi.NativeLibrary;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The downcalls into libunicorn.so.2: a table of method handles, one per C function, resolved once, and one
 * {@link #call} per C signature: {@code UnicornNative.call(UnicornNative.REG_READ, uc, id, value)}. Signatures follow
 * unicorn.h 2.0.1: {@code uc_engine*} and other pointers are ADDRESS, {@code uint64_t} and {@code size_t} are
 * JAVA_LONG, {@code uc_err}, {@code int} and {@code uint32_t} are JAVA_INT.
 *
 * <p>Each call returns the raw {@code uc_err}: only the caller knows the operation's arguments for the
 * exception message. Calls that are short and never call back into Java are linked
 * {@link Linker.Option#critical critical}, which skips the thread-state transition on the register hot path;
 * {@code uc_mem_read}/{@code uc_mem_write} also accept heap segments, so byte arrays need no native copy, and
 * {@code uc_reg_read}/{@code uc_reg_write} of one register take a heap segment, which needs no session acquired.
 */
@SuppressWarnings("restricted") // linking libunicorn is this class's job; surefire enables native access
final class UnicornNative {
    static final String LIBRARY = "libunicorn.so.2";
    static final int UC_ARCH_X86 = 4;
    static final int UC_MODE_64 = 1 << 3;

    // x86.h uc_x86_insn
    static final int UC_X86_INS_CPUID = 113;
    static final int UC_X86_INS_IN = 218;
    static final int UC_X86_INS_OUT = 500;
    static final int UC_X86_INS_SYSCALL = 699;

    // x86.h uc_x86_reg ids without an X86Reg constant
    static final int UC_X86_REG_XMM0 = 122;
    static final int UC_X86_REG_MSR = 248;
    static final int UC_X86_REG_GDTR = 243;

    // unicorn.h: UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30, with UC_CTL_IO_WRITE = 1
    static final int UC_CTL_TB_REMOVE_CACHE_WRITE = 9 | 2 << 26 | 1 << 30;
    static final int UC_CTL_TB_FLUSH_WRITE = 10 | 1 << 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final NativeLibrary LIB = NativeLibrary.load(LIBRARY, "libunicorn2");
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

    private static final MethodHandle VERSION = link("uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = link("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle OPEN =
            link("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle CLOSE = link("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MEM_MAP =
            link("uc_mem_map", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle MEM_MAP_PTR = link("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    static final MethodHandle MEM_UNMAP =
            link("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle MEM_PROTECT =
            link("uc_mem_protect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle MEM_READ = link("uc_mem_read",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), CRITICAL_HEAP);
    static final MethodHandle MEM_WRITE = link("uc_mem_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), CRITICAL_HEAP);
    static final MethodHandle MEM_REGIONS =
            link("uc_mem_regions", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle FREE = link("uc_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle REG_READ =
            link("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL_HEAP);
    static final MethodHandle REG_WRITE =
            link("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL_HEAP);
    static final MethodHandle REG_READ_BATCH = link("uc_reg_read_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    static final MethodHandle REG_WRITE_BATCH = link("uc_reg_write_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    static final MethodHandle EMU_START = link("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle EMU_STOP = link("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // uc_hook_add(uc, hh, type, callback, user_data, begin, end, ...) is variadic after `end` (notes:
    // firstVariadicArg(7)); declaring the variadic position without an argument keeps the SysV %al contract.
    static final MethodHandle HOOK_ADD = link("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(7));
    static final MethodHandle HOOK_ADD_INSN = link("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                    JAVA_INT),
            Linker.Option.firstVariadicArg(7));
    static final MethodHandle HOOK_DEL =
            link("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    // uc_ctl(uc, control, ...) is variadic after the control word.
    static final MethodHandle CTL_RANGE = link("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    static final MethodHandle CTL_NO_ARGS = link("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    static final MethodHandle CONTEXT_ALLOC =
            link("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_SAVE =
            link("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_RESTORE =
            link("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_FREE = link("uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CONTEXT_SIZE = link("uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));

    private UnicornNative() {
    }

    static MemorySegment upcallStub(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    /** {@code uc_version(NULL, NULL)}: major, minor and patch packed in one int. */
    static int version() {
        return call(VERSION, MemorySegment.NULL, MemorySegment.NULL);
    }

    static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(code);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long contextSize(MemorySegment uc) {
        try {
            return (long) CONTEXT_SIZE.invokeExact(uc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- one call per C signature, the handle its first argument: invokeExact declares Throwable, so each call
    // needs a catch, and here there is one per shape instead of one per function. Once the JIT inlines a call into
    // its caller, the handle is the caller's constant again and the downcall is as direct as a hand-written
    // wrapper's; nothing is captured or allocated (UnicornRegisterTest counts the bytes).

    /** OPEN. */
    static int call(MethodHandle downcall, int a0, int a1, MemorySegment a2) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** CLOSE, FREE, EMU_STOP, CONTEXT_FREE. */
    static int call(MethodHandle downcall, MemorySegment a0) {
        try {
            return (int) downcall.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** MEM_MAP, MEM_PROTECT. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1, long a2, int a3) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** MEM_MAP_PTR. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1, long a2, int a3, MemorySegment a4) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** MEM_UNMAP. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1, long a2) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** MEM_READ, MEM_WRITE. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1, MemorySegment a2, long a3) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** MEM_REGIONS. */
    static int call(MethodHandle downcall, MemorySegment a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** REG_READ, REG_WRITE. */
    static int call(MethodHandle downcall, MemorySegment a0, int a1, MemorySegment a2) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** REG_READ_BATCH, REG_WRITE_BATCH. */
    static int call(MethodHandle downcall, MemorySegment a0, MemorySegment a1, MemorySegment a2, int a3) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** EMU_START. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1, long a2, long a3, long a4) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** HOOK_ADD. */
    static int call(MethodHandle downcall, MemorySegment a0, MemorySegment a1, int a2, MemorySegment a3,
                    MemorySegment a4, long a5, long a6) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** HOOK_ADD_INSN. */
    static int call(MethodHandle downcall, MemorySegment a0, MemorySegment a1, int a2, MemorySegment a3,
                    MemorySegment a4, long a5, long a6, int a7) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3, a4, a5, a6, a7);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** HOOK_DEL. */
    static int call(MethodHandle downcall, MemorySegment a0, long a1) {
        try {
            return (int) downcall.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** CTL_RANGE. */
    static int call(MethodHandle downcall, MemorySegment a0, int a1, long a2, long a3) {
        try {
            return (int) downcall.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** CTL_NO_ARGS. */
    static int call(MethodHandle downcall, MemorySegment a0, int a1) {
        try {
            return (int) downcall.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** VERSION, CONTEXT_ALLOC, CONTEXT_SAVE, CONTEXT_RESTORE. */
    static int call(MethodHandle downcall, MemorySegment a0, MemorySegment a1) {
        try {
            return (int) downcall.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The address of one of the library's exported symbols, zero-length. */
    static Optional<MemorySegment> symbol(String name) {
        return LIB.find(name);
    }

    private static MethodHandle link(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        return LIB.downcall(function, descriptor, options);
    }
}
