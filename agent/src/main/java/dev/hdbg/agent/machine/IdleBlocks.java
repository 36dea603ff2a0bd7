package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.agent.unicorn.Unicorn;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Code blocks left on the engine, inaccessible, while the process holding them is off the CPU and a program of another
 * translation context runs ({@link ContextPool}): when a shell's child execs, the shell's code waits here with the
 * blocks Unicorn translated from it, and runs again without translating it anew when the shell gets the CPU back (a
 * block unmapped and mapped again is a new RAM block to Unicorn, whose translations are keyed by it).
 *
 * <p>Exact because nothing can run or reach an idle block: it has no permissions (a load, store or fetch there faults,
 * and the process on the CPU sees that address as unmapped), its translated blocks belong to other contexts than the
 * engine's (no look-up finds them, so the protection's leaving them in place runs nothing), and its bytes cannot
 * change: only blocks no page of which is writable idle here, and a write to one off the CPU
 * ({@link AddressSpace#write}) evicts it first. An idle block leaves the engine (its translations dropped) when a
 * mapping of the process on the CPU needs its addresses, when a context it may hold code of ({@link BlockContexts})
 * comes back to a process that does not map it, when its memory is freed, and beyond {@link #MAX}. A process that maps
 * it wakes it, whichever context parked it: its code there is the same bytes at the same address.
 */
final class IdleBlocks {
    /** At most this many idle blocks: each is an engine region, and the engine's regions are budgeted. */
    static final int MAX = 256;

    private final Unicorn engine;
    private final BlockContexts contexts;
    private final List<GuestMapping> blocks = new ArrayList<>(); // oldest first

    /**
     * @param engine   the engine the blocks stay on
     * @param contexts which contexts each block's translations may belong to, kept by the caller
     */
    IdleBlocks(Unicorn engine, BlockContexts contexts) {
        this.engine = engine;
        this.contexts = contexts;
    }

    /** Leaves {@code m} on the engine without permissions, its translations in {@code context} kept. */
    void park(GuestMapping m, int context) {
        if (blocks.size() >= MAX) {
            evict(blocks.removeFirst());
        }
        engine.memProtectKeepingTranslations(m.address(), m.memory().byteSize(), Prot.NONE);
        contexts.add(m, context);
        blocks.add(m);
    }

    /**
     * Gives {@code m}, idle until now, its permissions back, with the code translated from it: those of the engine
     * regions {@code regions} (a library's code and constants, one block of several regions), or its first
     * permissions when that is empty.
     */
    void wake(GuestMapping m, List<MemoryRegion> regions) {
        if (regions.isEmpty()) {
            engine.memProtectKeepingTranslations(m.address(), m.memory().byteSize(), m.perms());
            return;
        }
        for (MemoryRegion r : regions) {
            engine.memProtectKeepingTranslations(r.begin(), r.size(), r.perms());
        }
    }

    /**
     * The engine is about to run {@code context}: the idle blocks {@code held} accepts (the incoming process maps those
     * very blocks, whatever context parked them) are taken off the list and returned, to be woken; the others that may
     * hold code of {@code context} leave the engine, so that no look-up in it finds their code.
     */
    List<GuestMapping> takeFor(int context, Predicate<GuestMapping> held) {
        List<GuestMapping> woken = new ArrayList<>();
        for (Iterator<GuestMapping> it = blocks.iterator(); it.hasNext(); ) {
            GuestMapping m = it.next();
            if (held.test(m)) {
                it.remove();
                woken.add(m);
            } else if (contexts.includes(m, context)) {
                it.remove();
                evict(m);
            }
        }
        return woken;
    }

    /** Evicts the idle blocks that overlap [{@code address}, {@code address + size}): a mapping needs the range. */
    void evictOverlapping(long address, long size) {
        for (Iterator<GuestMapping> it = blocks.iterator(); it.hasNext(); ) {
            GuestMapping m = it.next();
            if (m.overlaps(address, size)) {
                it.remove();
                evict(m);
            }
        }
    }

    /** Takes {@code m} off the list without evicting it, if it is idle: a process maps that very block again. */
    boolean takeBack(GuestMapping m) {
        return blocks.remove(m);
    }

    /** Evicts {@code m} if it is idle: its memory is about to be freed or written. */
    void evictIfIdle(GuestMapping m) {
        if (blocks.remove(m)) {
            evict(m);
        }
    }

    /** Evicts every idle block ({@code .restart}). */
    void evictAll() {
        blocks.forEach(this::evict);
        blocks.clear();
    }

    /** Whether {@code address} lies in an idle block: the engine's region there is not the process's. */
    boolean covers(long address) {
        for (GuestMapping m : blocks) {
            if (m.holds(address, 1)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return blocks.size();
    }

    private void evict(GuestMapping m) {
        engine.memUnmap(m.address(), m.memory().byteSize()); // drops its translations first
        contexts.forget(m);
    }
}
