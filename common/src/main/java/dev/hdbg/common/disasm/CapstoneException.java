package dev.hdbg.common.disasm;

/**
 * A Capstone call failed. The message is the operation, a colon, and {@code cs_strerror}'s text:
 * {@code cs_close: Invalid handle (CS_ERR_HANDLE)}.
 */
public final class CapstoneException extends RuntimeException {
    private final int errorCode;

    CapstoneException(String operation, int errorCode) {
        super(operation + ": " + CapstoneNative.strerror(errorCode));
        this.errorCode = errorCode;
    }

    /** The raw {@code cs_err}. */
    public int errorCode() {
        return errorCode;
    }
}
