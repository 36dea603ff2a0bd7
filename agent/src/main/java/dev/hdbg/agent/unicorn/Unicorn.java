package dev.hdbg.agent.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Unicorn x86-64 engine, through the Foreign Function & Memory API. A thin, typed binding:
 * no debugger logic. Every {@code uc_err} other than OK becomes a {@link UnicornException}
 * carrying {@code uc_strerror}'s text.
 *
 * <p>Threads: an instance is used by one thread at a time — the one that calls
 * {@link #emuStart}, on which the hooks run too — except {@link #emuStop}, which any thread may
 * call while that thread emulates. Close it after the emulating thread is done.
 */
public final class Unicorn implements AutoCloseable {
    private static final ValueLayout.OfLong U64 = JAVA_LONG;

    private final MemorySegment uc;
    private final Arena arena = Arena.ofShared();
    /** 16 bytes: a register, an XMM register, or a uc_x86_msr {uint32 rid; uint64 value}. */
    private final MemorySegment scratch;
    private final MemorySegment hookHandle;
    private final Map<X86Reg[], Batch> batches = new IdentityHashMap<>();
    private final X86Reg[][] recentKeys = new X86Reg[8][];
    private final Batch[] recentBatches = new Batch[8];
    private int recentCount;
    private final List<Object> keepAlive = new ArrayList<>();
    private Throwable callbackFailure;
    private volatile boolean closed;

    private Unicorn(MemorySegment uc) {
        this.uc = uc;
        this.scratch = arena.allocate(16, 8);
        this.hookHandle = arena.allocate(JAVA_LONG);
    }

    /**
     * Opens an x86-64 engine ({@code uc_open(UC_ARCH_X86, UC_MODE_64)}).
     *
     * @throws UnicornException when Unicorn refuses
     * @throws UnsatisfiedLinkError when libunicorn.so.2 is not installed
     */
    public static Unicorn openX86_64() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(ADDRESS);
            check((int) UnicornNative.OPEN.invokeExact(UnicornNative.UC_ARCH_X86, UnicornNative.UC_MODE_64, out), "uc_open");
            return new Unicorn(out.get(ADDRESS, 0));
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The library's version, such as {@code 2.0.1} (uc_version packs major, minor, patch in its top bytes). */
    public static String version() {
        try {
            int v = (int) UnicornNative.VERSION.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
            return (v >>> 24) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void check(int err, String operation) {
        if (err != 0) {
            throw failure(err, operation);
        }
    }

    /** Like {@link #check(int, String)}, formatting the operation only when it failed (hot paths). */
    static void check(int err, String operation, long argument) {
        if (err != 0) {
            throw failure(err, operation + "(" + hex(argument) + ")");
        }
    }

    static void check(int err, String operation, long first, long second) {
        if (err != 0) {
            throw failure(err, operation + "(" + hex(first) + ", " + hex(second) + ")");
        }
    }

    private static UnicornException failure(int err, String operation) {
        UcError error = UcError.of(err);
        String text = UnicornNative.strerror(err);
        return new UnicornException(operation, text.contains(error.cName()) ? text : text + " (" + error.cName() + ")", error);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    // ---- memory ---------------------------------------------------------------------------

    /** Maps zeroed memory Unicorn allocates. Address and size must be 4 KiB aligned. */
    public void memMap(long address, long size, int perms) {
        try {
            check((int) UnicornNative.MEM_MAP.invokeExact(uc, address, size, perms),
                    "uc_mem_map", address, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Maps memory the caller owns (and keeps alive while mapped): page-aligned, whole pages. */
    public void memMapPtr(long address, MemorySegment hostMemory, int perms) {
        try {
            check((int) UnicornNative.MEM_MAP_PTR.invokeExact(uc, address, hostMemory.byteSize(), perms, hostMemory),
                    "uc_mem_map_ptr", address, hostMemory.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memUnmap(long address, long size) {
        try {
            check((int) UnicornNative.MEM_UNMAP.invokeExact(uc, address, size), "uc_mem_unmap", address, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memProtect(long address, long size, int perms) {
        try {
            check((int) UnicornNative.MEM_PROTECT.invokeExact(uc, address, size, perms),
                    "uc_mem_protect", address, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads {@code dst.byteSize()} bytes. */
    public void memRead(long address, MemorySegment dst) {
        try {
            check((int) UnicornNative.MEM_READ.invokeExact(uc, address, dst, dst.byteSize()),
                    "uc_mem_read", address, dst.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public byte[] memRead(long address, int length) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment buffer = temp.allocate(Math.max(1, length));
            memRead(address, buffer.asSlice(0, length));
            return buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    public void memWrite(long address, MemorySegment src) {
        try {
            check((int) UnicornNative.MEM_WRITE.invokeExact(uc, address, src, src.byteSize()),
                    "uc_mem_write", address, src.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void memWrite(long address, byte[] data) {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment buffer = temp.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
            memWrite(address, buffer.asSlice(0, data.length));
        }
    }

    public List<MemoryRegion> memRegions() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment array = temp.allocate(ADDRESS);
            MemorySegment count = temp.allocate(JAVA_INT);
            check((int) UnicornNative.MEM_REGIONS.invokeExact(uc, array, count), "uc_mem_regions");
            int n = count.get(JAVA_INT, 0);
            MemorySegment regions = array.get(ADDRESS, 0).reinterpret(24L * n);
            List<MemoryRegion> result = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                result.add(new MemoryRegion(regions.get(U64, 24L * i), regions.get(U64, 24L * i + 8),
                        regions.get(JAVA_INT, 24L * i + 16)));
            }
            int ignored = (int) UnicornNative.FREE.invokeExact(array.get(ADDRESS, 0));
            return result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- registers -------------------------------------------------------------------------

    public long regRead(X86Reg reg) {
        try {
            scratch.set(U64, 0, 0);
            check((int) UnicornNative.REG_READ.invokeExact(uc, reg.ucId(), scratch), "uc_reg_read", reg.ucId());
            return scratch.get(U64, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void regWrite(X86Reg reg, long value) {
        try {
            scratch.set(U64, 0, value);
            check((int) UnicornNative.REG_WRITE.invokeExact(uc, reg.ucId(), scratch), "uc_reg_write", reg.ucId());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Native buffers for one register list, kept per list so hot paths allocate nothing. */
    private final class Batch {
        final MemorySegment ids;
        final MemorySegment values;
        final MemorySegment pointers;
        final int count;

        Batch(X86Reg[] regs) {
            count = regs.length;
            ids = arena.allocate(JAVA_INT, count);
            values = arena.allocate(JAVA_LONG, count);
            pointers = arena.allocate(ADDRESS, count);
            for (int i = 0; i < count; i++) {
                ids.setAtIndex(JAVA_INT, i, regs[i].ucId());
                pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
            }
        }
    }

    private Batch batch(X86Reg[] regs) {
        // A few register lists are used over and over: a linear identity scan beats hashing.
        for (int i = 0; i < recentCount; i++) {
            if (recentKeys[i] == regs) {
                return recentBatches[i];
            }
        }
        Batch batch = batches.computeIfAbsent(regs, Batch::new);
        if (recentCount < recentKeys.length) {
            recentKeys[recentCount] = regs;
            recentBatches[recentCount++] = batch;
        }
        return batch;
    }

    /**
     * Reads several registers in one call into {@code out}. Pass the same array instance on hot
     * paths: its native buffers are kept and nothing is allocated again.
     */
    public void regReadBatch(X86Reg[] regs, long[] out) {
        Batch b = batch(regs);
        try {
            check((int) UnicornNative.REG_READ_BATCH.invokeExact(uc, b.ids, b.pointers, b.count), "uc_reg_read_batch");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        MemorySegment.copy(b.values, JAVA_LONG, 0, out, 0, b.count);
    }

    /** Writes several registers in one call; the same caching as {@link #regReadBatch}. */
    public void regWriteBatch(X86Reg[] regs, long[] values) {
        Batch b = batch(regs);
        MemorySegment.copy(values, 0, b.values, JAVA_LONG, 0, b.count);
        try {
            check((int) UnicornNative.REG_WRITE_BATCH.invokeExact(uc, b.ids, b.pointers, b.count), "uc_reg_write_batch");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** XMM0..XMM15 as 16 little-endian bytes. */
    public byte[] regReadXmm(int index) {
        checkXmm(index);
        try {
            check((int) UnicornNative.REG_READ.invokeExact(uc, X86Reg.XMM0_ID + index, scratch), "uc_reg_read(xmm)", index);
            return scratch.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void regWriteXmm(int index, byte[] sixteenBytes) {
        checkXmm(index);
        if (sixteenBytes.length != 16) {
            throw new IllegalArgumentException("an XMM register holds 16 bytes, not " + sixteenBytes.length);
        }
        MemorySegment.copy(sixteenBytes, 0, scratch, ValueLayout.JAVA_BYTE, 0, 16);
        try {
            check((int) UnicornNative.REG_WRITE.invokeExact(uc, X86Reg.XMM0_ID + index, scratch), "uc_reg_write(xmm)", index);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void checkXmm(int index) {
        if (index < 0 || index > 15) {
            throw new IllegalArgumentException("xmm" + index + " does not exist (xmm0 .. xmm15)");
        }
    }

    public long msrRead(int msr) {
        try {
            scratch.set(JAVA_INT, 0, msr);
            scratch.set(U64, 8, 0);
            check((int) UnicornNative.REG_READ.invokeExact(uc, X86Reg.MSR_ID, scratch), "uc_reg_read(msr)", msr & 0xffffffffL);
            return scratch.get(U64, 8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void msrWrite(int msr, long value) {
        try {
            scratch.set(JAVA_INT, 0, msr);
            scratch.set(U64, 8, value);
            check((int) UnicornNative.REG_WRITE.invokeExact(uc, X86Reg.MSR_ID, scratch), "uc_reg_write(msr)", msr & 0xffffffffL);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- execution -------------------------------------------------------------------------

    /**
     * Emulates from {@code begin} until {@code until} is reached, {@code timeoutMicros} passes (0:
     * none) or {@code count} instructions ran (0: no limit), or something stops it.
     *
     * @throws UnicornException with Unicorn's error when emulation fails (an unmapped fetch, an
     *                          invalid instruction ...), or with the callback's exception as cause
     *                          when a hook callback threw
     */
    public void emuStart(long begin, long until, long timeoutMicros, long count) {
        int err;
        try {
            err = (int) UnicornNative.EMU_START.invokeExact(uc, begin, until, timeoutMicros, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        Throwable failure = callbackFailure;
        if (failure != null) {
            callbackFailure = null;
            throw new UnicornException("uc_emu_start(" + hex(begin) + ")", "a hook callback failed: " + failure,
                    UcError.EXCEPTION, failure);
        }
        check(err, "uc_emu_start", begin);
    }

    /** Stops emulation; safe from any thread while another emulates. Does nothing once closed. */
    public void emuStop() {
        if (closed) {
            return;
        }
        try {
            int ignored = (int) UnicornNative.EMU_STOP.invokeExact(uc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void callbackFailed(Throwable t) {
        if (callbackFailure == null) {
            callbackFailure = t;
        }
        emuStop();
    }

    // ---- hooks -----------------------------------------------------------------------------

    private Hook addHook(int type, MemorySegment stub, long begin, long end, int instruction, Object callback, String what) {
        try {
            check((int) UnicornNative.HOOK_ADD.invokeExact(uc, hookHandle, type, stub, MemorySegment.NULL, begin, end, instruction),
                    "uc_hook_add " + what);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        long handle = hookHandle.get(JAVA_LONG, 0);
        keepAlive.add(callback);
        return new RegisteredHook(handle, callback);
    }

    private final class RegisteredHook implements Hook {
        private final long handle;
        private final Object callback;
        private boolean removed;

        RegisteredHook(long handle, Object callback) {
            this.handle = handle;
            this.callback = callback;
        }

        @Override
        public void close() {
            if (!removed && !closed) {
                removed = true;
                try {
                    check((int) UnicornNative.HOOK_DEL.invokeExact(uc, handle), "uc_hook_del");
                } catch (Throwable t) {
                    throw rethrow(t);
                }
                keepAlive.remove(callback);
            }
        }
    }

    /** UC_HOOK_CODE on [begin, end] (inclusive); begin > end means every address. */
    public Hook hookCode(long begin, long end, Callbacks.CodeHook cb) {
        return addHook(HookType.CODE, Trampolines.code(this, cb, arena), begin, end, 0, cb, "code " + hex(begin));
    }

    public Hook hookBlock(long begin, long end, Callbacks.CodeHook cb) {
        return addHook(HookType.BLOCK, Trampolines.code(this, cb, arena), begin, end, 0, cb, "block " + hex(begin));
    }

    /** UC_HOOK_MEM_READ / WRITE / FETCH (any combination in {@code typeMask}) on [begin, end]. */
    public Hook hookMemory(int typeMask, long begin, long end, Callbacks.MemoryHook cb) {
        return addHook(typeMask, Trampolines.memory(this, cb, arena), begin, end, 0, cb, "memory");
    }

    /** UC_HOOK_MEM_*_UNMAPPED and *_PROT: the callback may map memory and return true. */
    public Hook hookInvalidMemory(int typeMask, Callbacks.MemoryEventHook cb) {
        return addHook(typeMask, Trampolines.memoryEvent(this, cb, arena), 1, 0, 0, cb, "invalid memory");
    }

    public Hook hookInterrupt(Callbacks.InterruptHook cb) {
        return addHook(HookType.INTR, Trampolines.interrupt(this, cb, arena), 1, 0, 0, cb, "interrupt");
    }

    public Hook hookInvalidInstruction(Callbacks.InvalidInstructionHook cb) {
        return addHook(HookType.INSN_INVALID, Trampolines.invalidInstruction(this, cb, arena), 1, 0, 0, cb, "invalid instruction");
    }

    private static final int INS_IN = 218;
    private static final int INS_OUT = 500;
    private static final int INS_SYSCALL = 699;
    private static final int INS_CPUID = 113;

    public Hook hookCpuid(Callbacks.CpuidHook cb) {
        return addHook(HookType.INSN, Trampolines.cpuid(this, cb, arena), 1, 0, INS_CPUID, cb, "cpuid");
    }

    public Hook hookIn(Callbacks.InHook cb) {
        return addHook(HookType.INSN, Trampolines.in(this, cb, arena), 1, 0, INS_IN, cb, "in");
    }

    public Hook hookOut(Callbacks.OutHook cb) {
        return addHook(HookType.INSN, Trampolines.out(this, cb, arena), 1, 0, INS_OUT, cb, "out");
    }

    public Hook hookSyscall(Callbacks.SyscallHook cb) {
        return addHook(HookType.INSN, Trampolines.syscall(this, cb, arena), 1, 0, INS_SYSCALL, cb, "syscall");
    }

    public void hookDel(Hook hook) {
        hook.close();
    }

    // ---- translation cache and context ------------------------------------------------------

    /** Drops translated code for [begin, end), so the next execution sees new bytes or hooks. */
    public void removeCache(long begin, long end) {
        try {
            check((int) UnicornNative.CTL_2.invokeExact(uc, UnicornNative.CTL_TB_REMOVE_CACHE, begin, end),
                    "uc_ctl_remove_cache", begin, end);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void flushTranslationCache() {
        try {
            check((int) UnicornNative.CTL_0.invokeExact(uc, UnicornNative.CTL_TB_FLUSH, 0L), "uc_ctl_flush_tb");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A saved CPU context; close it to free it. */
    public final class Context implements AutoCloseable {
        private final MemorySegment context;
        private boolean freed;

        private Context(MemorySegment context) {
            this.context = context;
        }

        @Override
        public void close() {
            if (!freed) {
                freed = true;
                try {
                    int ignored = (int) UnicornNative.CONTEXT_FREE.invokeExact(context);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            }
        }
    }

    public Context contextSave() {
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(ADDRESS);
            check((int) UnicornNative.CONTEXT_ALLOC.invokeExact(uc, out), "uc_context_alloc");
            MemorySegment context = out.get(ADDRESS, 0);
            check((int) UnicornNative.CONTEXT_SAVE.invokeExact(uc, context), "uc_context_save");
            return new Context(context);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void contextRestore(Context context) {
        try {
            check((int) UnicornNative.CONTEXT_RESTORE.invokeExact(uc, context.context), "uc_context_restore");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes the engine and frees the hooks' stubs; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) UnicornNative.CLOSE.invokeExact(uc);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        arena.close();
    }
}
