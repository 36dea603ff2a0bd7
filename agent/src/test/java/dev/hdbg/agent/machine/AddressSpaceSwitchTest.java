package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.Test;

/**
 * Processes take turns on the one CPU by swapping their regions ({@link GuestMemory#detach}, {@link GuestMemory#attach}):
 * after a swap, the code at an address is the new process's, though Unicorn 2.0.1 keeps translated blocks across
 * {@code uc_mem_unmap}; a fork's copy is the parent's bytes in memory of its own.
 */
class AddressSpaceSwitchTest {
    private static final long CODE = 0x400000;
    private static final long DATA = 0x600000;

    private static long runCode(Machine machine) {
        machine.cpu().run(CODE); // in ring 0 on this bare machine, the hlt ends the run
        assertThat(machine.rip()).isEqualTo(CODE + MovEaxCode.LENGTH);
        return machine.read(GuestRegister.RAX);
    }

    @Test
    void afterASwitchTheCodeAtAnAddressIsTheNewProcesss() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x1111));
            for (int run = 0; run < 3; run++) { // translated, then found in the caches and chained
                assertThat(runCode(machine)).isEqualTo(0x1111);
            }

            AddressSpace first = memory.detach();
            assertThat(memory.isMapped(CODE, 1)).isFalse();
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x2222));
            assertThat(runCode(machine)).as("the second process's code, not the first's translation").isEqualTo(0x2222);

            AddressSpace second = memory.detach();
            memory.attach(first);
            assertThat(runCode(machine)).as("back to the first process").isEqualTo(0x1111);
            memory.detach();
            memory.attach(second);
            assertThat(runCode(machine)).isEqualTo(0x2222);
            memory.release(first);
        }
    }

    @Test
    void aCopyHoldsTheParentsBytesAndWritesStayInTheirOwnSpace() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("data", DATA, 4 * GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            memory.write(DATA + GuestMemory.PAGE + 8, new byte[] {1, 2, 3});

            AddressSpace child = memory.copy();
            assertThat(child.regions()).isEqualTo(memory.regions());
            memory.write(DATA + GuestMemory.PAGE + 8, new byte[] {9});
            AddressSpace parent = memory.detach();
            memory.attach(child);
            assertThat(memory.read(DATA + GuestMemory.PAGE + 8, 3)).containsExactly(1, 2, 3);
            assertThat(memory.read(DATA, 8)).containsOnly(0);
            memory.write(DATA, new byte[] {7});
            memory.detach();
            memory.attach(parent);
            assertThat(memory.read(DATA, 1)).containsExactly(0);
            assertThat(memory.read(DATA + GuestMemory.PAGE + 8, 3)).containsExactly(9, 2, 3);
            memory.release(child);
        }
    }
}
