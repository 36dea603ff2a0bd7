package dev.hdbg.agent.script;

/**
 * A string a built-in function reads one character at a time: a literal of the script, or a NUL-terminated string in
 * guest memory, read 64 bytes at a time (one byte or code unit at a time where a chunk would cross into memory that
 * cannot be read). Each chunk read costs the run one operation.
 */
final class GuestText {
    /** How far a string function reads without finding the NUL before it gives up. */
    static final int MAX_SCAN = 1 << 20;
    private static final int CHUNK = 64;
    /** {@link #next()} at a byte that cannot be read. */
    static final int FAULT = -1;
    /** {@link #next()} past the end of a literal used where {@code memcmp} wants more bytes than it has. */
    static final int PAST_LITERAL = -2;

    private final ScriptHost host;
    private final long[] locals;
    private final int at;
    private final byte[] literal;
    private final int unit;
    private final byte[] chunk = new byte[CHUNK];
    private long address;
    private int chunkPos;
    private int chunkLength;
    private int index;

    /**
     * @param literal the literal's bytes (UTF-16LE for a wide one), or null to read guest memory at {@code address}
     * @param unit    1 for a narrow string, 2 for a wide one
     */
    GuestText(ScriptHost host, long[] locals, int at, byte[] literal, long address, int unit) {
        this.host = host;
        this.locals = locals;
        this.at = at;
        this.literal = literal;
        this.address = address;
        this.unit = unit;
    }

    /** The next character (byte or UTF-16 code unit), 0 at a literal's end, or {@link #FAULT}. */
    int next() {
        if (literal != null) {
            if (index >= literal.length) {
                index += unit;
                return index - unit == literal.length ? 0 : PAST_LITERAL;
            }
            int value = unit == 1 ? literal[index] & 0xff : (literal[index] & 0xff) | (literal[index + 1] & 0xff) << 8;
            index += unit;
            return value;
        }
        if (chunkPos >= chunkLength && !refill()) {
            return FAULT;
        }
        int value = unit == 1 ? chunk[chunkPos] & 0xff : (chunk[chunkPos] & 0xff) | (chunk[chunkPos + 1] & 0xff) << 8;
        chunkPos += unit;
        return value;
    }

    /** The address the next character would be read from (or where a read failed). */
    long address() {
        return literal != null ? index : address + chunkPos - chunkLength;
    }

    private boolean refill() {
        ScriptRuntime.charge(locals, 1, at);
        // Read up to the next 64-byte boundary first, so that a chunk never crosses a page that the one before it
        // did not reach.
        int length = CHUNK - (int) (address & (CHUNK - 1));
        length -= length % unit;
        if (length < unit) {
            length = unit;
        }
        if (!host.readBytes(address, chunk, 0, length)) {
            length = unit;
            if (!host.readBytes(address, chunk, 0, unit)) {
                return false;
            }
        }
        address += length;
        chunkPos = 0;
        chunkLength = length;
        return true;
    }
}
