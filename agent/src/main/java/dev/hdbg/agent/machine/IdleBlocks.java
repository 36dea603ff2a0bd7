package dev.hdbg.agent.machine;

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
 * and the process on the CPU sees that address as unmapped), its blocks belong to another context (no look-up finds
 * them, so the protection's leaving them in place runs nothing), and its bytes cannot change: only blocks no page of
 * which is writable idle here, and a write to one off the CPU ({@link AddressSpace#write}) evicts it first. An idle
 * block leaves the engine (its translations dropped) when a mapping of the process on the CPU needs its addresses,
 * when its context comes back to a process that does not hold it, when its memory is freed, and beyond {@link #MAX}.
 */
final class IdleBlocks {
    /** At most this many idle blocks: each is an engine region, and the engine's regions are budgeted. */
    static final int MAX = 256;

    private record Idle(GuestMapping mapping, int context) {
    }

    private final Unicorn engine;
    private final List<Idle> blocks = new ArrayList<>(); // oldest first

    /** @param engine the engine the blocks stay on */
    IdleBlocks(Unicorn engine) {
        this.engine = engine;
    }

    /** Leaves {@code m} on the engine without permissions, its translations in {@code context} kept. */
    void park(GuestMapping m, int context) {
        if (blocks.size() >= MAX) {
            evict(blocks.removeFirst().mapping());
        }
        engine.memProtectKeepingTranslations(m.address(), m.memory().byteSize(), Prot.NONE);
        blocks.add(new Idle(m, context));
    }

    /** Gives {@code m}, idle until now, its first permissions back, with the code translated from it. */
    void wake(GuestMapping m) {
        engine.memProtectKeepingTranslations(m.address(), m.memory().byteSize(), m.perms());
    }

    /**
     * Takes {@code context}'s idle blocks off the list: those {@code wanted} accepts are returned, to be woken; the
     * others leave the engine.
     */
    List<GuestMapping> takeContext(int context, Predicate<GuestMapping> wanted) {
        List<GuestMapping> woken = new ArrayList<>();
        for (Iterator<Idle> it = blocks.iterator(); it.hasNext(); ) {
            Idle idle = it.next();
            if (idle.context() == context) {
                it.remove();
                if (wanted.test(idle.mapping())) {
                    woken.add(idle.mapping());
                } else {
                    evict(idle.mapping());
                }
            }
        }
        return woken;
    }

    /** Evicts the idle blocks that overlap [{@code address}, {@code address + size}): a mapping needs the range. */
    void evictOverlapping(long address, long size) {
        for (Iterator<Idle> it = blocks.iterator(); it.hasNext(); ) {
            GuestMapping m = it.next().mapping();
            if (Long.compareUnsigned(address - m.address(), m.memory().byteSize()) < 0
                    || Long.compareUnsigned(m.address() - address, size) < 0) {
                it.remove();
                evict(m);
            }
        }
    }

    /** Takes {@code m} off the list without evicting it, if it is idle: a process maps that very block again. */
    boolean takeBack(GuestMapping m) {
        return blocks.removeIf(idle -> idle.mapping().equals(m));
    }

    /** Evicts {@code m} if it is idle: its memory is about to be freed or written. */
    void evictIfIdle(GuestMapping m) {
        for (Iterator<Idle> it = blocks.iterator(); it.hasNext(); ) {
            if (it.next().mapping().equals(m)) {
                it.remove();
                evict(m);
                return;
            }
        }
    }

    /** Evicts every idle block ({@code .restart}). */
    void evictAll() {
        blocks.forEach(idle -> evict(idle.mapping()));
        blocks.clear();
    }

    /** Whether {@code address} lies in an idle block: the engine's region there is not the process's. */
    boolean covers(long address) {
        for (Idle idle : blocks) {
            if (idle.mapping().holds(address, 1)) {
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
    }
}
