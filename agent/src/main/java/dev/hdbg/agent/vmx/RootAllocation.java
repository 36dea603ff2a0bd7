package dev.hdbg.agent.vmx;

/** Pages of the vmx-root area handed to one condition, custom code or requested buffer. */
public record RootAllocation(long address, long pages, int usableBytes) {
    public long byteSize() {
        return pages * 4096L;
    }
}
