package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.GuestMemory;
import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mmap as ld.so uses it for a library: the whole file reserved read-only, then its code mapped with {@code MAP_FIXED}
 * into the reservation, which maps the image cache's block for those bytes ({@link MmapAllocator#mapFixedImage}), with
 * the file's bytes, zeros past its end, and a process's later use of the range its own.
 */
class LibraryCodeMappingTest {
    private static final int PAGE = (int) GuestMemory.PAGE;
    private static final int AT_FDCWD = -100;
    private static final int READ = 1;
    private static final int READ_EXEC = 5;
    private static final int PRIVATE = 2;
    private static final int FIXED = 0x10;
    private static final int ANONYMOUS = 0x20;

    @TempDir
    Path root;

    /** Constants (0xaa), code (0xc3 ...), and a last page of which only 100 bytes are the file's. */
    private Guest guestWithLibrary() throws Exception {
        byte[] file = new byte[2 * PAGE + 100];
        Arrays.fill(file, 0, PAGE, (byte) 0xaa);
        Arrays.fill(file, PAGE, 2 * PAGE, (byte) 0xc3);
        Arrays.fill(file, 2 * PAGE, file.length, (byte) 0xcc);
        Files.write(Files.createDirectories(root.resolve("lib")).resolve("libx.so"), file);
        return new Guest(root, false);
    }

    private static long reserveAndMapCode(Guest g, long fd, int codePages) {
        long base = g.rax(9, 0, 3L * PAGE, READ, PRIVATE, fd, 0);
        assertThat(g.rax(9, base + PAGE, (long) codePages * PAGE, READ_EXEC, PRIVATE | FIXED, fd, PAGE))
                .isEqualTo(base + PAGE);
        return base;
    }

    private static int permsAt(Guest g, long address) {
        return g.machine.unicorn().memRegions().stream().filter(r -> r.begin() <= address && address <= r.end())
                .mapToInt(MemoryRegion::perms).findFirst().orElseThrow();
    }

    @Test
    void aLibrarysCodeMapsTheCachedBlockWithTheFilesBytesAndZerosPastItsEnd() throws Exception {
        try (Guest g = guestWithLibrary()) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libx.so"), 0, 0);
            long base = reserveAndMapCode(g, fd, 2);
            GuestMemory memory = g.machine.memory();
            assertThat(memory.imageBlocks()).isEqualTo(1);
            assertThat(memory.read(base, 1)).containsExactly(0xaa);
            assertThat(memory.read(base + PAGE, 1)).containsExactly(0xc3);
            assertThat(memory.read(base + 2 * PAGE + 99, 2)).as("the file's last byte, then zeros")
                    .containsExactly(0xcc, 0);
            assertThat(permsAt(g, base)).isEqualTo(Prot.READ);
            assertThat(permsAt(g, base + PAGE)).isEqualTo(Prot.READ | Prot.EXEC);
            assertThat(g.process.mappings().at(base + PAGE)).as("in /proc/self/maps")
                    .hasValueSatisfying(kind -> assertThat(kind.offset()).isEqualTo(PAGE));
        }
    }

    @Test
    void theRangeReusedAfterAnUnmapIsTheProcesssOwnAndTheNextLoadGetsTheFilesBytes() throws Exception {
        try (Guest g = guestWithLibrary()) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libx.so"), 0, 0);
            long base = reserveAndMapCode(g, fd, 1);
            g.rax(11, base, 3L * PAGE); // dlclose
            long reused = g.rax(9, base + PAGE, PAGE, 3, PRIVATE | ANONYMOUS | FIXED, -1, 0);
            assertThat(reused).isEqualTo(base + PAGE);
            GuestMemory memory = g.machine.memory();
            assertThat(memory.read(reused, 1)).as("zeroed, as new anonymous memory is").containsExactly(0);
            memory.write(reused, new byte[] {0x11});

            g.rax(11, reused, PAGE);
            long again = reserveAndMapCode(g, fd, 1);
            assertThat(memory.read(again + PAGE, 1)).as("the cached block kept the file's bytes").containsExactly(0xc3);
        }
    }

    @Test
    void fixedNoReplaceOverTheReservationStillFailsWithEexist() throws Exception {
        try (Guest g = guestWithLibrary()) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libx.so"), 0, 0);
            long base = g.rax(9, 0, 3L * PAGE, READ, PRIVATE, fd, 0);
            int eexist = 17;
            int fixedNoReplace = 0x100000;
            assertThat(g.rax(9, base + PAGE, PAGE, READ_EXEC, PRIVATE | fixedNoReplace, fd, PAGE)).isEqualTo(-eexist);
            assertThat(g.machine.memory().read(base + PAGE, 1)).as("the reservation's byte").containsExactly(0xc3);
            assertThat(g.machine.memory().imageBlocks()).isZero();
        }
    }

    @Test
    void codeMappedWhereNothingWasReservedIsMappedAsBefore() throws Exception {
        try (Guest g = guestWithLibrary()) {
            long fd = g.rax(257, AT_FDCWD, g.string("/lib/libx.so"), 0, 0);
            long address = 0x6000_0000L;
            assertThat(g.rax(9, address, PAGE, READ_EXEC, PRIVATE | FIXED, fd, PAGE)).isEqualTo(address);
            assertThat(g.machine.memory().read(address, 1)).containsExactly(0xc3);
            assertThat(g.machine.memory().imageBlocks()).as("not reserved by ld.so: a copy, not cached").isZero();
        }
    }
}
