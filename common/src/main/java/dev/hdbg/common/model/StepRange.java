package dev.hdbg.common.model;

/**
 * gdb's range stepping ({@code vCont;rSTART,END}, since protocol 1.20): a thread steps once, then on while it stops at
 * an address in [{@code start}, {@code end}); only where it leaves the range (or stops otherwise) is a stop.
 */
public record StepRange(long start, long end) {
    public StepRange {
        if (Long.compareUnsigned(end, start) <= 0) {
            throw new IllegalArgumentException("a step range ends after it starts: 0x" + Long.toHexString(start)
                    + " to 0x" + Long.toHexString(end));
        }
    }

    /** Whether a thread stopped at {@code address} steps on. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
}
