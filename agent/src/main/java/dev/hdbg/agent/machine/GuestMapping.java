package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;

/** One region of guest memory: where the guest sees it, the host memory behind it, and its first permissions. */
record GuestMapping(long address, MemorySegment memory, int perms) {
    /** Whether all of [{@code begin}, {@code begin + length}) lies in this region. */
    boolean holds(long begin, long length) {
        long size = memory.byteSize();
        return length <= size && Long.compareUnsigned(begin - address, size - length) <= 0;
    }
}
