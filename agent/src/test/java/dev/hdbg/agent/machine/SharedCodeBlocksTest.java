package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hdbg.agent.unicorn.Prot;
import dev.hdbg.common.event.GuestRegister;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two different programs that map the same bytes at the same address (ld.so, the vDSO, a library's code) share the
 * image cache's block ({@link GuestMemory#mapImage}): it stays on the engine across switches between them, each
 * program's code translated in its own context; and an idle block that holds code of a context leaves the engine when
 * that context runs a process that does not map it ({@link BlockContexts}).
 */
class SharedCodeBlocksTest {
    private static final long MAIN = 0x400000;
    private static final long OTHER_MAIN = 0x600000;
    private static final long LIBRARY = 0x800000;
    private static final int RX = Prot.READ | Prot.EXEC;

    @BeforeEach
    void onlyWithTheVerifiedLibrary() {
        KeptCode.requireVerifiedLibrary();
    }


    /** A program whose code at {@code main} puts {@code value} in EAX, beside the library; both ran. */
    private static void load(Machine machine, long main, int value) {
        GuestMemory memory = machine.memory();
        memory.mapImage("main", main, RX, KeptCode.page(value));
        memory.mapImage("library", LIBRARY, RX, KeptCode.page(0x5555));
        memory.imageLoaded();
        assertThat(MovEaxCode.runAt(machine, main)).isEqualTo(value);
        assertThat(MovEaxCode.runAt(machine, LIBRARY)).isEqualTo(0x5555);
    }

    @Test
    void twoProgramsShareTheLibrarysBlockWhichStaysOnTheEngineBetweenThem() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            load(machine, MAIN, 0x1111);
            AddressSpace first = KeptCode.forkAndExec(memory);
            load(machine, MAIN, 0x2222); // another program at the same address, as two PIE programs are
            assertThat(memory.imageBlocks()).as("two programs, one library").isEqualTo(3);

            long before = memory.blocksMoved();
            AddressSpace second = memory.switchTo(first);
            assertThat(memory.blocksMoved() - before).as("the main programs swap places; the library stays")
                    .isEqualTo(2);
            assertThat(MovEaxCode.runAt(machine, MAIN)).isEqualTo(0x1111);
            assertThat(MovEaxCode.runAt(machine, LIBRARY)).isEqualTo(0x5555);
            memory.switchTo(second);
            assertThat(MovEaxCode.runAt(machine, MAIN)).isEqualTo(0x2222);
            assertThat(MovEaxCode.runAt(machine, LIBRARY)).isEqualTo(0x5555);
        }
    }

    /**
     * A context that ran a shared block only between switches to another holder of it (the block stayed on the engine,
     * never parked by that context) still counts as one whose code the block may hold.
     */
    @Test
    void aBlockThatStayedAcrossASwitchCountsTheContextThatLeftIt() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            AddressSpace shell = KeptCode.forkAndExec(memory); // a shell's first child execs B
            load(machine, OTHER_MAIN, 0x2222);
            AddressSpace b = memory.switchTo(shell);
            shell = KeptCode.forkAndExec(memory); // its second child execs A, which maps the same library
            load(machine, MAIN, 0x1111);
            memory.switchTo(b); // from A straight to B: the library stays on the engine
            assertThat(MovEaxCode.runAt(machine, LIBRARY)).isEqualTo(0x5555);
            memory.switchTo(shell); // B leaves it idle for the shell
            assertThat(memory.isIdle(LIBRARY)).isTrue();

            KeptCode.forkAndExec(memory); // the shell's third child execs A's program again: A's context
            memory.mapImage("main", MAIN, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(memory.isIdle(LIBRARY)).as("A's context ran the library while it stayed, so it leaves")
                    .isFalse();
        }
    }

    @Test
    void anIdleBlockHoldingCodeOfAContextLeavesTheEngineWhenThatContextRunsAProcessWithoutIt() {
        try (Machine machine = new Machine()) {
            GuestMemory memory = machine.memory();
            load(machine, MAIN, 0x1111); // the library's code translated in the first program's context ...
            KeptCode.forkAndExec(memory);
            load(machine, OTHER_MAIN, 0x2222); // ... and in the second's, which parks it when it execs in turn
            KeptCode.forkAndExec(memory);

            // The first program again, in its context by its cached code, without the library.
            memory.mapImage("main", MAIN, RX, KeptCode.page(0x1111));
            memory.imageLoaded();
            assertThat(memory.isIdle(LIBRARY)).as("the library's block, though the second program parked it")
                    .isFalse();
            machine.write(GuestRegister.RAX, 0);
            assertThatThrownBy(() -> machine.cpu().run(LIBRARY)).as("a jump to where the library was")
                    .isInstanceOf(CpuException.class);
            assertThat(machine.read(GuestRegister.RAX)).as("the library's translated code did not run").isZero();
            assertThat(MovEaxCode.runAt(machine, MAIN)).isEqualTo(0x1111);
        }
    }
}
