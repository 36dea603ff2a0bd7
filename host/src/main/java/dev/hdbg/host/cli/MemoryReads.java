package dev.hdbg.host.cli;

import dev.hdbg.host.client.AgentError;

/** Reads of guest memory that may run into unmapped memory: as much as is mapped, from the first byte on. */
public final class MemoryReads {
    private static final long PAGE = 0x1000;

    /** Reads {@code length} bytes at {@code address}; fails with {@link AgentError}, UNMAPPED_ADDRESS where memory ends. */
    @FunctionalInterface
    public interface Reader {
        byte[] read(long address, int length);
    }

    private MemoryReads() {
    }

    /**
     * Reads up to {@code wanted} bytes at {@code address}: when the range runs into unmapped memory, reads up to the
     * last page boundary before its end instead, down to the end of the first page; when even that is unmapped, the
     * agent's error says so.
     *
     * @throws AgentError UNMAPPED_ADDRESS when {@code address} itself is unmapped, and any other error of the read
     */
    public static byte[] upTo(Reader reader, long address, long wanted) {
        long end = address + wanted;
        if (Long.compareUnsigned(end, address) < 0) {
            end = 0; // the top of the address space
        }
        while (true) {
            try {
                return reader.read(address, (int) (end - address));
            } catch (AgentError e) {
                long shorter = (end - 1) & -PAGE;
                if (e.kind() != AgentError.Kind.UNMAPPED_ADDRESS || Long.compareUnsigned(shorter, address) <= 0) {
                    throw e;
                }
                end = shorter;
            }
        }
    }
}
