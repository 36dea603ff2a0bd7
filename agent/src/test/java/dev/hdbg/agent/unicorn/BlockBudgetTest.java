package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A run limited to a number of blocks ({@link Unicorn#limitBlocks}, the guest's time slices) stops before the next
 * block, exactly: resumed from RIP, no instruction runs twice and none is skipped, and where a slice ends depends only
 * on the program. Without a limit the same hook lets a run go on.
 */
class BlockBudgetTest {
    // loop: lock inc qword [rdi] ; inc rbx ; dec rcx ; jnz loop (one block an iteration) ; hlt
    private static final String LOOP = "f0 48 ff 07 48 ff c3 48 ff c9 75 f4 f4";
    private static final long HLT = Guest.CODE + 12;

    private static long counter(Unicorn unicorn) {
        return ByteBuffer.wrap(unicorn.memRead(Guest.DATA, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static Unicorn loopOf(long iterations) {
        Unicorn unicorn = Guest.withCode(LOOP);
        unicorn.regWrite(X86Reg.RDI, Guest.DATA);
        unicorn.regWrite(X86Reg.RCX, iterations);
        return unicorn;
    }

    @Test
    void aRunStopsBeforeTheBlockPastItsBudgetAndResumesWithoutRunningAnInstructionTwice() {
        try (Unicorn unicorn = loopOf(100_000)) {
            unicorn.limitBlocks(1_000);
            unicorn.emuStart(Guest.CODE, -1L, 0, 0);
            assertThat(unicorn.blockBudgetSpent()).isTrue();
            assertThat(unicorn.regRead(X86Reg.RIP)).as("at the block not begun").isEqualTo(Guest.CODE);
            assertThat(counter(unicorn)).as("one iteration a block").isEqualTo(1_000);

            int slices = 1;
            while (unicorn.regRead(X86Reg.RIP) != HLT + 1) {
                unicorn.limitBlocks(777);
                unicorn.emuStart(unicorn.regRead(X86Reg.RIP), -1L, 0, 0);
                slices++;
            }
            assertThat(unicorn.blockBudgetSpent()).as("the last slice ended at the hlt").isFalse();
            assertThat(counter(unicorn)).as("the locked increments").isEqualTo(100_000);
            assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(100_000);
            assertThat(slices).as("1,000 blocks, then 777 a slice, the hlt's block last")
                    .isEqualTo(1 + (99_000 + 1 + 776) / 777);
        }
    }

    // loop: lock inc qword [rdi] ; jmp next ; next: inc rbx ; dec rcx ; jnz loop ; hlt: two chained blocks a turn
    private static final String TWO_BLOCKS = "f0 48 ff 07 eb 00 48 ff c3 48 ff c9 75 f2 f4";

    /**
     * Runs TWO_BLOCKS 50,000 times in slices of {@code budget} blocks, counted by the budget where it may, else by
     * instructions; returns how many slices stopped before the second block.
     */
    private static int slicesOfTwoBlocks(Unicorn unicorn, int budget) {
        unicorn.regWrite(X86Reg.RDI, Guest.DATA);
        unicorn.regWrite(X86Reg.RCX, 50_000);
        long rip = Guest.CODE;
        int stopsAtTheSecond = 0;
        while (rip != Guest.CODE + 15) {
            boolean counted = unicorn.limitBlocks(budget);
            unicorn.emuStart(rip, -1L, 0, counted ? 0 : budget * 3L);
            rip = unicorn.regRead(X86Reg.RIP);
            stopsAtTheSecond += rip == Guest.CODE + 6 ? 1 : 0;
        }
        assertThat(counter(unicorn)).as("the locked increments").isEqualTo(50_000);
        assertThat(unicorn.regRead(X86Reg.RBX)).isEqualTo(50_000);
        return stopsAtTheSecond;
    }

    /** A stop before the second of two chained blocks leaves RIP there: the engine restores it from the block. */
    @Test
    void aStopBeforeAChainedBlockLeavesRipAtThatBlock() {
        try (Unicorn unicorn = Guest.withCode(TWO_BLOCKS)) {
            assertThat(slicesOfTwoBlocks(unicorn, 777)).as("an odd budget ends slices at either block").isPositive();
        }
    }

    /**
     * With a code hook on an instruction inside the loop's second block (a breakpoint that never stops), Unicorn 2.0.1
     * does not put RIP back at a block's start after a stop there: it stays where the hooked instruction's code wrote
     * it, and the slice would resume inside the block (stop 48 found 128 increments too many in 50,000 and counted
     * instructions under code hooks instead). The stub records the block, and RIP is put there. Since stop 50 the
     * hooked instruction begins a block of its own ({@link HookedInstructionsStartBlocks}): three blocks an iteration,
     * so a budget that is not a multiple of three ends slices at each of them.
     */
    @Test
    void withACodeHookInsideABlockTheBudgetStillStopsBeforeTheBlockExactly() {
        try (Unicorn unicorn = Guest.withCode(TWO_BLOCKS)) {
            int[] hits = new int[1];
            try (Hook breakpoint = unicorn.hookCode(Guest.CODE + 9, Guest.CODE + 9, (address, size) -> hits[0]++)) {
                assertThat(unicorn.limitBlocks(778)).isTrue();
                assertThat(slicesOfTwoBlocks(unicorn, 778)).as("slices that ended at the second block").isPositive();
                assertThat(hits[0]).as("the hooked dec rcx, once an iteration").isEqualTo(50_000);
            }
        }
    }

    @Test
    void withoutALimitTheHookLetsTheRunGoOn() {
        try (Unicorn unicorn = loopOf(50_000)) {
            unicorn.limitBlocks(10);
            unicorn.emuStart(Guest.CODE, -1L, 0, 0);
            assertThat(counter(unicorn)).isEqualTo(10);
            unicorn.limitBlocks(0);
            unicorn.emuStart(unicorn.regRead(X86Reg.RIP), -1L, 0, 0);
            assertThat(unicorn.blockBudgetSpent()).isFalse();
            assertThat(counter(unicorn)).isEqualTo(50_000);
            assertThat(unicorn.regRead(X86Reg.RIP)).isEqualTo(HLT + 1);
        }
    }

    @Test
    void aNegativeBudgetIsRefused() {
        try (Unicorn unicorn = loopOf(1)) {
            assertThatThrownBy(() -> unicorn.limitBlocks(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theStubCountsDownAndTailCallsUcEmuStop() {
        byte[] code = BlockBudget.stub(0x7f12_3456_789aL);
        assertThat(Guest.bytes("48 89 71 08 48 ff 09 7c 01 c3 ff 25 00 00 00 00 9a 78 56 34 12 7f 00 00"))
                .isEqualTo(code);
    }
}
