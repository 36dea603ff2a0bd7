package dev.hdbg.agent.debugger;

import dev.hdbg.agent.vmx.RootAllocation;
import dev.hdbg.agent.vmx.VmxRoot;

/**
 * The buffer a script action's {@code buffer N} option requested, as the script's memory operations see it: HyperDbg
 * hands a script the address of its action's preallocated buffer as {@code $buffer}, and the script reads and writes
 * it as memory ({@code *($buffer) = 1}, {@code dq($buffer)}, {@code memcpy}). Here it lies in vmx-root memory, which the
 * guest cannot see, allocated once when the action is added, so what one trigger leaves there the next one finds.
 *
 * <p>Accesses wholly inside the {@code N} bytes reach the buffer; any other address is guest memory, as before. One
 * per debugger, set up for each run on the execution thread.
 */
final class ScriptBuffer {
    private final VmxRoot root;
    private RootAllocation allocation;
    private int size;

    ScriptBuffer(VmxRoot root) {
        this.root = root;
    }

    /** The buffer of the run starting now, or none ({@code allocation} null) for {@code ?} and actions without one. */
    void use(RootAllocation allocation, int size) {
        this.allocation = allocation;
        this.size = allocation == null ? 0 : size;
    }

    /** {@code $buffer}: the buffer's address, 0 when the action has none (HyperDbg's value for what is absent). */
    long address() {
        return allocation == null ? 0 : allocation.address();
    }

    /** Whether all {@code length} bytes at {@code address} lie in the buffer. */
    boolean holds(long address, int length) {
        if (allocation == null || length < 0) {
            return false;
        }
        long offset = address - allocation.address();
        return Long.compareUnsigned(offset, size) < 0 && Long.compareUnsigned(offset + length, size) <= 0;
    }

    /** The bytes at {@code address}, which {@link #holds} them. */
    byte[] read(long address, int length) {
        return root.readIfMapped(address, length);
    }

    /** Writes {@code bytes} at {@code address}, which {@link #holds} them. */
    void write(long address, byte[] bytes) {
        root.writeBuffer(allocation, (int) (address - allocation.address()), bytes);
    }
}
