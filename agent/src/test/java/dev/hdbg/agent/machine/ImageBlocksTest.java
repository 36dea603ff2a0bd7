package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A program exec'd again maps the code block its last load left, with the code translated from it
 * ({@link GuestMemory#mapImage}, {@link ImageBlocks}): only for the very bytes at the very address, never one a process
 * patched, and without letting the new process find translations of code it did not map.
 */
class ImageBlocksTest {
    private static final long CODE = 0x400000;
    private static final long MORE_CODE = 0x500000;
    private static final int RX = Prot.READ | Prot.EXEC;

    @BeforeEach
    void onlyWithTheVerifiedLibrary() {
        KeptCode.requireVerifiedLibrary();
    }

    @Test
    void aProgramExecedAgainMapsTheBlockItsLastLoadLeft() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            AddressSpace first = KeptCode.forkAndExec(memory);

            long before = memory.blocksMoved();
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111)); // the same program again, the first still alive
            memory.imageLoaded();
            assertThat(memory.blocksMoved() - before).as("the first's block, idle on the engine, taken as it was")
                    .isZero();
            assertThat(memory.imageBlocks()).isEqualTo(1);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);

            AddressSpace second = memory.switchTo(first);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            memory.release(memory.switchTo(second)); // the first ends; the block stays the cache's and the second's
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
        }
    }

    @Test
    void otherBytesAtTheSameAddressAreAnotherBlock() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            AddressSpace parent = KeptCode.forkAndExec(memory);

            memory.mapImage("other", CODE, RX, KeptCode.page(0x2222));
            memory.imageLoaded();
            assertThat(memory.imageBlocks()).isEqualTo(2);
            assertThat(MovEaxCode.runAt(machine, CODE)).as("the other program's code").isEqualTo(0x2222);
            memory.switchTo(parent);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
        }
    }

    @Test
    void aPatchOfALoadedImageStaysInItsProcessAndTheNextLoadGetsTheFile() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            memory.write(CODE, MovEaxCode.movEaxHlt(0x3333)); // a debugger's patch: a copy of the process's own
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x3333);
            AddressSpace patched = KeptCode.forkAndExec(memory);

            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(MovEaxCode.runAt(machine, CODE)).as("the program as loaded, not the patch").isEqualTo(0x1111);
            memory.switchTo(patched);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x3333);
        }
    }

    @Test
    void joiningAnImagesContextTakesTheCodeItDidNotMapOffTheEngine() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.mapImage("plugin", MORE_CODE, RX, KeptCode.page(0x4444));
            memory.imageLoaded();
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            assertThat(MovEaxCode.runAt(machine, MORE_CODE)).isEqualTo(0x4444);
            KeptCode.forkAndExec(memory);
            assertThat(memory.isIdle(MORE_CODE)).isTrue();

            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111)); // the same program, without its plugin this time
            memory.imageLoaded();
            assertThat(memory.isIdle(MORE_CODE)).as("the plugin's block left the engine").isFalse();
            machine.write(GuestRegister.RAX, 0);
            assertThatThrownBy(() -> machine.cpu().run(MORE_CODE)).as("nothing mapped there for this process")
                    .isInstanceOf(CpuException.class);
            assertThat(machine.read(GuestRegister.RAX)).as("the plugin's translated code did not run").isZero();
        }
    }

    @Test
    void readOnlyBytesOfAnImageAreOneBlockForEveryProgramThatLoadsThem() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            byte[] constants = KeptCode.page(0x5555);
            memory.mapImage("prog", CODE, RX, KeptCode.page(0x1111));
            memory.mapImage("prog", MORE_CODE, Prot.READ, constants);
            memory.imageLoaded();
            AddressSpace first = KeptCode.forkAndExec(memory);

            memory.mapImage("other", CODE, RX, KeptCode.page(0x2222)); // another program's code, the same constants
            memory.mapImage("other", MORE_CODE, Prot.READ, constants);
            memory.imageLoaded();
            assertThat(memory.imageBlocks()).as("two blocks of code, one of constants").isEqualTo(3);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x2222);

            long before = memory.blocksMoved();
            AddressSpace second = memory.switchTo(first);
            assertThat(memory.blocksMoved() - before).as("the code goes off and on; the constants stay").isEqualTo(2);
            assertThat(memory.read(MORE_CODE, MovEaxCode.LENGTH)).isEqualTo(MovEaxCode.movEaxHlt(0x5555));
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x1111);
            memory.switchTo(second);
            assertThat(MovEaxCode.runAt(machine, CODE)).isEqualTo(0x2222);
        }
    }
}
