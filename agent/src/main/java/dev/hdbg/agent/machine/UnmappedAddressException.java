package dev.hdbg.agent.machine;

/** A guest address (or part of a range) that is not mapped. */
public final class UnmappedAddressException extends RuntimeException {
    private final long address;

    public UnmappedAddressException(long address, String message) {
        super(message);
        this.address = address;
    }

    public long address() {
        return address;
    }
}
