package dev.hdbg.agent.machine;

import java.lang.foreign.MemorySegment;

/** One region of guest memory: where the guest sees it, the host memory behind it, and its first permissions. */
record GuestMapping(long address, MemorySegment memory, int perms) {
}
