package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A library as ld.so maps it: one block reserved for the whole of it, then its code mapped into the middle. The code
 * becomes the image cache's block ({@link GuestMemory#mapImageOver}), which another program mapping the same library
 * at the same place shares; and a program's mixed block is cut into its kinds at a switch, so that its code may idle
 * while another program runs.
 */
class LibraryCodeBlocksTest {
    private static final long LIBRARY = 0x7000_0000L;
    private static final long CODE = LIBRARY + GuestMemory.PAGE;
    private static final long DATA = LIBRARY + 2 * GuestMemory.PAGE;
    private static final long OTHER = 0x400000;
    private static final int RX = Prot.READ | Prot.EXEC;
    private static final int RW = Prot.READ | Prot.WRITE;

    @BeforeEach
    void onlyWithTheVerifiedLibrary() {
        KeptCode.requireVerifiedLibrary();
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[(int) GuestMemory.PAGE];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    /** ld.so's reservation of three pages, read-only, with the file's bytes around where the code goes. */
    private static void reserve(GuestMemory memory) {
        memory.map("mmap libx.so", LIBRARY, 3 * GuestMemory.PAGE, Prot.READ);
        memory.write(LIBRARY, filled(0xaa));
        memory.write(DATA, filled(0xbb));
    }

    private static List<MemoryRegion> engineRegions(Machine machine) {
        return machine.unicorn().memRegions().stream()
                .filter(r -> r.begin() >= LIBRARY && r.end() < LIBRARY + 3 * GuestMemory.PAGE).toList();
    }

    @Test
    void theCodeMappedIntoTheReservationIsTheCachedBlockAndTheRestStaysAsItWas() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            reserve(memory);
            assertThat(memory.mapImageOver("mmap libx.so", CODE, RX, KeptCode.page(0x5555))).isTrue();
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
            assertThat(memory.read(LIBRARY, 2)).containsExactly(0xaa, 0xaa);
            assertThat(memory.read(DATA + GuestMemory.PAGE - 2, 2)).containsExactly(0xbb, 0xbb);
            assertThat(engineRegions(machine)).extracting(MemoryRegion::perms)
                    .containsExactly(Prot.READ, RX, Prot.READ);
            assertThat(memory.regions()).filteredOn(r -> r.contains(LIBRARY) || r.contains(CODE) || r.contains(DATA))
                    .extracting(MemoryRegionInfo::name).containsOnly("mmap libx.so").hasSize(3);
            assertThat(memory.imageBlocks()).isEqualTo(1);
        }
    }

    @Test
    void anotherProgramMappingTheSameLibraryThereSharesItsCodeBlockAcrossSwitches() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            reserve(memory);
            memory.mapImageOver("mmap libx.so", CODE, RX, KeptCode.page(0x5555));
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
            AddressSpace first = memory.switchTo(memory.copy());
            memory.release(memory.detach()); // a child that execs another program, which maps the same library
            reserve(memory);
            assertThat(memory.mapImageOver("mmap libx.so", CODE, RX, KeptCode.page(0x5555))).isTrue();
            assertThat(memory.imageBlocks()).as("the first program's block").isEqualTo(1);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);

            long before = memory.blocksMoved();
            AddressSpace second = memory.switchTo(first);
            assertThat(memory.blocksMoved() - before).as("the two reservations' pieces trade bytes; the code stays")
                    .isZero();
            assertThat(memory.blocksExchanged()).isEqualTo(2);
            assertThat(memory.read(LIBRARY, 1)).containsExactly(0xaa);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
            memory.switchTo(second);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
        }
    }

    @Test
    void aReservationAForkedChildSharesIsNotCut() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            reserve(memory);
            AddressSpace parent = memory.switchTo(memory.copy()); // the read-only reservation, shared with the child
            assertThat(memory.mapImageOver("mmap libx.so", CODE, RX, KeptCode.page(0x5555))).isFalse();
            assertThat(memory.read(CODE, 2)).as("nothing changed").containsExactly(0, 0);
            assertThat(memory.imageBlocks()).isZero();
            memory.switchTo(parent);
            assertThat(memory.read(LIBRARY, 1)).containsExactly(0xaa);
        }
    }

    @Test
    void aMixedBlocksCodeIdlesWhileAnotherProgramRunsAndComesBackWithItsPermissions() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("mmap libx.so", LIBRARY, 3 * GuestMemory.PAGE, RW); // one block: constants, code, data
            memory.write(CODE, KeptCode.page(0x5555));
            memory.protect(LIBRARY, GuestMemory.PAGE, Prot.READ);
            memory.protect(CODE, GuestMemory.PAGE, RX);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);

            AddressSpace library = memory.detach(); // another program gets the CPU
            assertThat(memory.isIdle(CODE)).as("the code, cut from the block's writable page").isTrue();
            assertThat(memory.isIdle(DATA)).isFalse();
            memory.map("other", OTHER, GuestMemory.PAGE, RX);
            memory.write(OTHER, KeptCode.page(0x7777));
            assertThat(MovEaxCode.runAt(machine, OTHER)).isEqualTo(0x7777);

            memory.switchTo(library);
            assertThat(engineRegions(machine)).extracting(MemoryRegion::perms)
                    .containsExactly(Prot.READ, RX, RW);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
        }
    }
}
