package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcalls into libunicorn.so.2, one static wrapper per C function, resolved once. Signatures follow
 * unicorn.h 2.0.1: {@code uc_engine*} and other pointers are ADDRESS, {@code uint64_t} and {@code size_t} are
 * JAVA_LONG, {@code uc_err}, {@code int} and {@code uint32_t} are JAVA_INT.
 *
 * <p>Each wrapper returns the raw {@code uc_err}: only the caller knows the operation's arguments for the
 * exception message. Calls that are short and never call back into Java are linked
 * {@link Linker.Option#critical critical}, which skips the thread-state transition on the register hot path;
 * {@code uc_mem_read}/{@code uc_mem_write} also accept heap segments, so byte arrays need no native copy.
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
    private static final SymbolLookup LIB = lookup();
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);
    private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

    private static final MethodHandle VERSION = link("uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = link("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN =
            link("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CLOSE = link("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MEM_MAP =
            link("uc_mem_map", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MEM_MAP_PTR = link("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    private static final MethodHandle MEM_UNMAP =
            link("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MEM_PROTECT =
            link("uc_mem_protect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MEM_READ = link("uc_mem_read",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), CRITICAL_HEAP);
    private static final MethodHandle MEM_WRITE = link("uc_mem_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG), CRITICAL_HEAP);
    private static final MethodHandle MEM_REGIONS =
            link("uc_mem_regions", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FREE = link("uc_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle REG_READ =
            link("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
    private static final MethodHandle REG_WRITE =
            link("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CRITICAL);
    private static final MethodHandle REG_READ_BATCH = link("uc_reg_read_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    private static final MethodHandle REG_WRITE_BATCH = link("uc_reg_write_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), CRITICAL);
    private static final MethodHandle EMU_START = link("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle EMU_STOP = link("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // uc_hook_add(uc, hh, type, callback, user_data, begin, end, ...) is variadic after `end` (notes:
    // firstVariadicArg(7)); declaring the variadic position without an argument keeps the SysV %al contract.
    private static final MethodHandle HOOK_ADD = link("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(7));
    private static final MethodHandle HOOK_ADD_INSN = link("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG,
                    JAVA_INT),
            Linker.Option.firstVariadicArg(7));
    private static final MethodHandle HOOK_DEL =
            link("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    // uc_ctl(uc, control, ...) is variadic after the control word.
    private static final MethodHandle CTL_RANGE = link("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CTL_NO_ARGS = link("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CONTEXT_ALLOC =
            link("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONTEXT_SAVE =
            link("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONTEXT_RESTORE =
            link("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONTEXT_FREE = link("uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CONTEXT_SIZE = link("uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));

    private UnicornNative() {
    }

    static MemorySegment upcallStub(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    static int version() {
        try {
            return (int) VERSION.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(code);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int open(int arch, int mode, MemorySegment engineOut) {
        try {
            return (int) OPEN.invokeExact(arch, mode, engineOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(MemorySegment uc) {
        try {
            return (int) CLOSE.invokeExact(uc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memMap(MemorySegment uc, long address, long size, int perms) {
        try {
            return (int) MEM_MAP.invokeExact(uc, address, size, perms);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memMapPtr(MemorySegment uc, long address, long size, int perms, MemorySegment host) {
        try {
            return (int) MEM_MAP_PTR.invokeExact(uc, address, size, perms, host);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memUnmap(MemorySegment uc, long address, long size) {
        try {
            return (int) MEM_UNMAP.invokeExact(uc, address, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memProtect(MemorySegment uc, long address, long size, int perms) {
        try {
            return (int) MEM_PROTECT.invokeExact(uc, address, size, perms);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memRead(MemorySegment uc, long address, MemorySegment dst, long size) {
        try {
            return (int) MEM_READ.invokeExact(uc, address, dst, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memWrite(MemorySegment uc, long address, MemorySegment src, long size) {
        try {
            return (int) MEM_WRITE.invokeExact(uc, address, src, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int memRegions(MemorySegment uc, MemorySegment regionsOut, MemorySegment countOut) {
        try {
            return (int) MEM_REGIONS.invokeExact(uc, regionsOut, countOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int free(MemorySegment memory) {
        try {
            return (int) FREE.invokeExact(memory);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int regRead(MemorySegment uc, int regId, MemorySegment value) {
        try {
            return (int) REG_READ.invokeExact(uc, regId, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int regWrite(MemorySegment uc, int regId, MemorySegment value) {
        try {
            return (int) REG_WRITE.invokeExact(uc, regId, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int regReadBatch(MemorySegment uc, MemorySegment ids, MemorySegment pointers, int count) {
        try {
            return (int) REG_READ_BATCH.invokeExact(uc, ids, pointers, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int regWriteBatch(MemorySegment uc, MemorySegment ids, MemorySegment pointers, int count) {
        try {
            return (int) REG_WRITE_BATCH.invokeExact(uc, ids, pointers, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int emuStart(MemorySegment uc, long begin, long until, long timeoutMicros, long count) {
        try {
            return (int) EMU_START.invokeExact(uc, begin, until, timeoutMicros, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int emuStop(MemorySegment uc) {
        try {
            return (int) EMU_STOP.invokeExact(uc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int hookAdd(MemorySegment uc, MemorySegment hookOut, int type, MemorySegment callback, long begin,
            long end) {
        try {
            return (int) HOOK_ADD.invokeExact(uc, hookOut, type, callback, MemorySegment.NULL, begin, end);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** UC_HOOK_INSN on every address for one {@code uc_x86_insn}. */
    static int hookAddInstruction(MemorySegment uc, MemorySegment hookOut, MemorySegment callback, int instruction) {
        try {
            return (int) HOOK_ADD_INSN.invokeExact(uc, hookOut, HookType.INSN, callback, MemorySegment.NULL, 1L, 0L,
                    instruction);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int hookDel(MemorySegment uc, long hook) {
        try {
            return (int) HOOK_DEL.invokeExact(uc, hook);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int removeCache(MemorySegment uc, long begin, long endExclusive) {
        try {
            return (int) CTL_RANGE.invokeExact(uc, UC_CTL_TB_REMOVE_CACHE_WRITE, begin, endExclusive);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int flushTranslationCache(MemorySegment uc) {
        try {
            return (int) CTL_NO_ARGS.invokeExact(uc, UC_CTL_TB_FLUSH_WRITE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int contextAlloc(MemorySegment uc, MemorySegment contextOut) {
        try {
            return (int) CONTEXT_ALLOC.invokeExact(uc, contextOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int contextSave(MemorySegment uc, MemorySegment context) {
        try {
            return (int) CONTEXT_SAVE.invokeExact(uc, context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int contextRestore(MemorySegment uc, MemorySegment context) {
        try {
            return (int) CONTEXT_RESTORE.invokeExact(uc, context);
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

    static int contextFree(MemorySegment context) {
        try {
            return (int) CONTEXT_FREE.invokeExact(context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static SymbolLookup lookup() {
        try {
            return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot load " + LIBRARY + " (install it: apt-get install libunicorn2): "
                    + e.getMessage());
        }
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A downcall throws only what the FFM runtime throws, all unchecked: pass it on unchanged. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a downcall threw a checked exception", t);
    }
}
