package dev.hdbg.agent.unicorn;

import java.util.HexFormat;

/** Test scaffolding: an engine with code at {@link #CODE} and data pages after it. */
final class Guest {
    /** Where test code is loaded. */
    static final long CODE = 0x1000;
    /** A read-write data page. */
    static final long DATA = 0x2000;
    /** Code and data: [0x1000, 0x5000). */
    static final long MAPPED_SIZE = 0x4000;

    private Guest() {
    }

    /** Machine code from hex bytes separated by spaces, as nasm -f bin prints them with od. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** A new engine with [0x1000, 0x5000) mapped RWX and {@code hex} loaded at {@link #CODE}. */
    static Unicorn withCode(String hex) {
        Unicorn unicorn = Unicorn.openX86_64();
        unicorn.memMap(CODE, MAPPED_SIZE, Prot.ALL);
        unicorn.memWrite(CODE, bytes(hex));
        return unicorn;
    }

    /** Bytes allocated on the Java heap by the current thread so far. */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
