package dev.hdbg.agent.unicorn;

/**
 * A Unicorn call failed. The message is the operation with its arguments in hex, a colon, and {@code uc_strerror}'s
 * text: {@code uc_mem_read(0x7fff0000, 0x10): Invalid memory read (UC_ERR_READ_UNMAPPED)}. The text always names
 * the {@code UC_ERR_*} constant (2.0.1's {@code uc_strerror} omits it for {@code UC_ERR_HOOK_EXIST}; the binding
 * appends it).
 *
 * <p>{@link Unicorn#emuStart} also throws it when a hook callback threw: {@link #getCause()} is then the
 * callback's throwable, and {@link #error()} is what {@code uc_emu_start} itself returned (usually
 * {@link UcError#OK}, since the binding stopped the emulation cleanly).
 */
public final class UnicornException extends RuntimeException {
    private final int errorCode;
    private final String reason;

    /** An exception for {@code error}; {@code reason} is the text after the operation. */
    public UnicornException(String operation, String reason, UcError error) {
        this(operation, reason, error.ordinal(), null);
    }

    /** Same, with a cause (a hook callback's throwable). */
    public UnicornException(String operation, String reason, UcError error, Throwable cause) {
        this(operation, reason, error.ordinal(), cause);
    }

    private UnicornException(String operation, String reason, int errorCode, Throwable cause) {
        super(operation + ": " + reason, cause);
        this.errorCode = errorCode;
        this.reason = reason;
    }

    /** The exception for a failed call: {@code code} is the {@code uc_err} it returned. */
    static UnicornException of(int code, String operation) {
        return new UnicornException(operation, describe(code), code, null);
    }

    /** The exception for a hook callback that threw while {@code operation} emulated. */
    static UnicornException hookFailed(int code, String operation, Throwable callbackFailure) {
        return new UnicornException(operation, "a hook callback failed: " + callbackFailure, code, callbackFailure);
    }

    /** {@code uc_strerror}'s text, with the {@code UC_ERR_*} name appended when the text lacks it. */
    static String describe(int code) {
        String text = UnicornNative.strerror(code);
        String name = code >= 0 && code <= UcError.EXCEPTION.ordinal() ? UcError.of(code).cName() : "uc_err " + code;
        return text.contains(name) ? text : text + " (" + name + ")";
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** What went wrong without the operation, such as {@code Invalid memory read (UC_ERR_READ_UNMAPPED)}. */
    public String reason() {
        return reason;
    }

    /** The {@code uc_err} as an enum; unknown codes read as {@link UcError#EXCEPTION}, see {@link #errorCode()}. */
    public UcError error() {
        return UcError.of(errorCode);
    }

    /** The raw {@code uc_err} value. */
    public int errorCode() {
        return errorCode;
    }
}
