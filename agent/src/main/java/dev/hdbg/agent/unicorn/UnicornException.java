package dev.hdbg.agent.unicorn;

/**
 * A Unicorn call failed. The message names the operation with its arguments and carries
 * {@code uc_strerror}'s text: {@code uc_mem_read(0x7fff0000, 16): Invalid memory read
 * (UC_ERR_READ_UNMAPPED)}. Also thrown by {@link Unicorn#emuStart} when a hook callback threw;
 * the callback's exception is then the cause.
 */
public final class UnicornException extends RuntimeException {
    private final UcError error;
    private final String reason;

    public UnicornException(String operation, String reason, UcError error) {
        super(operation + ": " + reason);
        this.error = error;
        this.reason = reason;
    }

    public UnicornException(String operation, String reason, UcError error, Throwable cause) {
        super(operation + ": " + reason, cause);
        this.error = error;
        this.reason = reason;
    }

    /** What went wrong without the operation: uc_strerror's text, such as {@code Invalid memory read (UC_ERR_READ_UNMAPPED)}. */
    public String reason() {
        return reason;
    }

    public UcError error() {
        return error;
    }

    public int errorCode() {
        return error.ordinal();
    }
}
