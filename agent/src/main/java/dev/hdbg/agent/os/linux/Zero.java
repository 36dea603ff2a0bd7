package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.machine.GuestMemory;

/** Zero-fills guest memory a chunk at a time, so a large range needs no large array. */
final class Zero {
    private static final byte[] CHUNK = new byte[1 << 20];

    private Zero() {
    }

    static void fill(GuestMemory memory, long address, long length) {
        for (long done = 0; done < length; done += CHUNK.length) {
            int n = (int) Math.min(CHUNK.length, length - done);
            memory.write(address + done, n == CHUNK.length ? CHUNK : new byte[n]);
        }
    }
}
