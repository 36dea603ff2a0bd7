package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Unicorn;

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

    RegionBudget(Unicorn unicorn) {
        this(unicorn, MAX_MAP_COUNT);
    }

    /** A budget of {@code max} regions: below the real one, for tests that reach it. */
    RegionBudget(Unicorn unicorn, int max) {
        this.unicorn = unicorn;
        this.max = max;
    }

    /** Whether {@code more} regions still fit. */
    boolean hasRoomFor(int more) {
        return more <= 0 || unicorn.memRegions().size() + more <= max;
    }

    /** @throws SyscallException ENOMEM when {@code more} regions would not fit */
    void requireRoom(int more) {
        if (!hasRoomFor(more)) {
            throw new SyscallException(Errno.ENOMEM);
        }
    }

    /** How many regions Unicorn adds when it splits at {@code begin} and {@code end} to change [begin, end). */
    int splits(long begin, long end) {
        int added = 0;
        for (MemoryRegion r : unicorn.memRegions()) {
            for (long boundary : new long[] {begin, end}) {
                if (Long.compareUnsigned(boundary, r.begin()) > 0 && Long.compareUnsigned(boundary, r.end()) <= 0) {
                    added++;
                }
            }
        }
        return added;
    }
}
