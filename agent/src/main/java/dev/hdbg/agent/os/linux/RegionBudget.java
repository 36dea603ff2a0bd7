package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Unicorn;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * hdbg's vm.max_map_count: how many regions the guest's emulator may hold. Unicorn 2.0.1 aborts the whole
 * agent (QEMU's {@code phys_section_add} assertion) once an address space holds about 4096 ranges — measured
 * with a guest splitting one mapping by mprotect — and the vmx-root instance mirrors every guest mapping beside
 * its own allocations (up to 1024). Past {@link #MAX_MAP_COUNT} regions, brk, mmap, mprotect and munmap fail,
 * as Linux's do past vm.max_map_count.
 */
final class RegionBudget {
    static final int MAX_MAP_COUNT = 2048;

    private final Unicorn unicorn;
    private final int max;
    /** Whether the engine's region at an address is an idle block of another process (GuestMemory#isIdle). */
    private final LongPredicate othersAt;

    /**
     * The budget of the process whose regions are on {@code unicorn}; {@code othersAt} tells the regions that are not
     * its own (idle blocks of processes off the CPU, at most a few hundred), which the budget leaves out.
     */
    RegionBudget(Unicorn unicorn, LongPredicate othersAt) {
        this(unicorn, MAX_MAP_COUNT, othersAt);
    }

    /** A budget of {@code max} regions: below the real one, for tests that reach it. */
    RegionBudget(Unicorn unicorn, int max) {
        this(unicorn, max, address -> false);
    }

    private RegionBudget(Unicorn unicorn, int max, LongPredicate othersAt) {
        this.unicorn = unicorn;
        this.max = max;
        this.othersAt = othersAt;
    }

    /** Whether {@code more} regions still fit. */
    boolean hasRoomFor(int more) {
        return more <= 0 || own(unicorn.memRegions()) + more <= max;
    }

    /** @throws SyscallException ENOMEM when {@code more} regions would not fit */
    void requireRoom(int more) {
        if (!hasRoomFor(more)) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /**
     * Checks room for changing [{@code begin}, {@code end}), which Unicorn does by splitting the regions its ends
     * fall inside, after mapping {@code mapped} new regions; one look at the regions serves both counts.
     *
     * @throws SyscallException ENOMEM when they would not fit
     */
    void requireRoomToChange(long begin, long end, int mapped) {
        List<MemoryRegion> regions = unicorn.memRegions();
        int added = mapped;
        for (MemoryRegion r : regions) {
            added += (splits(begin, r) ? 1 : 0) + (splits(end, r) ? 1 : 0);
        }
        if (added > 0 && own(regions) + added > max) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    private int own(List<MemoryRegion> regions) {
        int count = 0;
        for (MemoryRegion r : regions) {
            if (!othersAt.test(r.begin())) {
                count++;
            }
        }
        return count;
    }

    /** Whether a boundary at {@code at} cuts {@code r} in two. */
    private static boolean splits(long at, MemoryRegion r) {
        return Long.compareUnsigned(at, r.begin()) > 0 && Long.compareUnsigned(at, r.end()) <= 0;
    }
}
