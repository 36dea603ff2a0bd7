package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.UnicornException.hex;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One Unicorn x86-64 engine ({@code uc_engine}). See the package documentation for the thread rule (only
 * {@link #emuStop()} and, afterwards, {@link #close()} may come from another thread), for the translated code the
 * binding drops, and for what a code hook's instruction does.
 *
 * <p>This class is the binding's one public face, and over 400 lines for that reason: each of its methods is a
 * contract (arguments, errors, Unicorn's measured behaviour) stated once and kept in a line or two of delegation to
 * the part that does the work: {@link MemoryAccess}, {@link Registers}, {@link HookTable}, {@link TranslationCache},
 * {@link SavedContexts}.
 */
public final class Unicorn implements AutoCloseable {
    private final MemorySegment uc;
    private final Arena arena = Arena.ofShared();
    private final Registers registers;
    private final TranslationCache cache;
    private final MemoryAccess memory;
    private final HookTable hooks;
    private final CallbackFailure failure;
    private final SavedContexts contexts;
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private int emulationDepth;
    /** The thread in {@link #emuStart} while {@link #emulationDepth} is above zero, else null: its hooks' stops are theirs. */
    private Thread runner;
    /** The stop word's low half, the mark of a stop made in a hook ({@link StopsBetweenBlocks}); null before known. */
    private MemorySegment stopInHookWord;
    private boolean noStopInHookWord;
    /** The runs' budget of blocks, once {@link #limitBlocks} first limited one; null before. */
    private BlockBudget budget;
    /** Whether the budget's code could not be had: runs are not limited by blocks then. */
    private boolean budgetRefused;
    private long removalsSkipped;
    private long removalsMade;

    private Unicorn(MemorySegment uc) {
        this.uc = uc;
        this.registers = new Registers(uc, arena);
        this.cache = new TranslationCache(this, uc, registers);
        this.memory = new MemoryAccess(uc, cache);
        this.hooks = new HookTable(this, uc, cache, arena);
        this.failure = new CallbackFailure(uc);
        this.contexts = new SavedContexts(uc);
    }

    /**
     * Opens an x86-64 engine, {@code uc_open(UC_ARCH_X86, UC_MODE_64)}: 64-bit mode, CPL 0, paging off. The first
     * call in a process decides the {@link StoreFastPath} and the {@link SoftTlbSize} (patching the library unless
     * they were turned off).
     *
     * @throws UnicornException     when Unicorn refuses
     * @throws UnsatisfiedLinkError when libunicorn.so.2 cannot be loaded
     */
    public static Unicorn openX86_64() {
        StoreFastPath.decide();
        SoftTlbSize.decide();
        StopsBetweenBlocks.decide();
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment out = temp.allocate(ADDRESS);
            List<long[]> before = CodeBuffer.largeExecutableMappings();
            int err = UnicornNative.call(UnicornNative.OPEN, UnicornNative.UC_ARCH_X86, UnicornNative.UC_MODE_64, out);
            if (err != 0) {
                throw UnicornException.of(err, "uc_open(UC_ARCH_X86, UC_MODE_64)");
            }
            Unicorn engine = new Unicorn(out.get(ADDRESS, 0));
            engine.registers.read(X86Reg.RIP); // the engine's first use allocates its translation buffer
            engine.cache.watch(CodeBuffer.added(before, CodeBuffer.largeExecutableMappings()));
            return engine;
        }
    }

    /** The library's version as {@code major.minor.patch} ({@code 2.0.1}), decoded from {@code uc_version}. */
    public static String version() {
        int v = UnicornNative.version();
        if (v >>> 16 == 0) {
            return (v >>> 8 & 0xff) + "." + (v & 0xff); // Unicorn 1: major << 8 | minor
        }
        return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff);
    }

    // ---- memory: permissions are Prot bits; addresses and sizes of mappings are 4 KiB multiples -------------

    /**
     * Maps {@code size} bytes of zeroed memory Unicorn allocates ({@code uc_mem_map}).
     *
     * @throws UnicornException UC_ERR_ARG on alignment, a zero size or bad perms; UC_ERR_MAP on an overlap
     */
    public void memMap(long address, long size, int perms) {
        ensureOpen();
        memory.map(address, size, perms);
    }

    /**
     * Maps memory the caller owns and keeps alive while mapped ({@code uc_mem_map_ptr}): each side sees the
     * other's writes, and several engines may map the same memory.
     *
     * @throws IllegalArgumentException when {@code hostMemory} is a heap segment
     * @throws UnicornException         UC_ERR_ARG on alignment or size, UC_ERR_MAP on an overlap
     */
    public void memMapPtr(long address, MemorySegment hostMemory, int perms) {
        ensureOpen();
        memory.mapPtr(address, hostMemory, perms);
    }

    /**
     * Unmaps [address, address + size) ({@code uc_mem_unmap}).
     *
     * @throws UnicornException UC_ERR_ARG on alignment, UC_ERR_NOMEM when part of the range is not mapped
     */
    public void memUnmap(long address, long size) {
        ensureOpen();
        memory.unmap(address, size);
    }

    /**
     * Sets the permissions of [address, address + size) ({@code uc_mem_protect}).
     *
     * @throws UnicornException UC_ERR_ARG on alignment or bad perms, UC_ERR_NOMEM when part is not mapped
     */
    public void memProtect(long address, long size, int perms) {
        ensureOpen();
        memory.protect(address, size, perms);
    }

    /**
     * {@code uc_mem_protect} leaving the range's translated code in place, for code of another translation context
     * ({@link #translationContext}): made inaccessible while that context is not the engine's, given its permissions
     * back when it is again. Nothing can run the blocks in between, as no look-up in another context finds them.
     */
    public void memProtectKeepingTranslations(long address, long size, int perms) {
        ensureOpen();
        memory.protectKeepingTranslations(address, size, perms);
    }

    /** Why {@link #translationContext} cannot be used with the loaded library, or empty when it can. */
    public static Optional<String> translationContextsRefused() {
        return TranslationContexts.refusal();
    }

    /**
     * Every program shares one translation context from now on: no code is kept across switches and execs
     * ({@code --no-kept-code}). Before the first engine opens.
     */
    public static void turnOffTranslationContexts() {
        TranslationContexts.turnOff();
    }

    /**
     * Makes {@code context} (0 to 255) the engine's translation context: blocks translated from now on belong to it,
     * and only its blocks are found ({@link TranslationContexts}).
     *
     * @throws IllegalArgumentException when the library is not the verified build or the context is out of range
     */
    public void translationContext(int context) {
        ensureOpen();
        TranslationContexts.set(uc, context);
    }

    /**
     * Reads {@code dst.byteSize()} bytes into {@code dst}, native or heap (no copy is made); permissions do not
     * apply.
     *
     * @throws IllegalArgumentException when {@code dst} is read-only
     * @throws UnicornException         UC_ERR_READ_UNMAPPED when a byte of the range is not mapped
     */
    public void memRead(long address, MemorySegment dst) {
        ensureOpen();
        memory.read(address, dst);
    }

    /**
     * Reads {@code length} bytes.
     *
     * @throws IllegalArgumentException when {@code length} is negative
     * @throws UnicornException         UC_ERR_READ_UNMAPPED when a byte of the range is not mapped
     */
    public byte[] memRead(long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("cannot read " + length + " bytes");
        }
        byte[] data = new byte[length];
        memRead(address, MemorySegment.ofArray(data));
        return data;
    }

    /**
     * Writes {@code src}, native or heap; permissions do not apply. Translated code keeps running as it was.
     *
     * @throws UnicornException UC_ERR_WRITE_UNMAPPED when a byte of the range is not mapped
     */
    public void memWrite(long address, MemorySegment src) {
        ensureOpen();
        memory.write(address, src);
    }

    /** Writes {@code data}, as {@link #memWrite(long, MemorySegment)}. */
    public void memWrite(long address, byte[] data) {
        memWrite(address, MemorySegment.ofArray(data));
    }

    /** The mapped regions in address order ({@code uc_mem_regions}), {@code end} inclusive. */
    public List<MemoryRegion> memRegions() {
        ensureOpen();
        return memory.regions();
    }

    // ---- registers: no allocation in steady state ----------------------------------------------------------

    /**
     * Reads {@code reg}, zero-extended.
     *
     * @throws UnicornException when {@code uc_reg_read} fails
     */
    public long regRead(X86Reg reg) {
        ensureOpen();
        return registers.read(reg);
    }

    /**
     * Writes {@code reg} (the low bits of a narrower one). Writing RIP in a callback redirects at once.
     *
     * @throws UnicornException when {@code uc_reg_write} fails
     */
    public void regWrite(X86Reg reg, long value) {
        ensureOpen();
        registers.write(reg, value);
    }

    /**
     * Reads {@code regs} into {@code out[0 .. regs.length)} in one {@code uc_reg_read_batch}. Native buffers are
     * kept per batch size; the arrays may be reused with new contents.
     *
     * @throws IllegalArgumentException when {@code out} is shorter than {@code regs}
     * @throws UnicornException         when {@code uc_reg_read_batch} fails
     */
    public void regReadBatch(X86Reg[] regs, long[] out) {
        ensureOpen();
        registers.readBatch(regs, out);
    }

    /**
     * Writes {@code values[i]} to {@code regs[i]} in one {@code uc_reg_write_batch}, buffers as
     * {@link #regReadBatch}.
     *
     * @throws IllegalArgumentException when {@code values} is shorter than {@code regs}
     * @throws UnicornException         when {@code uc_reg_write_batch} fails
     */
    public void regWriteBatch(X86Reg[] regs, long[] values) {
        ensureOpen();
        registers.writeBatch(regs, values);
    }

    /**
     * Reads XMM{@code index} as 16 little-endian bytes.
     *
     * @throws IllegalArgumentException unless {@code index} is 0 .. 15
     */
    public byte[] regReadXmm(int index) {
        ensureOpen();
        return registers.readXmm(index);
    }

    /**
     * Writes XMM{@code index} from 16 little-endian bytes.
     *
     * @throws IllegalArgumentException unless index is 0 .. 15 and the array 16 bytes long
     */
    public void regWriteXmm(int index, byte[] sixteenBytes) {
        ensureOpen();
        registers.writeXmm(index, sixteenBytes);
    }

    /** Points GDTR at a descriptor table of {@code limit + 1} bytes at {@code base}. */
    public void gdtrWrite(long base, int limit) {
        ensureOpen();
        registers.writeGdtr(base, limit);
    }

    /** Reads MSR {@code msr} ({@code UC_X86_REG_MSR}); an MSR Unicorn lacks reads as 0, without error. */
    public long msrRead(int msr) {
        ensureOpen();
        return registers.readMsr(msr);
    }

    /** Writes MSR {@code msr}; IA32_FS_BASE and IA32_GS_BASE are {@link X86Reg#FS_BASE} and GS_BASE. */
    public void msrWrite(int msr, long value) {
        ensureOpen();
        registers.writeMsr(msr, value);
    }

    // ---- execution -----------------------------------------------------------------------------------------

    /**
     * Emulates from {@code begin} ({@code uc_emu_start}) until the instruction at {@code until} is reached (not
     * executed), {@code count} instructions ran (0: no limit), {@code timeoutMicros} passed (0: none), a
     * {@code hlt} executed (RIP is then just past it), {@link #emuStop()} is called, or an error occurs. Hook
     * callbacks run on the calling thread meanwhile; one may run another engine.
     *
     * @throws IllegalArgumentException when {@code timeoutMicros} or {@code count} is negative
     * @throws UnicornException         with Unicorn's error when the emulation fails (an unmapped access,
     *                                  UC_ERR_INSN_INVALID, UC_ERR_EXCEPTION for an interrupt no hook takes, ...);
     *                                  or, with the callback's throwable as cause, when a hook callback threw
     */
    public void emuStart(long begin, long until, long timeoutMicros, long count) {
        ensureOpen();
        if (timeoutMicros < 0 || count < 0) {
            throw new IllegalArgumentException("timeout " + timeoutMicros + " and count " + count + " must be >= 0");
        }
        cache.beforeRun(until, count);
        int err;
        if (emulationDepth++ == 0) {
            runner = Thread.currentThread();
            clearStopInHook();
        }
        try {
            err = UnicornNative.call(UnicornNative.EMU_START, uc, begin, until, timeoutMicros, count);
        } finally {
            if (--emulationDepth == 0) {
                runner = null; // the mark a hook may have left is cleared as the next run begins: nothing reads it before
                hooks.releaseRetired();
            }
        }
        if (budget != null && budget.spent()) {
            registers.write(X86Reg.RIP, budget.stoppedAt()); // the engine leaves it stale under some code hooks
        }
        Throwable callbackFailure = failure.take();
        if (callbackFailure != null || err != 0) {
            Supplier<String> operation = () -> "uc_emu_start(" + hex(begin) + ", " + hex(until) + ", "
                    + hex(timeoutMicros) + ", " + hex(count) + ")";
            // A run the exits stopped on purpose ends here (a program's exit): its text is made only when read
            throw callbackFailure != null ? UnicornException.hookFailed(err, operation.get(), callbackFailure)
                    : UnicornException.of(err, operation);
        }
    }

    /**
     * Lets the next {@link #emuStart} begin at most {@code blocks} translated blocks, then stop before the next one,
     * exactly (RIP at its first instruction, none of it run); 0: no limit. The first limit adds a native block hook
     * ({@link BlockBudget}) that stays for the engine's life, and drops the code translated before it once.
     *
     * <p>Also while a code hook is on the engine (a breakpoint, an event on an address): Unicorn 2.0.1 may then leave
     * RIP, at a stop between blocks, where the last hooked instruction wrote it, and the slice would resume at the
     * wrong place; the stub records the block it stopped before, and this class puts RIP there ({@code BlockBudgetTest}).
     *
     * @return false when the budget cannot limit the next run: the hook could not be had (the host refused a page for
     *         its code); the next run is then not limited by it
     */
    public boolean limitBlocks(long blocks) {
        ensureOpen();
        if (blocks < 0) {
            throw new IllegalArgumentException("a budget of " + blocks + " blocks");
        }
        if (budget == null) {
            if (blocks == 0 || budgetRefused) {
                return blocks == 0;
            }
            MemorySegment callback;
            try {
                callback = BlockBudget.callback();
            } catch (IllegalStateException e) {
                budgetRefused = true; // the caller counts instructions instead: slower, as exact
                return false;
            }
            BlockBudget added = new BlockBudget(arena);
            hooks.addNative(HookType.BLOCK, callback, added.word(), "UC_HOOK_BLOCK, the block budget");
            budget = added;
        }
        budget.set(blocks == 0 ? Long.MAX_VALUE : blocks);
        return true;
    }

    /** Whether the last run stopped because the budget {@link #limitBlocks} gave it was spent. */
    public boolean blockBudgetSpent() {
        return budget != null && budget.spent();
    }

    /**
     * Asks the running emulation to stop ({@code uc_emu_stop}); {@link #emuStart} returns soon after, also from a
     * tight loop. Any thread may call it at any time; after {@link #close()} it does nothing. A stop asked while no
     * emulation runs is lost: {@code uc_emu_start} clears the request when it begins.
     *
     * <p>Where it lands: asked from one of this engine's hooks during its run, right after what the hook was called
     * for (an instruction's code hook, a memory access); asked from another thread, before the next translated block
     * or the next hooked instruction ({@link StopsBetweenBlocks}), where RIP is exact.
     *
     * @throws UnicornException when {@code uc_emu_stop} fails
     */
    public void emuStop() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            if (Thread.currentThread() == runner) {
                markStopInHook(); // before uc_emu_stop, which makes the word negative for the block-start checks
            }
            int err = UnicornNative.call(UnicornNative.EMU_STOP, uc);
            if (err != 0) {
                throw UnicornException.of(err, "uc_emu_stop");
            }
        }
    }

    // ---- hooks: a range [begin, end] is inclusive, and begin above end (unsigned) means every address --------
    // Every add throws UnicornException when uc_hook_add fails.

    /** Calls {@code cb} before each instruction in [begin, end] (UC_HOOK_CODE); other addresses cost nothing. */
    public Hook hookCode(long begin, long end, CodeHook cb) {
        ensureOpen();
        return hooks.add(HookType.CODE, begin, end, cb, a -> Trampolines.code(failure, cb, a), "UC_HOOK_CODE");
    }

    /** Calls {@code cb} before each block starting in [begin, end], with its size (UC_HOOK_BLOCK). */
    public Hook hookBlock(long begin, long end, CodeHook cb) {
        ensureOpen();
        return hooks.add(HookType.BLOCK, begin, end, cb, a -> Trampolines.code(failure, cb, a), "UC_HOOK_BLOCK");
    }

    /**
     * Calls {@code cb} for each data access in [begin, end] of the kinds in the mask: {@link HookType#MEM_READ},
     * {@link HookType#MEM_WRITE}, {@link HookType#MEM_READ_AFTER}, {@link HookType#MEM_FETCH} (never reported by
     * 2.0.1).
     *
     * @throws IllegalArgumentException when the mask is empty or has other bits
     */
    public Hook hookMemory(int ucHookTypeMask, long begin, long end, MemoryHook cb) {
        ensureOpen();
        checkMask(ucHookTypeMask, HookType.MEM_VALID | HookType.MEM_READ_AFTER);
        return hooks.add(ucHookTypeMask, begin, end, cb, a -> Trampolines.memory(failure, cb, a),
                "UC_HOOK_MEM " + hex(ucHookTypeMask));
    }

    /**
     * Calls {@code cb} for accesses to unmapped or protected memory of the kinds in the mask
     * ({@link HookType#MEM_INVALID} and its parts), at any address.
     *
     * @throws IllegalArgumentException when the mask is empty or has other bits
     */
    public Hook hookInvalidMemory(int ucHookTypeMask, MemoryEventHook cb) {
        return hookInvalidMemory(ucHookTypeMask, 1, 0, cb);
    }

    /**
     * The same for accesses inside [{@code begin}, {@code end}] only. A protection fault Unicorn raises inside a call
     * of the binding's (a segment load through {@link #regWrite} sets its descriptor's accessed bit, on a read-only
     * GDT) must not reach a hook: those calls cannot call back into Java, so a hook that could see them is bounded.
     *
     * @throws IllegalArgumentException when the mask is empty or has other bits
     */
    public Hook hookInvalidMemory(int ucHookTypeMask, long begin, long end, MemoryEventHook cb) {
        ensureOpen();
        checkMask(ucHookTypeMask, HookType.MEM_INVALID);
        return hooks.add(ucHookTypeMask, begin, end, cb, a -> Trampolines.memoryEvent(failure, cb, a),
                "UC_HOOK_MEM " + hex(ucHookTypeMask));
    }

    /** Calls {@code cb} with the vector of each interrupt (UC_HOOK_INTR); without one, UC_ERR_EXCEPTION ends a run. */
    public Hook hookInterrupt(InterruptHook cb) {
        ensureOpen();
        return hooks.add(HookType.INTR, 1, 0, cb, a -> Trampolines.interrupt(failure, cb, a), "UC_HOOK_INTR");
    }

    /** Calls {@code cb} at an instruction Unicorn cannot execute (UC_HOOK_INSN_INVALID), such as {@code vmcall}. */
    public Hook hookInvalidInstruction(InvalidInstructionHook cb) {
        ensureOpen();
        return hooks.add(HookType.INSN_INVALID, 1, 0, cb, a -> Trampolines.invalidInstruction(failure, cb, a),
                "UC_HOOK_INSN_INVALID");
    }

    /** Calls {@code cb} at each {@code cpuid} (UC_HOOK_INSN, UC_X86_INS_CPUID); it may supply the result. */
    public Hook hookCpuid(CpuidHook cb) {
        ensureOpen();
        return hooks.addInstruction(UnicornNative.UC_X86_INS_CPUID, cb, a -> Trampolines.cpuid(failure, cb, a),
                "UC_X86_INS_CPUID");
    }

    /** Calls {@code cb} at each {@code in} (UC_X86_INS_IN); its result is the value read. */
    public Hook hookIn(InHook cb) {
        ensureOpen();
        return hooks.addInstruction(UnicornNative.UC_X86_INS_IN, cb, a -> Trampolines.in(failure, cb, a),
                "UC_X86_INS_IN");
    }

    /** Calls {@code cb} at each {@code out} (UC_X86_INS_OUT). */
    public Hook hookOut(OutHook cb) {
        ensureOpen();
        return hooks.addInstruction(UnicornNative.UC_X86_INS_OUT, cb, a -> Trampolines.out(failure, cb, a),
                "UC_X86_INS_OUT");
    }

    /** Calls {@code cb} at each {@code syscall} (UC_X86_INS_SYSCALL). */
    public Hook hookSyscall(SyscallHook cb) {
        ensureOpen();
        return hooks.addInstruction(UnicornNative.UC_X86_INS_SYSCALL, cb, a -> Trampolines.syscall(failure, cb, a),
                "UC_X86_INS_SYSCALL");
    }

    /**
     * Removes {@code hook} ({@code uc_hook_del}), as {@code hook.close()} does; allowed in any callback, the
     * hook's own included. Removing it again, or after {@link #close()}, does nothing.
     *
     * @throws IllegalArgumentException when the hook belongs to another engine
     * @throws UnicornException         when {@code uc_hook_del} fails
     */
    public void hookDel(Hook hook) {
        if (!closed) {
            hooks.remove(hook);
        }
    }

    // ---- translation cache ---------------------------------------------------------------------------------

    /**
     * Drops the code translated from [begin, end) ({@code uc_ctl_remove_cache}), so the next execution sees the
     * current bytes and hooks. Allowed in callbacks. Unicorn walks the range page by page: pass what changed.
     *
     * @throws UnicornException UC_ERR_ARG when {@code end} is not above {@code begin}
     */
    public void removeCache(long begin, long end) {
        ensureOpen();
        // Memory that never became executable holds no block: a system call's read into a data buffer needs no
        // uc_ctl_remove_cache, which was 8 % of busybox md5sum's system-call path (docs/benchmarks.md, "Removals of
        // translated code, stop 32"). Only without paging: the range is virtual, the pages' permissions physical.
        if (Long.compareUnsigned(end, begin) > 0 && !memory.mayHoldCode(begin, end) && !cache.pagingOn()) {
            removalsSkipped++;
            return;
        }
        removalsMade++;
        cache.remove(begin, end);
    }

    /**
     * Whether code may have been translated from the mapped range [{@code begin}, {@code endExclusive}): some of it is
     * executable, or was since its blocks were last dropped ({@link ExecutablePages}).
     */
    public boolean mayHoldCode(long begin, long endExclusive) {
        ensureOpen();
        return memory.mayHoldCode(begin, endExclusive);
    }

    /**
     * How many {@link #removeCache} calls found no executable page in their range (paging off) and so had no block to
     * drop: they called nothing in the library. For tests that hold a path to that.
     */
    public long removalsSkipped() {
        return removalsSkipped;
    }

    /**
     * How many times {@link #removeCache} called {@code uc_ctl_remove_cache}. For tests, beside
     * {@link #removalsSkipped}.
     */
    public long removalsMade() {
        return removalsMade;
    }

    /**
     * Drops all translated code. While guest paging is off, or inside a callback (where {@code UC_CTL_TB_FLUSH}
     * crashes 2.0.1), it removes each mapped region, which is exact without paging and much cheaper than the
     * flush (about 16 ms); otherwise it calls {@code uc_ctl(UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0))}. A block being
     * executed finishes as translated.
     */
    public void flushTranslationCache() {
        ensureOpen();
        cache.dropAll();
    }

    /**
     * How many times all translated code was dropped so far (by {@link #flushTranslationCache}, a code hook over every
     * address added or removed, a switch between counted and uncounted runs): each drop makes the guest's code be
     * translated again, so a path that drops per instruction is slow. For tests that hold such a path to a count.
     */
    public long translationDrops() {
        return cache.drops();
    }

    /** How many times the translation buffer was emptied because it was nearly full ({@link CodeBuffer}). */
    public long translationBufferFlushes() {
        return cache.bufferFlushes();
    }

    /** The engine's translated code's keeper; for the tests. */
    TranslationCache cache() {
        return cache;
    }

    /** This engine's translation buffer, or null when it was not found ({@link CodeBuffer}); for the tests. */
    CodeBuffer codeBuffer() {
        return cache.codeBuffer();
    }

    // ---- context -------------------------------------------------------------------------------------------

    /**
     * Forgets the exception QEMU believes is still being delivered. An exception an interrupt hook
     * absorbs is never delivered, so QEMU keeps it as "in flight" ({@code env->old_exception}), and
     * the next contributory fault (#GP after #GP) turns into a double fault, then a triple fault.
     * Unicorn has no API for that field: this saves the CPU context, resets the field in the saved
     * copy at the offset {@link ExceptionInFlight} measured, and restores it. Safe inside an
     * interrupt hook (the CPU is between instructions there).
     */
    public void clearExceptionInFlight() {
        ensureOpen();
        contexts.clearExceptionInFlight();
    }

    /** The size of a saved context, in bytes ({@code uc_context_size}). */
    long contextSize() {
        return contexts.size();
    }

    /**
     * Saves the registers into a new {@link UnicornContext} ({@code uc_context_alloc}, {@code uc_context_save}).
     *
     * @throws UnicornException when either call fails
     */
    public UnicornContext contextSave() {
        ensureOpen();
        return contexts.save();
    }

    /**
     * Saves the registers into {@code context} again ({@code uc_context_save}), overwriting what it held: a vCPU
     * switched out many times reuses one context.
     *
     * @throws IllegalArgumentException when another engine saved it
     * @throws IllegalStateException    when it was closed
     * @throws UnicornException         when {@code uc_context_save} fails
     */
    public void contextSave(UnicornContext context) {
        ensureOpen();
        contexts.saveInto(context);
    }

    /**
     * Restores the registers saved in {@code context} ({@code uc_context_restore}); memory is untouched.
     *
     * @throws IllegalArgumentException when another engine saved it
     * @throws IllegalStateException    when it was closed
     * @throws UnicornException         when {@code uc_context_restore} fails
     */
    public void contextRestore(UnicornContext context) {
        ensureOpen();
        contexts.restore(context);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    /**
     * Closes the engine ({@code uc_close}) and frees what the binding holds for it: open contexts, the hooks'
     * upcall stubs, the register buffers. Idempotent; another thread may call it once emulation is over.
     *
     * @throws IllegalStateException when called from a hook callback of this engine
     * @throws UnicornException      when {@code uc_close} fails (everything is freed anyway)
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            if (emulationDepth > 0) {
                throw new IllegalStateException("close() inside emuStart: return from the hook callback first");
            }
            closed = true;
        }
        contexts.freeAll();
        int err = UnicornNative.call(UnicornNative.CLOSE, uc);
        hooks.releaseAll();
        arena.close();
        if (err != 0) {
            throw UnicornException.of(err, "uc_close");
        }
    }

    /** A stop made in one of the engine's hooks: the checks after memory accesses take it (the word's low half). */
    private void markStopInHook() {
        MemorySegment word = stopInHookWord();
        if (word != null) {
            word.set(JAVA_SHORT_UNALIGNED, 0, (short) -1);
        }
    }

    private void clearStopInHook() {
        MemorySegment word = stopInHookWord();
        if (word != null) {
            word.set(JAVA_SHORT_UNALIGNED, 0, (short) 0);
        }
    }

    private MemorySegment stopInHookWord() {
        if (stopInHookWord == null && !noStopInHookWord) {
            if (StopsBetweenBlocks.on()) {
                stopInHookWord = StopsBetweenBlocks.stopInHookWord(uc); // null until the engine has made its CPU
            } else {
                noStopInHookWord = true; // the library is as loaded: every check reads the whole word
            }
        }
        return stopInHookWord;
    }

    /** Whether {@link #emuStart} is running on this engine. */
    boolean emulating() {
        return emulationDepth > 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this Unicorn instance is closed");
        }
    }

    private static void checkMask(int mask, int allowed) {
        if (mask == 0 || (mask & ~allowed) != 0) {
            throw new IllegalArgumentException("hook type mask " + hex(mask) + " must be a nonempty subset of "
                    + hex(allowed));
        }
    }
}
