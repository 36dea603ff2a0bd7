package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;

/**
 * One region of guest memory: where the guest sees it, the host memory behind it, and its first permissions. Two are
 * equal when they are the same host memory at the same address: a segment's own {@code equals} compares addresses and
 * not sizes, and a slice of a block starts where the block does ({@link GuestMemory#copy}).
 */
record GuestMapping(long address, MemorySegment memory, int perms) {
    /** Whether all of [{@code begin}, {@code begin + length}) lies in this region. */
    boolean holds(long begin, long length) {
        long size = memory.byteSize();
        return length <= size && Long.compareUnsigned(begin - address, size - length) <= 0;
    }

    /** Whether any of [{@code begin}, {@code begin + length}) lies in this region. */
    boolean overlaps(long begin, long length) {
        return Long.compareUnsigned(begin - address, memory.byteSize()) < 0
                || Long.compareUnsigned(address - begin, length) < 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GuestMapping m && m.address == address && m.perms == perms
                && m.memory.address() == memory.address() && m.memory.byteSize() == memory.byteSize();
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Long.hashCode(memory.address() ^ memory.byteSize());
    }
}
