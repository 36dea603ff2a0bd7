package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.machine.HostMemoryException;
import dev.hdbg.agent.unicorn.Prot;

/**
 * The program break ({@code brk}): the heap grows from the end of the image's data. Pages are never unmapped
 * (GuestMemory cannot), so a shrink zeroes them instead: a later grow must see zero pages, as on Linux.
 *
 * <p>Each mapping is an emulator region, and regions are few ({@link RegionBudget}): a heap growing by glibc's
 * 132 KiB steps would use them all up at about 270 MiB. So the heap is mapped ahead of the break, the mapping
 * at least doubling the heap each time up to {@link #MAX_AHEAD} a step; the pages between the break and the
 * mapped end are accessible to the guest where Linux would fault.
 */
final class ProgramBreak {
    static final long MAX_AHEAD = 16L << 20;

    private final GuestMemory memory;
    private final RegionBudget regions;
    private final long start;
    private long current;
    private long mappedEnd;

    ProgramBreak(GuestMemory memory, RegionBudget regions, long start) {
        this.memory = memory;
        this.regions = regions;
        this.start = start;
        this.current = start;
        this.mappedEnd = roundUp(start); // the page holding start belongs to the image
    }

    /** The same break over another process's copy of the memory: a forked child's. */
    ProgramBreak copy() {
        ProgramBreak copy = new ProgramBreak(memory, regions, start);
        copy.current = current;
        copy.mappedEnd = mappedEnd;
        return copy;
    }

    long start() {
        return start;
    }

    long current() {
        return current;
    }

    /**
     * Linux's brk: the new break, or the unchanged one when the request is refused (below the start, a clash with
     * another mapping, no region left).
     */
    long move(long requested) {
        if (requested < start) {
            return current; // brk(0) asks for the current break this way
        }
        long end = roundUp(requested);
        if (end > mappedEnd && !mapUpTo(end)) {
            return current;
        }
        long used = roundUp(current);
        if (end != used) {
            // Shrinking: the pages given back must read as zeros when they come back. Growing: they were mapped
            // ahead, and the guest may have written there past its break.
            Zero.fill(memory, Math.min(end, used), Math.abs(end - used));
        }
        current = requested;
        return current;
    }

    /**
     * A MAP_FIXED mapping took [{@code begin}, {@code end}): the part of the mapped-ahead heap from there on is no
     * longer the heap's to grow into, and a brk reaching it fails, as Linux's brk fails against a mapping.
     */
    void yield(long begin, long end) {
        long used = roundUp(current);
        if (end > used && begin < mappedEnd) {
            mappedEnd = Math.max(used, begin);
        }
    }

    /** Maps the heap up to at least {@code end}: ahead of it when there is room, else exactly. */
    private boolean mapUpTo(long end) {
        long needed = end - mappedEnd;
        long heap = mappedEnd - roundUp(start);
        for (long step : new long[] {Math.max(needed, Math.min(heap, MAX_AHEAD)), needed}) {
            if (!regions.hasRoomFor(1)) {
                return false;
            }
            try {
                memory.map("heap", mappedEnd, step, Prot.READ | Prot.WRITE);
                mappedEnd += step;
                return true;
            } catch (IllegalArgumentException | HostMemoryException e) {
                // something is mapped there, or the host has no room: the exact request may still fit
            }
        }
        return false;
    }

    static long roundUp(long value) {
        return (value + GuestMemory.PAGE - 1) & -GuestMemory.PAGE;
    }
}
