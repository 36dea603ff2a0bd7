package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.MemoryRegion;
import dev.hdbg.agent.unicorn.Prot;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A library as ld.so maps it: one block reserved for the whole of it, made partly executable and partly writable. At a
 * switch to another program the block is cut into its kinds, so that its code may idle while the other program runs.
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
        assertThat(dev.hdbg.agent.unicorn.Unicorn.translationContextsRefused()).as("Debian's libunicorn 2.0.1")
                .isEmpty();
    }

    private static byte[] page(int value) {
        return Arrays.copyOf(MovEaxCode.movEaxHlt(value), (int) GuestMemory.PAGE);
    }



    private static List<MemoryRegion> engineRegions(Machine machine) {
        return machine.unicorn().memRegions().stream()
                .filter(r -> r.begin() >= LIBRARY && r.end() < LIBRARY + 3 * GuestMemory.PAGE).toList();
    }

    @Test
    void aMixedBlocksCodeIdlesWhileAnotherProgramRunsAndComesBackWithItsPermissions() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("mmap libx.so", LIBRARY, 3 * GuestMemory.PAGE, RW); // one block: constants, code, data
            memory.write(CODE, page(0x5555));
            memory.protect(LIBRARY, GuestMemory.PAGE, Prot.READ);
            memory.protect(CODE, GuestMemory.PAGE, RX);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);

            AddressSpace library = memory.detach(); // another program gets the CPU
            assertThat(memory.isIdle(CODE)).as("the code, cut from the block's writable page").isTrue();
            assertThat(memory.isIdle(DATA)).isFalse();
            memory.map("other", OTHER, GuestMemory.PAGE, RX);
            memory.write(OTHER, page(0x7777));
            assertThat(MovEaxCode.runAt(machine, OTHER)).isEqualTo(0x7777);

            memory.switchTo(library);
            assertThat(engineRegions(machine)).extracting(MemoryRegion::perms)
                    .containsExactly(Prot.READ, RX, RW);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x5555);
        }
    }
}
