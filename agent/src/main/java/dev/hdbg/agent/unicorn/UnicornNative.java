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
 * The downcall handles into libunicorn.so.2, resolved once. Signatures follow unicorn.h
 * (2.0.1): {@code uc_engine*} and pointers are ADDRESS, {@code uint64_t} and {@code size_t} are
 * JAVA_LONG, {@code uc_err}, {@code int} and {@code uint32_t} are JAVA_INT.
 */
final class UnicornNative {
    static final String LIBRARY = "libunicorn.so.2";
    static final int UC_ARCH_X86 = 4;
    static final int UC_MODE_64 = 8;
    /** UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2) and UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0). */
    static final int CTL_TB_REMOVE_CACHE = 1207959561;
    static final int CTL_TB_FLUSH = 1073741834;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = lookup();

    static final MethodHandle VERSION = handle("uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle OPEN = handle("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle CLOSE = handle("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle STRERROR = handle("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    static final MethodHandle MEM_MAP = handle("uc_mem_map", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle MEM_MAP_PTR = handle("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    static final MethodHandle MEM_UNMAP = handle("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle MEM_PROTECT = handle("uc_mem_protect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    static final MethodHandle MEM_READ = handle("uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle MEM_WRITE = handle("uc_mem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle MEM_REGIONS = handle("uc_mem_regions", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle FREE = handle("uc_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle REG_READ = handle("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle REG_WRITE = handle("uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle REG_READ_BATCH = handle("uc_reg_read_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle REG_WRITE_BATCH = handle("uc_reg_write_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle EMU_START = handle("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    static final MethodHandle EMU_STOP = handle("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    /** uc_hook_add is variadic: an instruction id follows {@code end} for UC_HOOK_INSN (notes: firstVariadicArg(7)). */
    static final MethodHandle HOOK_ADD = handle("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
            Linker.Option.firstVariadicArg(7));
    static final MethodHandle HOOK_DEL = handle("uc_hook_del", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    /** uc_ctl is variadic after the control word. */
    static final MethodHandle CTL_2 = handle("uc_ctl",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    static final MethodHandle CTL_0 = handle("uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG),
            Linker.Option.firstVariadicArg(2));
    static final MethodHandle CONTEXT_ALLOC = handle("uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_SAVE = handle("uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_RESTORE = handle("uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    static final MethodHandle CONTEXT_FREE = handle("uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private UnicornNative() {
    }

    private static SymbolLookup lookup() {
        try {
            return SymbolLookup.libraryLookup(LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot load " + LIBRARY + " (install it: apt-get install libunicorn2): "
                    + e.getMessage());
        }
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError(LIBRARY + " has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    static String strerror(int code) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(code);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "uc_err " + code;
        }
    }
}
