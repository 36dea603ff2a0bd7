package dev.hdbg.agent.machine;

/** The host refused memory for the guest: a guest's mmap or brk then fails with ENOMEM, a loader stops. */
public final class HostMemoryException extends RuntimeException {
    public HostMemoryException(String message) {
        super(message);
    }
}
