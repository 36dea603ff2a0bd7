package dev.hdbg.agent.unicorn;

/** A mapped range as {@code uc_mem_regions} reports it: {@code end} is inclusive. */
public record MemoryRegion(long begin, long end, int perms) {
}
