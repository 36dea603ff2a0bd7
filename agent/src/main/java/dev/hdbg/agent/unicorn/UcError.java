package dev.hdbg.agent.unicorn;

/** Unicorn's {@code uc_err} values; the ordinal is the C value (unicorn.h 2.0.1). */
public enum UcError {
    OK, NOMEM, ARCH, HANDLE, MODE, VERSION, READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, HOOK, INSN_INVALID, MAP,
    WRITE_PROT, READ_PROT, FETCH_PROT, ARG, READ_UNALIGNED, WRITE_UNALIGNED, FETCH_UNALIGNED, HOOK_EXIST, RESOURCE,
    EXCEPTION;

    private static final UcError[] VALUES = values();

    /**
     * The error for a {@code uc_err} code. Codes this binding does not know (a newer library) map to
     * {@link #EXCEPTION}; {@link UnicornException#errorCode()} keeps the raw code.
     */
    public static UcError of(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : EXCEPTION;
    }

    /** The C name, such as {@code UC_ERR_READ_UNMAPPED}. */
    public String cName() {
        return "UC_ERR_" + name();
    }
}
