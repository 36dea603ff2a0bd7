package dev.hdbg.common.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The stack read at a step's stop ({@link StackWindow}, since 1.15): {@code data} read from {@code address}. Shorter
 * than the window when its part below rsp was unmapped (then it starts at rsp), empty when the stack was not readable
 * at all: the caller reads what it needs exactly, and meets the fault there.
 */
public record StackBytes(long address, byte[] data) {
    public StackBytes {
        Objects.requireNonNull(data, "data");
    }

    /** Whether {@code length} bytes at {@code address} are all here. */
    public boolean holds(long address, int length) {
        long offset = address - this.address;
        return length >= 0 && offset >= 0 && offset <= data.length && offset + length <= data.length;
    }

    /** {@code length} bytes at {@code address}, which {@link #holds} them. */
    public byte[] slice(long address, int length) {
        int offset = (int) (address - this.address);
        return Arrays.copyOfRange(data, offset, offset + length);
    }
}
