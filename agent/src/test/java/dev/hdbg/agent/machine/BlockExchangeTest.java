package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
import org.junit.jupiter.api.Test;

/**
 * A switch between two processes with a private data block each at the same place leaves the block on the engine and
 * gives it the incoming process's bytes ({@link BlockExchange}): the engine, whose TLB still points at that memory,
 * reads the incoming process's values; a block code ran from is moved as before; and a small read-only block shared
 * after a fork is copied for the incoming process when the outgoing one had its own there (an exec'd and a forked
 * half of a pipeline), so that later switches move nothing.
 */
class BlockExchangeTest {
    private static final long CODE = 0x400000;
    private static final long DATA = 0x600000;
    private static final long PAGE = GuestMemory.PAGE;

    /** A page of code at CODE that loads the word at DATA into EAX, and two pages of data, the first word set. */
    private static GuestMemory loaderAndData(Machine machine, int value) {
        GuestMemory memory = machine.memory();
        memory.map("code", CODE, PAGE, Prot.READ | Prot.EXEC);
        memory.write(CODE, MovEaxCode.loadEaxHlt((int) DATA));
        memory.map("data", DATA, 2 * PAGE, Prot.READ | Prot.WRITE);
        memory.write(DATA, le(value));
        return memory;
    }

    private static byte[] le(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    }

    private static int permissionsAt(Machine machine, long address) {
        return machine.unicorn().memRegions().stream().filter(r -> r.begin() <= address && address <= r.end())
                .findFirst().orElseThrow().perms();
    }

    @Test
    void theEngineReadsEachProcesssOwnBytesFromABlockThatStaysOnIt() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = loaderAndData(machine, 0x1111);
            assertThat(MovEaxCode.runAt(machine, CODE)).as("the engine's TLB now holds the data page").isEqualTo(0x1111);
            long moved = memory.blocksMoved();

            AddressSpace parent = memory.switchTo(memory.copy());
            machine.cpu().writeMemory(DATA, le(0x2222)); // the child's own store
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x2222);
            AddressSpace child = memory.switchTo(parent);
            assertThat(MovEaxCode.runAt(machine, CODE)).as("the parent's bytes, through the same TLB entry")
                    .isEqualTo(0x1111);
            parent = memory.switchTo(child);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x2222);
            assertThat(memory.blocksMoved()).as("the code is shared, the data exchanged: nothing moved")
                    .isEqualTo(moved);
            assertThat(memory.blocksExchanged()).isEqualTo(3);

            assertThat(parent.write(DATA + 4, new byte[] {9})).as("a debugger's write to the parent, off the CPU")
                    .isTrue();
            memory.release(memory.switchTo(parent)); // the child ends
            assertThat(memory.read(DATA, 5)).containsExactly(0x11, 0x11, 0, 0, 9);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
        }
    }

    @Test
    void aBlockEitherProcessCanRunCodeFromIsMovedNotExchanged() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = loaderAndData(machine, 0x1111);
            AddressSpace parent = memory.switchTo(memory.copy());
            memory.write(DATA, MovEaxCode.movEaxHlt(0x3333)); // the child writes code there and runs it
            memory.protect(DATA, 2 * PAGE, Prot.READ | Prot.EXEC);
            assertThat(MovEaxCode.runAt(machine, DATA)).isEqualTo(0x3333);
            long moved = memory.blocksMoved();
            long exchanged = memory.blocksExchanged();

            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.blocksMoved() - moved).as("the child's block off, the parent's on").isEqualTo(2);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            memory.switchTo(child);
            assertThat(MovEaxCode.runAt(machine, DATA)).as("the child's code, not translated again from other bytes")
                    .isEqualTo(0x3333);
            assertThat(memory.blocksExchanged()).isEqualTo(exchanged);
        }
    }

    @Test
    void aSmallReadOnlyBlockAForkSharesIsCopiedForTheIncomingProcessWhenTheOutgoingHasItsOwnThere() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.map("relro", DATA, 4 * PAGE, Prot.READ); // the shell's relocated read-only data
            memory.write(DATA, new byte[] {5});
            AddressSpace forked = memory.copy(); // a forked half of a pipeline
            AddressSpace shell = memory.switchTo(memory.copy());
            memory.release(memory.detach()); // the other half execs
            memory.map("relro", DATA, 4 * PAGE, Prot.READ);
            memory.write(DATA, new byte[] {6});
            memory.protect(DATA + PAGE, PAGE, Prot.NONE); // and its own permissions for a page of it
            int shared = memory.sharedBlocks();
            long moved = memory.blocksMoved();

            AddressSpace execed = memory.switchTo(forked);
            assertThat(memory.read(DATA, 1)).containsExactly(5);
            assertThat(permissionsAt(machine, DATA + PAGE)).isEqualTo(Prot.READ);
            assertThat(memory.sharedBlocks()).as("the forked half's block, its own now").isEqualTo(shared - 1);
            forked = memory.switchTo(execed);
            assertThat(memory.read(DATA, 1)).containsExactly(6);
            assertThat(permissionsAt(machine, DATA + PAGE)).isEqualTo(Prot.NONE);
            execed = memory.switchTo(forked);
            assertThat(memory.read(DATA, 1)).containsExactly(5);
            assertThat(memory.blocksMoved()).as("every switch left the block on the engine").isEqualTo(moved);
            assertThat(memory.blocksExchanged()).isEqualTo(3);

            memory.release(execed);
            memory.release(memory.switchTo(shell));
            assertThat(memory.read(DATA, 1)).as("the shell kept its block").containsExactly(5);
        }
    }
}
