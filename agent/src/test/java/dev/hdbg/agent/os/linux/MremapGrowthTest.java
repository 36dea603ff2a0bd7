package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block that realloc grows a page at a time by mremap (busybox sort's line array: 1,364 mremaps for 32 MiB of
 * input). Each page it took from a freed range split an emulator region, never merged again: the regions grew by one
 * a call, and Unicorn's mapping of each new region costs their number (11 % of that sort's run). A moved mapping now
 * has room to grow into ({@code MmapAllocator.Room}): 300 growths added 164 regions before, 5 now.
 */
class MremapGrowthTest {
    private static final int PAGE = 4096;
    private static final int PROT_RW = 3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MREMAP_MAYMOVE = 1;

    @TempDir
    Path root;

    @Test
    void aBlockGrownAPageAtATimeAddsFewRegionsAndKeepsItsBytes() {
        try (Guest g = new Guest(root, false)) {
            long above = g.rax(9, 0, 8 * PAGE, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            long block = g.rax(9, 0, 8 * PAGE, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
            assertThat(block + 8 * PAGE).as("placed top-down, right below: its tail is taken").isEqualTo(above);
            g.machine.memory().write(block, new byte[] {1, 2, 3});
            int regionsBefore = g.machine.unicorn().memRegions().size();
            long size = 8 * PAGE;
            for (int i = 0; i < 300; i++) {
                long grown = g.rax(25, block, size, size + PAGE, MREMAP_MAYMOVE);
                assertThat(grown).isPositive();
                block = grown;
                size += PAGE;
                assertThat(g.machine.memory().read(block + size - PAGE, PAGE)).as("a new page reads zeros").containsOnly(0);
                g.machine.memory().write(block + size - 1, new byte[] {(byte) i}); // dirty it before the next growth
                g.machine.memory().write(block + size - 1, new byte[] {0});
            }
            assertThat(g.machine.memory().read(block, 3)).containsExactly(1, 2, 3);
            int added = g.machine.unicorn().memRegions().size() - regionsBefore;
            assertThat(added).as("regions added by 300 growths").isLessThan(30);

            // Unmapped, the block and its room are inaccessible, as munmap'd pages are.
            assertThat(g.rax(11, block, size)).isZero();
            assertThat(permissionsAt(g, block)).isEqualTo(Prot.NONE);
            assertThat(permissionsAt(g, block + size)).isEqualTo(Prot.NONE);
        }
    }

    @Test
    void aMappingFixedOverARoomIsItsOwnAndTheBlockMovesPastIt() {
        try (Guest g = new Guest(root, false)) {
            long moved = movedBlockOfNinePages(g);
            g.machine.memory().write(moved, new byte[] {7});
            // MAP_FIXED over what follows the block: it is that mapping's now, zeroed.
            long fixed = moved + 9 * PAGE;
            g.machine.memory().write(fixed, new byte[] {9});
            assertThat(g.rax(9, fixed, PAGE, PROT_RW, MAP_PRIVATE_ANONYMOUS | 0x10, -1, 0)).isEqualTo(fixed);
            assertThat(g.machine.memory().read(fixed, 1)).containsExactly(0);
            long again = g.rax(25, moved, 9 * PAGE, 10 * PAGE, MREMAP_MAYMOVE);
            assertThat(again).as("the fixed mapping is not grown over").isNotEqualTo(moved);
            assertThat(g.machine.memory().read(again, 1)).containsExactly(7);
            assertThat(permissionsAt(g, fixed)).isEqualTo(Prot.READ | Prot.WRITE);
        }
    }

    @Test
    void aBlockMadeReadOnlyAfterItMovedGrowsIntoItsRoomReadOnly() {
        try (Guest g = new Guest(root, false)) {
            long moved = movedBlockOfNinePages(g);
            assertThat(g.rax(10, moved, 9 * PAGE, Prot.READ)).isZero();
            assertThat(g.rax(25, moved, 9 * PAGE, 10 * PAGE, MREMAP_MAYMOVE)).as("grown in its room").isEqualTo(moved);
            assertThat(permissionsAt(g, moved + 9 * PAGE)).as("the grown page, as the block is").isEqualTo(Prot.READ);
        }
    }

    /** A block of eight pages, below another so that it cannot grow in place, grown to nine by mremap: moved. */
    private static long movedBlockOfNinePages(Guest g) {
        g.rax(9, 0, 8 * PAGE, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
        long block = g.rax(9, 0, 8 * PAGE, PROT_RW, MAP_PRIVATE_ANONYMOUS, -1, 0);
        return g.rax(25, block, 8 * PAGE, 9 * PAGE, MREMAP_MAYMOVE);
    }

    private static int permissionsAt(Guest g, long address) {
        for (MemoryRegion r : g.machine.unicorn().memRegions()) {
            if (Long.compareUnsigned(address, r.begin()) >= 0 && Long.compareUnsigned(address, r.end()) <= 0) {
                return r.perms();
            }
        }
        throw new AssertionError("not mapped: 0x" + Long.toHexString(address));
    }
}
