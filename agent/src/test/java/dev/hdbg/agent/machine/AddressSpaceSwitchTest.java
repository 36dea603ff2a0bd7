package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
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
        return MovEaxCode.runAt(machine, CODE);
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

    /** {@code machine}'s memory with a page of code at CODE that puts {@code value} in EAX, run once (so translated). */
    private static GuestMemory codeRun(Machine machine, int value) {
        GuestMemory memory = machine.memory();
        memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
        memory.write(CODE, MovEaxCode.movEaxHlt(value));
        assertThat(runCode(machine)).isEqualTo(value);
        return memory;
    }

    /** The engine's permissions at {@code address}. */
    private static int permissionsAt(Machine machine, long address) {
        return machine.unicorn().memRegions().stream().filter(r -> r.begin() <= address && address <= r.end())
                .findFirst().orElseThrow().perms();
    }

    @Test
    void aForksReadOnlyBlocksStayOnTheCpuAcrossSwitchesAndItsWritableOnesTradeBytes() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.map("data", DATA, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x1111));
            assertThat(runCode(machine)).isEqualTo(0x1111);

            AddressSpace child = memory.copy();
            assertThat(memory.sharedBlocks()).isEqualTo(1);
            long before = memory.blocksMoved();
            AddressSpace parent = memory.switchTo(child);
            assertThat(memory.blocksMoved() - before).as("the code stays; the data block stays with the child's bytes")
                    .isZero();
            assertThat(memory.blocksExchanged()).isEqualTo(1);
            assertThat(runCode(machine)).isEqualTo(0x1111);
            memory.release(memory.switchTo(parent)); // the child ends
            assertThat(memory.blocksMoved() - before).isZero();
            assertThat(memory.blocksExchanged()).isEqualTo(2);
            assertThat(memory.sharedBlocks()).as("the parent alone holds the code again").isZero();
            assertThat(runCode(machine)).isEqualTo(0x1111);
        }
    }

    @Test
    void aWriteToASharedBlockGivesTheWriterACopyAndTheOtherKeepsItsCode() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = codeRun(machine, 0x1111);

            AddressSpace parent = memory.switchTo(memory.copy());
            memory.write(CODE, MovEaxCode.movEaxHlt(0x2222)); // a debugger patches the child's code
            assertThat(memory.sharedBlocks()).isZero();
            assertThat(runCode(machine)).as("the child's patched code").isEqualTo(0x2222);
            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.read(CODE, MovEaxCode.LENGTH)).containsExactly(MovEaxCode.movEaxHlt(0x1111));
            assertThat(runCode(machine)).as("the parent's code, not the child's translation").isEqualTo(0x1111);
            parent = memory.switchTo(child);
            assertThat(runCode(machine)).isEqualTo(0x2222);
            memory.release(parent);
        }
    }

    @Test
    void makingASharedBlockWritableCopiesItBeforeTheGuestCanStoreThere() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("rodata", DATA, 2 * GuestMemory.PAGE, Prot.READ);
            memory.write(DATA, new byte[] {5});

            AddressSpace parent = memory.switchTo(memory.copy());
            memory.protect(DATA, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            machine.cpu().writeMemory(DATA, new byte[] {6}); // as the child's own store would, past GuestMemory
            assertThat(permissionsAt(machine, DATA)).isEqualTo(Prot.READ | Prot.WRITE);
            assertThat(permissionsAt(machine, DATA + GuestMemory.PAGE)).as("the copy keeps the rest's permissions")
                    .isEqualTo(Prot.READ);
            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.read(DATA, 1)).containsExactly(5);
            assertThat(permissionsAt(machine, DATA)).isEqualTo(Prot.READ);
            memory.release(memory.switchTo(child));
            assertThat(memory.read(DATA, 1)).containsExactly(6);
        }
    }

    @Test
    void eachProcessKeepsItsOwnPermissionsOfASharedBlock() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("code", CODE, 2 * GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x1111));

            AddressSpace parent = memory.switchTo(memory.copy());
            memory.protect(CODE, GuestMemory.PAGE, Prot.NONE); // the child unmaps the first page
            assertThat(memory.sharedBlocks()).as("taking permissions away needs no copy").isEqualTo(1);
            AddressSpace child = memory.switchTo(parent);
            assertThat(permissionsAt(machine, CODE)).isEqualTo(Prot.READ | Prot.EXEC);
            assertThat(runCode(machine)).isEqualTo(0x1111);
            parent = memory.switchTo(child);
            assertThat(permissionsAt(machine, CODE)).isEqualTo(Prot.NONE);
            assertThat(permissionsAt(machine, CODE + GuestMemory.PAGE)).isEqualTo(Prot.READ | Prot.EXEC);
            memory.release(parent);
        }
    }

    @Test
    void listenersLearnWhichBlocksAreSharedSoThatNoMirrorWritesThroughToAnotherProcess() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            java.util.List<String> told = new java.util.ArrayList<>();
            memory.addMappingListener(new GuestMemory.MappingListener() {
                @Override
                public void mapped(long address, java.lang.foreign.MemorySegment block, int perms, boolean shared) {
                    told.add("mapped " + Long.toHexString(address) + (shared ? " shared" : ""));
                }

                @Override
                public void unmapped(long address, long size) {
                    told.add("unmapped " + Long.toHexString(address));
                }

                @Override
                public void sharingChanged(long address, java.lang.foreign.MemorySegment block, boolean shared) {
                    told.add((shared ? "shared " : "own ") + Long.toHexString(address));
                }
            });
            AddressSpace child = memory.copy();
            memory.release(child);
            AddressSpace parent = memory.switchTo(memory.copy());
            memory.write(CODE, new byte[] {1});
            memory.release(memory.switchTo(parent));
            assertThat(told).containsExactly("mapped 400000", "shared 400000", "own 400000", "shared 400000",
                    "unmapped 400000", "mapped 400000", "unmapped 400000", "mapped 400000");
        }
    }

    @Test
    void aProgramExecedOverItsParentsCodeRunsItsOwnAndTheParentGetsItsBack() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = codeRun(machine, 0x1111);

            AddressSpace parent = memory.switchTo(memory.copy());
            memory.release(memory.detach());
            memory.map("code", CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC); // the same address, another program
            memory.write(CODE, MovEaxCode.movEaxHlt(0x2222));
            assertThat(runCode(machine)).as("the new program's code, not the parent's translation").isEqualTo(0x2222);
            AddressSpace child = memory.switchTo(parent);
            assertThat(runCode(machine)).isEqualTo(0x1111);
            parent = memory.switchTo(child);
            assertThat(runCode(machine)).isEqualTo(0x2222);
            memory.release(parent); // the parent ends first: its block, no longer on the engine, is freed
            assertThat(runCode(machine)).isEqualTo(0x2222);
        }
    }

    /**
     * ld.so maps a library as one block, then makes its code executable and its data writable: a fork shares the code
     * pages of such a block and copies its data pages (the block is sliced where the engine's permissions change).
     */
    @Test
    void aBlockWithCodeAndDataSharesItsCodeAndCopiesItsData() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("lib", CODE, 3 * GuestMemory.PAGE, Prot.READ);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x1111));
            memory.protect(CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
            memory.protect(CODE + GuestMemory.PAGE, 2 * GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            memory.write(CODE + GuestMemory.PAGE, new byte[] {1});
            assertThat(runCode(machine)).isEqualTo(0x1111);

            AddressSpace child = memory.copy();
            assertThat(memory.sharedBlocks()).as("the code page").isEqualTo(1);
            long before = memory.blocksMoved();
            AddressSpace parent = memory.switchTo(child);
            assertThat(memory.blocksMoved() - before).as("the data pages stay, with the child's bytes").isZero();
            assertThat(memory.blocksExchanged()).isEqualTo(1);
            assertThat(runCode(machine)).isEqualTo(0x1111);
            machine.cpu().writeMemory(CODE + GuestMemory.PAGE, new byte[] {2}); // the child's own store
            assertThat(permissionsAt(machine, CODE)).isEqualTo(Prot.READ | Prot.EXEC);
            assertThat(permissionsAt(machine, CODE + 2 * GuestMemory.PAGE)).isEqualTo(Prot.READ | Prot.WRITE);
            child = memory.switchTo(parent);
            assertThat(memory.read(CODE + GuestMemory.PAGE, 1)).containsExactly(1);
            assertThat(runCode(machine)).isEqualTo(0x1111);
            memory.release(child);
            assertThat(memory.regions()).as("the region list still names one block")
                    .singleElement().satisfies(r -> assertThat(r.end() - r.begin()).isEqualTo(3 * GuestMemory.PAGE));
        }
    }

    @Test
    void theProgramsSharedMemoryStaysOneAcrossForkUntilAProcessReplacesIt() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("shm", DATA, GuestMemory.PAGE, Prot.READ | Prot.WRITE);
            memory.markShared(DATA);
            AddressSpace parent = memory.switchTo(memory.copy());
            assertThat(memory.sharedBlocks()).isEqualTo(1);
            memory.write(DATA, new byte[] {5}); // a write through GuestMemory keeps it shared
            machine.cpu().writeMemory(DATA + 1, new byte[] {6}); // as the child's store would
            assertThat(memory.sharesWith(DATA, parent, DATA)).isTrue();
            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.read(DATA, 2)).containsExactly(5, 6);
            memory.privatize(DATA, GuestMemory.PAGE); // the parent maps something else over it (MAP_FIXED)
            memory.write(DATA, new byte[] {9});
            assertThat(memory.sharesWith(DATA, child, DATA)).isFalse();
            parent = memory.switchTo(child);
            assertThat(memory.read(DATA, 1)).as("the child's is as it was").containsExactly(5);
            memory.release(parent);
        }
    }
}
