package dev.hdbg.agent.unicorn;

import java.util.function.Supplier;

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
    /**
     * The operation, and the reason (null until asked for, then {@code uc_strerror}'s): made into text only when
     * asked for. A run the exits stop on purpose ends in one (a program's exit), whose text nobody reads, and making
     * it (the first {@code uc_strerror} downcall, hex formatting) cost every program's run 1 to 3 ms
     * (docs/benchmarks.md, "A program's first milliseconds, stop 43").
     */
    private final Supplier<String> operation;
    private volatile String reason;

    /** An exception for {@code error}; {@code reason} is the text after the operation. */
    public UnicornException(String operation, String reason, UcError error) {
        this(() -> operation, reason, error.ordinal(), null);
    }

    /** Same, with a cause (a hook callback's throwable). */
    public UnicornException(String operation, String reason, UcError error, Throwable cause) {
        this(() -> operation, reason, error.ordinal(), cause);
    }

    private UnicornException(Supplier<String> operation, String reason, int errorCode, Throwable cause) {
        super(null, cause);
        this.errorCode = errorCode;
        this.operation = operation;
        this.reason = reason;
    }

    /** The exception for a failed call: {@code code} is the {@code uc_err} it returned. */
    static UnicornException of(int code, String operation) {
        return of(code, () -> operation);
    }

    /** The same, the operation's text made when the message is asked for. */
    static UnicornException of(int code, Supplier<String> operation) {
        return new UnicornException(operation, null, code, null);
    }

    @Override
    public String getMessage() {
        return operation.get() + ": " + reason();
    }

    /** The exception for a hook callback that threw while {@code operation} emulated. */
    static UnicornException hookFailed(int code, String operation, Throwable callbackFailure) {
        return new UnicornException(() -> operation, "a hook callback failed: " + callbackFailure, code,
                callbackFailure);
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
        String known = reason;
        if (known == null) {
            known = describe(errorCode);
            reason = known;
        }
        return known;
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
