package dev.hdbg.agent.script;

import dev.hdbg.common.script.PrintfFormat;
import dev.hdbg.common.script.PrintfFormat.Conversion;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Renders a printf call's output as HyperDbg's kernel printf does (see {@link PrintfFormat} for the conversions). The
 * output of one call is at most {@link #MAX_OUTPUT} bytes, HyperDbg's {@code PacketChunkSize}; the rest is cut off.
 * Strings from guest memory are UTF-8, their bytes copied as they are (the record made of the output replaces what is
 * malformed); a wide string's UTF-16 is converted to UTF-8. The output stays bytes: a string of it was decoded here and
 * encoded again for the wire, twice the work of rendering it (docs/benchmarks.md, "Script output, wave 13").
 */
final class PrintfRenderer {
    static final int MAX_OUTPUT = 4096;

    private final ScriptHost host;
    private final long[] locals;
    private final int at;
    /** Most printf lines are a few dozen bytes; the buffer doubles for longer ones (128 bytes each call before). */
    private byte[] out = new byte[32];
    private int length;

    private PrintfRenderer(ScriptHost host, long[] locals, int at) {
        this.host = host;
        this.locals = locals;
        this.at = at;
    }

    static byte[] render(ScriptHost host, long[] locals, PrintfFormat format, long[] args, int at) {
        PrintfRenderer r = new PrintfRenderer(host, locals, at);
        int next = 0;
        List<PrintfFormat.Part> parts = format.parts();
        for (int i = 0; i < parts.size(); i++) { // by index: an iterator was 24 of the bytes a hot printf allocated
            switch (parts.get(i)) {
                case PrintfFormat.Text t -> r.latin1(t.text());
                case Conversion c -> r.conversion(c, args[next++]);
            }
        }
        return r.out.length == r.length ? r.out : Arrays.copyOf(r.out, r.length);
    }

    private void conversion(Conversion c, long value) {
        switch (c.conversion()) {
            case 's', 'S' -> pad(c, string(c, value));
            case 'c' -> pad(c, new byte[] {(byte) value});
            case 'p' -> pad(c, ascii(String.format("%016X", value)));
            default -> integer(c, value);
        }
    }

    /**
     * A number written straight into the output, as {@code Long.toString}/{@code toHexString} and the flags would
     * spell it: no string or array per conversion, which a hot {@code printf} of two registers paid a dozen times a
     * record (docs/benchmarks.md, "Records, wave 8").
     */
    private void integer(Conversion c, long raw) {
        int bits = c.size().bits();
        long masked = bits == 64 ? raw : raw & ((1L << bits) - 1);
        char sign = 0;
        String prefix = "";
        long magnitude = masked;
        int radix;
        switch (c.conversion()) {
            case 'd', 'i' -> {
                long signed = bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
                radix = 10;
                if (signed < 0) {
                    sign = '-';
                    magnitude = -signed; // Long.MIN_VALUE stays itself: read as unsigned, its magnitude
                } else {
                    sign = c.plus() ? '+' : c.space() ? ' ' : 0;
                    magnitude = signed;
                }
            }
            case 'u' -> radix = 10;
            case 'o' -> {
                radix = 8;
                prefix = c.alternate() && masked != 0 ? "0" : "";
            }
            case 'X' -> {
                radix = 16;
                prefix = c.alternate() && masked != 0 ? "0X" : "";
            }
            default -> {
                radix = 16;
                prefix = c.alternate() && masked != 0 ? "0x" : "";
            }
        }
        int digits = c.precision() == 0 && masked == 0 ? 0 : digitCount(magnitude, radix);
        int zeros = Math.max(0, c.precision() - digits);
        int head = (sign != 0 ? 1 : 0) + prefix.length();
        int fill = Math.max(0, c.width() - head - zeros - digits);
        boolean zeroFill = c.zeroPad() && !c.leftAlign() && c.precision() < 0;
        if (!zeroFill && !c.leftAlign()) {
            repeat(' ', fill);
        }
        if (sign != 0) {
            repeat(sign, 1);
        }
        latin1(prefix);
        repeat('0', zeroFill ? fill + zeros : zeros);
        digits(magnitude, radix, digits, c.conversion() == 'X');
        if (!zeroFill && c.leftAlign()) {
            repeat(' ', fill);
        }
    }

    /** How many digits {@code value}, unsigned, has in {@code radix} (8, 10 or 16); 1 for 0. */
    private static int digitCount(long value, int radix) {
        if (radix != 10) {
            int shift = radix == 16 ? 4 : 3;
            return Math.max(1, (64 - Long.numberOfLeadingZeros(value) + shift - 1) / shift);
        }
        if (value < 0) {
            return 1 + digitCount(Long.divideUnsigned(value, 10), 10);
        }
        int count = 1;
        for (long v = value; v >= 10; v /= 10) {
            count++;
        }
        return count;
    }

    /** {@code count} digits of {@code value}, unsigned, in {@code radix}, cut off at {@link #MAX_OUTPUT} as append is. */
    private void digits(long value, int radix, int count, boolean upper) {
        byte[] letters = upper ? UPPER : LOWER;
        room(count);
        int end = length + count;
        int shift = radix == 16 ? 4 : radix == 8 ? 3 : 0;
        long v = value;
        for (int i = end - 1; i >= length; i--) {
            int digit;
            if (shift != 0) {
                digit = (int) v & (radix - 1);
                v >>>= shift;
            } else if (v >= 0) {
                digit = (int) (v % 10);
                v /= 10;
            } else {
                digit = (int) Long.remainderUnsigned(v, 10);
                v = Long.divideUnsigned(v, 10);
            }
            if (i < MAX_OUTPUT) {
                out[i] = letters[digit];
            }
        }
        length = Math.min(end, MAX_OUTPUT);
    }

    private static final byte[] LOWER = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.ISO_8859_1);

    /** {@code n} times {@code c}, cut off at {@link #MAX_OUTPUT}. */
    private void repeat(char c, int n) {
        int count = Math.min(n, MAX_OUTPUT - length);
        if (count <= 0) {
            return;
        }
        room(count);
        Arrays.fill(out, length, length + count, (byte) c);
        length += count;
    }

    /** Text as ISO-8859-1 bytes ({@code ?} for a char beyond it, as {@code getBytes} writes one), cut off as append is. */
    private void latin1(String text) {
        int count = Math.min(text.length(), MAX_OUTPUT - length);
        if (count <= 0) {
            return;
        }
        room(count);
        for (int i = 0; i < text.length() && length < MAX_OUTPUT; i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // one character beyond ISO-8859-1: one '?', as the encoder writes
            }
            out[length++] = ch <= 0xff ? (byte) ch : (byte) '?';
        }
    }

    /** Makes the buffer hold {@code more} bytes beyond the length, up to {@link #MAX_OUTPUT} in all. */
    private void room(int more) {
        int need = Math.min(MAX_OUTPUT, length + more);
        if (need > out.length) {
            out = Arrays.copyOf(out, Math.min(MAX_OUTPUT, Math.max(out.length * 2, need)));
        }
    }

    private void pad(Conversion c, byte[] body) {
        int fill = Math.max(0, c.width() - body.length);
        if (!c.leftAlign()) {
            append(ascii(" ".repeat(fill)));
        }
        append(body);
        if (c.leftAlign()) {
            append(ascii(" ".repeat(fill)));
        }
    }

    /** The NUL-terminated string at {@code address}, at most as long as the precision and the room left. */
    private byte[] string(Conversion c, long address) {
        boolean wide = c.conversion() == 'S';
        int room = MAX_OUTPUT - length;
        int most = c.precision() >= 0 ? Math.min(c.precision(), room) : room;
        GuestText text = new GuestText(host, locals, at, null, address, wide ? 2 : 1);
        StringBuilder units = new StringBuilder();
        byte[] bytes = new byte[Math.max(0, Math.min(most, 256))];
        int count = 0;
        while (count < most) {
            int ch = text.next();
            if (ch == GuestText.FAULT) {
                throw ScriptRuntime.memoryFault("read", wide ? 2 : 1, text.address(), at);
            }
            if (ch == 0) {
                break;
            }
            if (wide) {
                units.append((char) ch);
            } else {
                if (count == bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.min(most, bytes.length * 2));
                }
                bytes[count] = (byte) ch;
            }
            count++;
        }
        return wide ? units.toString().getBytes(StandardCharsets.UTF_8) : Arrays.copyOf(bytes, count);
    }

    private void append(byte[] bytes) {
        int n = Math.min(bytes.length, MAX_OUTPUT - length);
        room(n);
        System.arraycopy(bytes, 0, out, length, n);
        length += n;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
