package dev.hdbg.agent.vmx;

/**
 * Pages of the vmx-root area handed to one condition, custom code or requested buffer; {@code reach} is what code
 * installed there can observe and change ({@link CodeReach#ANYTHING} for buffers), {@code guestRegsSlots} the
 * GUEST_REGS slots it reads when its reach is not {@link CodeReach#ANYTHING} ({@link CodeReach.Analysis}).
 */
public record RootAllocation(long address, long pages, int usableBytes, CodeReach reach, int guestRegsSlots) {
    public long byteSize() {
        return pages * 4096L;
    }

    RootAllocation holding(CodeReach.Analysis code) {
        return new RootAllocation(address, pages, usableBytes, code.reach(), code.guestRegsSlots());
    }
}
