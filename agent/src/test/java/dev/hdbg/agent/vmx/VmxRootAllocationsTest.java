package dev.hdbg.agent.vmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hdbg.agent.machine.Machine;
import org.junit.jupiter.api.Test;

/** Root allocations are counted, so hosts are refused before Unicorn runs out of memory regions. */
class VmxRootAllocationsTest {
    @Test
    void codeAndBuffersCountAgainstTheLimitUntilFreed() {
        try (Machine machine = new Machine(); VmxRoot root = new VmxRoot(machine, 1000)) {
            assertThat(root.allocationsLeft()).isEqualTo(VmxRoot.MAX_ALLOCATIONS);
            RootAllocation code = root.installCode(new byte[] {(byte) 0x90});
            root.allocateBuffer(64);
            assertThat(root.allocationsLeft()).isEqualTo(VmxRoot.MAX_ALLOCATIONS - 2);
            root.free(code);
            assertThat(root.allocationsLeft()).isEqualTo(VmxRoot.MAX_ALLOCATIONS - 1);
        }
    }
}
