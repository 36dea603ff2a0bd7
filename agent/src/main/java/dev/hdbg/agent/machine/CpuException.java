package dev.hdbg.agent.machine;

import dev.hdbg.agent.unicorn.UnicornException;

/**
 * The emulator refused an operation or the guest faulted while it ran. The message names the operation and the
 * reason; {@link #reason()} is the reason alone, such as {@code Invalid memory read (UC_ERR_READ_UNMAPPED)}. When a
 * hook threw during a run, its throwable is the cause's cause.
 */
public final class CpuException extends RuntimeException {
    /** The reason, or null for the cause's ({@link #of}). */
    private final String reason;

    public CpuException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * The exception for an emulator's failure, whose texts are read from it when asked for: a run the exits stop on
     * purpose ends in one, and nobody reads them (UnicornException).
     */
    static CpuException of(UnicornException cause) {
        return new CpuException(null, null, cause);
    }

    @Override
    public String getMessage() {
        String message = super.getMessage();
        return message != null || getCause() == null ? message : getCause().getMessage();
    }

    /** What went wrong, without the operation. */
    public String reason() {
        return reason != null || !(getCause() instanceof UnicornException unicorn) ? reason : unicorn.reason();
    }
}
