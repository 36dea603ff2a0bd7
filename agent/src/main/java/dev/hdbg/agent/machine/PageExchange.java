package dev.hdbg.agent.machine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Exchanges the contents of two ranges of anonymous host memory of one size. A process switch uses it to leave a
 * writable block on the engine and give it the next process's bytes ({@link GuestMemory#switchTo}), where unmapping
 * an 8 MiB stack flushes 2,048 TLB pages in Unicorn. Two ways, for two sizes:
 * <ul>
 *   <li>{@link #copyTouched}: the pages either side ever touched are swapped by copying, the others left alone. A
 *       stack or a heap a process of a pipeline touches is a few dozen pages: microseconds.
 *   <li>{@link #move}: {@code mremap(2)} moves the page-table entries, copying nothing. Each move flushes the host's
 *       TLB for the range on every core the agent runs on (inter-processor interrupts, about 70 µs a move on this
 *       project's VM), so it pays only for many touched pages.
 * </ul>
 */
final class PageExchange {
    private static final int MREMAP_MAYMOVE = 1;
    private static final int MREMAP_FIXED = 2;
    private static final int MREMAP_DONTUNMAP = 4;
    private static final MethodHandle MREMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MREMAP = linker.downcallHandle(linker.defaultLookup().find("mremap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(4));
    }

    private PageExchange() {
    }

    /**
     * Swaps the bytes of the pages of {@code a} and {@code b} (of one size, page-aligned) that {@code touchedA} or
     * {@code touchedB} flag, one flag a page; a page neither flags reads as zero on both sides and is not read. A page
     * only one side touched is given zeros there by writing them, not by reading the other's.
     */
    static void copyTouched(MemorySegment a, boolean[] touchedA, MemorySegment b, boolean[] touchedB) {
        long page = GuestMemory.PAGE;
        MemorySegment spare = null;
        for (int i = 0; i < touchedA.length; i++) {
            if (!touchedA[i] && !touchedB[i]) {
                continue;
            }
            long at = i * page;
            if (touchedA[i] && touchedB[i]) {
                if (spare == null) {
                    spare = java.lang.foreign.Arena.ofAuto().allocate(page);
                }
                MemorySegment.copy(a, at, spare, 0, page);
                MemorySegment.copy(b, at, a, at, page);
                MemorySegment.copy(spare, 0, b, at, page);
            } else if (touchedA[i]) {
                MemorySegment.copy(a, at, b, at, page);
                a.asSlice(at, page).fill((byte) 0);
            } else {
                MemorySegment.copy(b, at, a, at, page);
                b.asSlice(at, page).fill((byte) 0);
            }
        }
    }

    /**
     * Gives {@code a} the pages of {@code b} and {@code b} those of {@code a} by moving them; both page-aligned,
     * private and anonymous, of one size. Neither range is ever a hole: each move keeps its source mapped
     * ({@code MREMAP_DONTUNMAP}, Linux 5.7), so no other thread's {@code mmap} can take the address before the next move
     * replaces it ({@code MREMAP_FIXED} replaces a mapping in one step).
     *
     * @return false when the host refused (a kernel without {@code MREMAP_DONTUNMAP}, no room for the move): both
     *         ranges then hold what they held
     * @throws IllegalStateException when the host refused to undo a half-done exchange, which leaves it undone
     */
    static boolean move(MemorySegment a, MemorySegment b) {
        long length = a.byteSize();
        if (length != b.byteSize()) {
            throw new IllegalArgumentException("ranges of " + length + " and " + b.byteSize() + " bytes");
        }
        MemorySegment aside = remap(a, length, MREMAP_DONTUNMAP, MemorySegment.NULL);
        if (aside == null) {
            return false;
        }
        if (remap(b, length, MREMAP_FIXED | MREMAP_DONTUNMAP, a) == null) {
            moveBack(aside, length, a, 0);
            return false;
        }
        if (remap(aside, length, MREMAP_FIXED, b) == null) {
            moveBack(a, length, b, MREMAP_DONTUNMAP); // b's pages home first, a's still aside
            moveBack(aside, length, a, 0);
            return false;
        }
        return true;
    }

    /** Moves {@code from}'s pages back to {@code to}; {@code flags} keep {@code from} mapped unless it was set aside. */
    private static void moveBack(MemorySegment from, long length, MemorySegment to, int flags) {
        if (remap(from, length, MREMAP_FIXED | flags, to) == null) {
            throw new IllegalStateException("the host refused to move guest pages back to 0x"
                    + Long.toHexString(to.address()));
        }
    }

    /** {@code mremap(from, length, length, MREMAP_MAYMOVE | flags, to)}: where the pages went, or null if refused. */
    private static MemorySegment remap(MemorySegment from, long length, int flags, MemorySegment to) {
        MemorySegment at;
        try {
            at = (MemorySegment) MREMAP.invokeExact(from, length, length, MREMAP_MAYMOVE | flags, to);
        } catch (Throwable t) {
            throw new IllegalStateException("mremap could not be called", t);
        }
        return at.address() == -1L ? null : at; // MAP_FAILED
    }
}
