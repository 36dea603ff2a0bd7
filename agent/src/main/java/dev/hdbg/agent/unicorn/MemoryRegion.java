package dev.hdbg.agent.unicorn;

/**
 * A mapped range as {@code uc_mem_regions} reports it.
 *
 * @param begin the first address
 * @param end   the last address: inclusive, as Unicorn reports it
 * @param perms the {@link Prot} bits
 */
public record MemoryRegion(long begin, long end, int perms) {
    /** The number of bytes. */
    public long size() {
        return end - begin + 1;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(begin) + "-0x" + Long.toHexString(end) + " " + Prot.toString(perms);
    }
}
