package dev.hdbg.agent.vmx;

/**
 * Pages of the vmx-root area handed to one condition, custom code or requested buffer; {@code reach} is what code
 * installed there can observe and change ({@link CodeReach#ANYTHING} for buffers).
 */
public record RootAllocation(long address, long pages, int usableBytes, CodeReach reach) {
    public long byteSize() {
        return pages * 4096L;
    }

    RootAllocation holding(CodeReach code) {
        return new RootAllocation(address, pages, usableBytes, code);
    }
}
