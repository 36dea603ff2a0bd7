package dev.hdbg.agent.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.unicorn.Prot;
import org.junit.jupiter.api.Test;

/** The heap on a real machine: few emulator regions however it grows, zero pages whenever it grows. */
class ProgramBreakTest {
    private static final long IMAGE = 0x400000;
    private static final long START = 0x600123;
    /** glibc's usual sbrk step: the request plus M_TOP_PAD. */
    private static final long GLIBC_STEP = 132 * 1024;

    @Test
    void aHeapGrowingByGlibcStepsTo512MibUsesAFewDozenRegions() {
        try (Machine machine = imageMachine()) {
            int before = machine.unicorn().memRegions().size();
            ProgramBreak brk = new ProgramBreak(machine.memory(), new RegionBudget(machine.unicorn(), machine.memory()::isIdle), START);
            long end = START + (512L << 20);
            for (long b = START + GLIBC_STEP; b < end; b += GLIBC_STEP) {
                assertThat(brk.move(b)).isEqualTo(b);
            }
            // One region a step would be 3971; doubling up to 16 MiB a step makes it 7 + 31.
            assertThat(machine.unicorn().memRegions().size() - before).isLessThan(48);
        }
    }

    @Test
    void pagesTheHeapGrowsIntoReadZeroEvenWhereTheGuestWrotePastItsBreak() {
        try (Machine machine = imageMachine()) {
            ProgramBreak brk = new ProgramBreak(machine.memory(), new RegionBudget(machine.unicorn(), machine.memory()::isIdle), START);
            brk.move(START + 0x10_0000);
            brk.move(START + 0x10_1000); // a page more: maps as much again, ahead of the break
            long past = ProgramBreak.roundUp(START + 0x10_1000) + 0x100;
            assertThat(machine.memory().isMapped(past, 8)).as("mapped ahead").isTrue();
            machine.memory().write(past, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

            assertThat(brk.move(past + 8)).isEqualTo(past + 8);
            assertThat(machine.memory().read(past, 8)).containsOnly(0);
        }
    }

    @Test
    void withNoRegionLeftTheBreakStaysWhereItIs() {
        try (Machine machine = imageMachine()) {
            int regions = machine.unicorn().memRegions().size();
            ProgramBreak brk = new ProgramBreak(machine.memory(), new RegionBudget(machine.unicorn(), regions + 1), START);
            long first = START + 0x1000;
            assertThat(brk.move(first)).isEqualTo(first);
            long beyond = START + (64L << 20);
            assertThat(brk.move(beyond)).as("a second region would pass the budget").isEqualTo(first);
            assertThat(brk.current()).isEqualTo(first);
        }
    }

    private static Machine imageMachine() {
        Machine machine = new Machine();
        machine.memory().map("image", IMAGE, 0x201000, Prot.READ | Prot.WRITE);
        return machine;
    }
}
