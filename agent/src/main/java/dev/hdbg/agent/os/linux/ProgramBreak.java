package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.unicorn.Prot;

/**
 * The program break ({@code brk}): the heap grows page by page from the end of the image's data. Pages are never
 * unmapped (GuestMemory cannot), so a shrink zeroes them instead: a later grow must see zero pages, as on Linux.
 */
final class ProgramBreak {
    private final GuestMemory memory;
    private final long start;
    private long current;
    private long mappedEnd;

    ProgramBreak(GuestMemory memory, long start) {
        this.memory = memory;
        this.start = start;
        this.current = start;
        this.mappedEnd = roundUp(start); // the page holding start belongs to the image
    }

    long start() {
        return start;
    }

    long current() {
        return current;
    }

    /** Linux's brk: the new break, or the unchanged one when the request is refused (below the start, a clash). */
    long move(long requested) {
        if (requested < start) {
            return current; // brk(0) asks for the current break this way
        }
        long end = roundUp(requested);
        if (end > mappedEnd) {
            try {
                memory.map("heap", mappedEnd, end - mappedEnd, Prot.READ | Prot.WRITE);
            } catch (IllegalArgumentException clash) {
                return current; // something is mapped there: brk fails by not moving
            }
            mappedEnd = end;
        } else if (end < roundUp(current)) {
            Zero.fill(memory, end, roundUp(current) - end);
        }
        current = requested;
        return current;
    }

    static long roundUp(long value) {
        return (value + GuestMemory.PAGE - 1) & -GuestMemory.PAGE;
    }
}
