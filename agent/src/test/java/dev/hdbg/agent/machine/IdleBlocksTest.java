package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process's code stays on the engine, inaccessible, while a program of another translation context runs (a shell's
 * child after exec), and runs again without being mapped anew when the process comes back ({@link IdleBlocks}); no
 * other program can run it, reach it or find its translations, and it leaves the engine when a mapping needs its
 * addresses or its bytes change.
 */
class IdleBlocksTest {
    private static final long PARENT_CODE = 0x400000;
    private static final long CHILD_CODE = 0x800000;

    @BeforeEach
    void onlyWithTheVerifiedLibrary() {
        KeptCode.requireVerifiedLibrary();
    }

    /** A parent whose code at PARENT_CODE ran (so was translated), and a child that forked and then exec'd. */
    private AddressSpace parentAndExecedChild(Machine machine, int childValue, long childCode) {
        GuestMemory memory = machine.memory();
        memory.map("code", PARENT_CODE, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
        memory.write(PARENT_CODE, MovEaxCode.movEaxHlt(0x1111));
        assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).isEqualTo(0x1111);
        AddressSpace parent = memory.switchTo(memory.copy());
        memory.release(memory.detach()); // the child's execve
        memory.map("code", childCode, GuestMemory.PAGE, Prot.READ | Prot.EXEC);
        memory.write(childCode, MovEaxCode.movEaxHlt(childValue));
        return parent;
    }

    @Test
    void theParentsCodeWaitsOnTheEngineWhileTheExecedChildRunsAndComesBackAsItWas() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            AddressSpace parent = parentAndExecedChild(machine, 0x2222, CHILD_CODE);
            assertThat(memory.idleBlocks()).as("the parent's code, shared with the child before its exec").isEqualTo(1);
            assertThat(MovEaxCode.runAt(machine, CHILD_CODE)).isEqualTo(0x2222);

            long before = memory.blocksMoved();
            AddressSpace child = memory.switchTo(parent);
            assertThat(memory.blocksMoved() - before).as("no block mapped or unmapped: the child's code went idle, the "
                    + "parent's woke").isZero();
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).isEqualTo(0x1111);
            assertThat(memory.idleBlocks()).as("now the child's").isEqualTo(1);
            memory.switchTo(child);
            assertThat(MovEaxCode.runAt(machine, CHILD_CODE)).isEqualTo(0x2222);
        }
    }

    @Test
    void noOtherProgramCanRunOrReadAnIdleBlock() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            parentAndExecedChild(machine, 0x2222, CHILD_CODE);
            assertThat(memory.isMapped(PARENT_CODE, 1)).as("to the child, nothing is there").isFalse();
            assertThat(memory.isIdle(PARENT_CODE)).isTrue();
            machine.write(GuestRegister.RAX, 0);
            assertThatThrownBy(() -> machine.cpu().run(PARENT_CODE)).as("a jump to where the parent's code waits")
                    .isInstanceOf(CpuException.class);
            assertThat(machine.read(GuestRegister.RAX)).as("the parent's translated code did not run").isZero();
        }
    }

    @Test
    void aMappingOverAnIdleBlockEvictsItAndTheParentMapsItsCodeAgain() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            // the child's code where the parent's was
            AddressSpace parent = parentAndExecedChild(machine, 0x2222, PARENT_CODE);
            assertThat(memory.idleBlocks()).isZero();
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).as("the child's own code, not the parent's translation")
                    .isEqualTo(0x2222);
            AddressSpace child = memory.switchTo(parent);
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).isEqualTo(0x1111);
            memory.switchTo(child);
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).isEqualTo(0x2222);
        }
    }

    @Test
    void aWriteToAnIdleBlockOffTheCpuEvictsItSoThatItsNewCodeRuns() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            AddressSpace parent = parentAndExecedChild(machine, 0x2222, CHILD_CODE);
            AddressSpace child = memory.switchTo(parent); // back to the parent, its code translated ...
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).isEqualTo(0x1111);
            assertThat(child.regions()).isNotEmpty();
            AddressSpace back = memory.detach(); // ... and off the CPU again, idle (a program of its own comes next)
            assertThat(memory.isIdle(PARENT_CODE)).isTrue();

            assertThat(back.write(PARENT_CODE, MovEaxCode.movEaxHlt(0x3333))).as("a debugger's patch").isTrue();
            assertThat(memory.isIdle(PARENT_CODE)).as("evicted with its translations").isFalse();
            memory.attach(back);
            assertThat(MovEaxCode.runAt(machine, PARENT_CODE)).as("the patched code, not the old translation").isEqualTo(0x3333);
        }
    }

    @Test
    void aProcessThatEndsTakesItsIdleCodeOffTheEngine() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            AddressSpace parent = parentAndExecedChild(machine, 0x2222, CHILD_CODE);
            memory.release(parent);
            assertThat(memory.idleBlocks()).isZero();
            assertThat(machine.unicorn().memRegions()).as("nothing of the parent left on the engine")
                    .noneMatch(r -> r.begin() <= PARENT_CODE && PARENT_CODE <= r.end());
            assertThat(MovEaxCode.runAt(machine, CHILD_CODE)).isEqualTo(0x2222);
        }
    }
}
