package dev.hdbg.agent.machine;

/**
 * The emulator refused an operation or the guest faulted while it ran. The message names the operation and the
 * reason; {@link #reason()} is the reason alone, such as {@code Invalid memory read (UC_ERR_READ_UNMAPPED)}. When a
 * hook threw during a run, its throwable is the cause's cause.
 */
public final class CpuException extends RuntimeException {
    private final String reason;

    public CpuException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** What went wrong, without the operation. */
    public String reason() {
        return reason;
    }
}
