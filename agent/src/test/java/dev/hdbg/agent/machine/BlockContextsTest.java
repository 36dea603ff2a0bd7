package dev.hdbg.agent.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.unicorn.Prot;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which contexts may hold code of a block: gathered, kept through a cut into slices, gone with the block. */
class BlockContextsTest {
    @Test
    void aBlocksContextsAreGatheredAndGoWithIt() {
        try (Arena arena = Arena.ofConfined()) {
            GuestMapping block = new GuestMapping(0x400000, arena.allocate(GuestMemory.PAGE), Prot.READ | Prot.EXEC);
            BlockContexts contexts = new BlockContexts();
            contexts.add(block, 3);
            contexts.add(block, ContextPool.UNKEPT);
            assertThat(contexts.includes(block, 3)).isTrue();
            assertThat(contexts.includes(block, ContextPool.UNKEPT)).isTrue();
            assertThat(contexts.includes(block, 4)).isFalse();
            contexts.forget(block);
            assertThat(contexts.includes(block, 3)).isFalse();
            assertThat(contexts.size()).isZero();
        }
    }

    @Test
    void theSlicesOfABlockMayHoldWhatItMayHold() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(2 * GuestMemory.PAGE);
            GuestMapping block = new GuestMapping(0x400000, memory, Prot.READ);
            GuestMapping code = new GuestMapping(0x400000, memory.asSlice(0, GuestMemory.PAGE), Prot.READ | Prot.EXEC);
            GuestMapping data = new GuestMapping(0x401000, memory.asSlice(GuestMemory.PAGE), Prot.READ | Prot.WRITE);
            BlockContexts contexts = new BlockContexts();
            contexts.add(block, 7);
            contexts.sliced(block, List.of(code, data));
            assertThat(contexts.includes(code, 7)).isTrue();
            assertThat(contexts.includes(data, 7)).isTrue();
            assertThat(contexts.includes(block, 7)).as("the block as it was is no more").isFalse();
            contexts.add(code, 8);
            assertThat(contexts.includes(data, 8)).as("each slice its own set").isFalse();
        }
    }
}
