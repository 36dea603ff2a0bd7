package dev.hdbg.agent.unicorn;

import static dev.hdbg.agent.unicorn.UnicornException.hex;

import java.lang.foreign.MemorySegment;

/**
 * Keeps Unicorn's translated blocks (TBs) consistent with what the binding promises. Unicorn 2.0.1 decides
 * several things when it translates a block and never revisits them (all measured on this library):
 * <ul>
 * <li>a code or block hook added later does not fire in a block translated before; one deleted later keeps
 *     firing there (when it was the only code hook, the callback pointer is compiled into the block), and
 *     then calls a freed upcall stub;</li>
 * <li>a MEM_READ hook added later does not see reads of code translated before;</li>
 * <li>{@code emuStart}'s {@code count} is ignored in blocks translated while no count was set (Unicorn counts with
 *     a code hook it adds and deletes as {@code count} becomes nonzero and zero again), and its
 *     {@code until} is ignored inside a block translated while another {@code until} was set;</li>
 * <li>{@code uc_mem_unmap} and {@code uc_mem_protect} leave the blocks of the range in place: the old code still
 *     runs after a remap, and without the EXEC permission.</li>
 * </ul>
 * So the engine drops the blocks concerned at those moments. {@code uc_ctl_remove_cache} takes a virtual range
 * and is cheap (microseconds for a few pages) but walks its range page by page, so a huge range never ends;
 * {@code UC_CTL_TB_FLUSH} costs about 16 ms (390 ms the first time) and crashes the process when called from
 * inside a hook. Dropping everything therefore removes each mapped region, whose addresses are physical: exact
 * while guest paging is off (CR0.PG clear) or maps those addresses one to one. With paging on and no emulation
 * running, it flushes instead.
 */
final class TranslationCache {
    /** Ranges up to this size are removed directly; larger ones drop everything. */
    private static final long DIRECT_LIMIT = 1L << 20;

    private static final long CR0_PG = 1L << 31;

    private final Unicorn owner;
    private final MemorySegment uc;
    private final Registers registers;
    private boolean countedLastRun;
    private boolean untilKnown;
    private long lastUntil;
    private long drops;
    /** The engine's translation buffer, emptied before it is full; null when it was not found. */
    private CodeBuffer buffer;
    /** When {@link #buffer}'s fill was last looked at ({@link System#nanoTime}). */
    private long lastBufferCheck;
    private long bufferFlushes;
    /** Looking at the buffer's fill costs a system call: every 20 ms at most (Python filled 58 MiB a second). */
    private static final long BUFFER_CHECK_NANOS = 20_000_000;

    TranslationCache(Unicorn owner, MemorySegment uc, Registers registers) {
        this.owner = owner;
        this.uc = uc;
        this.registers = registers;
    }

    /** {@code uc_ctl_remove_cache} on [begin, endExclusive). */
    void remove(long begin, long endExclusive) {
        int err = UnicornNative.call(UnicornNative.CTL_RANGE, uc, UnicornNative.UC_CTL_TB_REMOVE_CACHE_WRITE, begin,
                endExclusive);
        if (err != 0) {
            throw UnicornException.of(err, "uc_ctl_remove_cache(" + hex(begin) + ", " + hex(endExclusive) + ")");
        }
    }

    /** How many times {@link #dropAll} ran. */
    long drops() {
        return drops;
    }

    /** Drops every translated block, in the way that is exact and safe for the current state (class comment). */
    void dropAll() {
        drops++;
        if (owner.emulating() || !pagingOn()) {
            for (MemoryRegion region : owner.memRegions()) {
                dropChunked(region.begin(), region.end());
            }
        } else {
            flush();
        }
    }

    /** Drops the blocks of the inclusive range [begin, end]; begin above end (unsigned) means every address. */
    void dropRange(long begin, long end) {
        if (Long.compareUnsigned(begin, end) > 0 || Long.compareUnsigned(end - begin, DIRECT_LIMIT) >= 0) {
            dropAll();
        } else {
            removeInclusive(begin, end);
        }
    }

    /** For the physical range [begin, begin + size) whose mapping changes. */
    void dropMapping(long begin, long size) {
        if (size == 0) {
            return;
        }
        if (owner.emulating() || !pagingOn()) {
            dropChunked(begin, begin + size - 1);
        } else {
            dropAll();
        }
    }

    /** Watches {@code codeBuffer} (null: nothing to watch) from now on. */
    void watch(CodeBuffer codeBuffer) {
        this.buffer = codeBuffer;
        lastBufferCheck = System.nanoTime() - BUFFER_CHECK_NANOS; // looked at before the next run
    }

    CodeBuffer codeBuffer() {
        return buffer;
    }

    /** How many times {@link #beforeRun} emptied a nearly full translation buffer. */
    long bufferFlushes() {
        return bufferFlushes;
    }

    /**
     * Empties the translation buffer when it is nearly full ({@link CodeBuffer}), here where no emulation of the engine
     * runs: {@code UC_CTL_TB_FLUSH} is safe outside its hooks, and Unicorn's own flush of a full buffer is not.
     */
    private void keepBufferRoom() {
        long now = System.nanoTime();
        if (buffer == null || owner.emulating() || now - lastBufferCheck < BUFFER_CHECK_NANOS) {
            return;
        }
        lastBufferCheck = now;
        if (buffer.nearlyFull()) {
            flush();
            buffer.released();
            bufferFlushes++;
        }
    }

    private void flush() {
        int err = UnicornNative.call(UnicornNative.CTL_NO_ARGS, uc, UnicornNative.UC_CTL_TB_FLUSH_WRITE);
        if (err != 0) {
            throw UnicornException.of(err, "uc_ctl(UC_CTL_TB_FLUSH)");
        }
    }

    /** Called before each {@code uc_emu_start}: makes {@code until} and {@code count} hold in translated code. */
    void beforeRun(long until, long count) {
        keepBufferRoom();
        boolean counted = count != 0;
        if (counted != countedLastRun) {
            dropAll();
        } else if (!untilKnown || until != lastUntil) {
            dropRange(until, until);
        }
        countedLastRun = counted;
        untilKnown = true;
        lastUntil = until;
    }

    /** Whether guest paging is on (CR0.PG): addresses are then virtual. */
    boolean pagingOn() {
        return (registers.read(X86Reg.CR0) & CR0_PG) != 0;
    }

    // [first, last] as uc_ctl_remove_cache's exclusive end allows: the top byte of the address space, where no
    // instruction can start, is left out (until = -1, "run forever", lands here).
    private void removeInclusive(long first, long last) {
        if (last != -1L) {
            remove(first, last + 1);
        } else if (first != -1L) {
            remove(first, -1L);
        }
    }

    private void dropChunked(long first, long last) {
        long at = first;
        while (true) {
            long chunkLast = Long.compareUnsigned(last - at, DIRECT_LIMIT) >= 0 ? at + DIRECT_LIMIT - 1 : last;
            removeInclusive(at, chunkLast);
            if (chunkLast == last) {
                return;
            }
            at = chunkLast + 1;
        }
    }
}
