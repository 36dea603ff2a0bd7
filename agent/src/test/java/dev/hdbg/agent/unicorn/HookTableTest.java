package dev.hdbg.agent.unicorn;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HookTableTest {
    @Test
    void releasingWhenNothingIsRetiredAllocatesNothing() {
        try (Arena arena = Arena.ofConfined()) {
            // Neither the engine nor the cache is used by releaseRetired with nothing retired.
            HookTable table = new HookTable(null, MemorySegment.NULL, null, arena);
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().threadId();
            int calls = 10_000;
            threads.getThreadAllocatedBytes(id); // its own first call allocates
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < calls; i++) {
                table.releaseRetired(); // after every outermost emuStart: each machine-code condition's root call
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // An iterator a call (24-32 bytes while interpreted) would be 240,000 bytes or more.
            assertThat(allocated).as("bytes allocated by %d calls", calls).isLessThan(4_096);
        }
    }
}
