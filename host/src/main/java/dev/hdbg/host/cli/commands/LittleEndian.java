package dev.hdbg.host.cli.commands;

import dev.hdbg.common.text.Echo;
import java.util.List;
import java.util.function.ToLongFunction;

/** Values in guest memory as x86 keeps them: little-endian, in units of 1, 2, 4 or 8 bytes. */
final class LittleEndian {
    private LittleEndian() {
    }

    /** The value of the {@code unit} bytes at {@code offset}. */
    static long read(byte[] data, int offset, int unit) {
        long value = 0;
        for (int b = unit - 1; b >= 0; b--) {
            value = (value << 8) | (data[offset + b] & 0xff);
        }
        return value;
    }

    /**
     * The values of {@code words}, each evaluated and packed into {@code unit} bytes, in order ({@code eb}..{@code eq},
     * {@code s -w}..{@code s -q}). A value fits when it is below 2^(8·unit), or negative down to -2^(8·unit-1) (its
     * two's complement is written: {@code ed ADDR -1} writes ffffffff). The message says both ranges, so that -1
     * fitting and -ff not is no surprise.
     *
     * @throws IllegalArgumentException for the first value that does not fit, quoting it as typed
     */
    static byte[] pack(List<String> words, int unit, ToLongFunction<String> evaluate) {
        byte[] packed = new byte[words.size() * unit];
        for (int i = 0; i < words.size(); i++) {
            long value = evaluate.applyAsLong(words.get(i));
            boolean fitsUnsigned = unit == 8 || (value >>> (unit * 8)) == 0;
            boolean fitsSigned = value < 0 && value >= -(1L << (unit * 8 - 1));
            if (!fitsUnsigned && !fitsSigned) {
                throw new IllegalArgumentException("'" + Echo.cut(words.get(i)) + "' does not fit in " + unit + " byte"
                        + (unit > 1 ? "s" : "") + ": give 0 to " + Long.toHexString((1L << (unit * 8)) - 1) + ", or -"
                        + Long.toHexString(1L << (unit * 8 - 1)) + " to -1 for its two's complement");
            }
            for (int b = 0; b < unit; b++) {
                packed[i * unit + b] = (byte) (value >>> (8 * b));
            }
        }
        return packed;
    }
}
