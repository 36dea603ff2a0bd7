package dev.hdbg.agent.script;

import dev.hdbg.common.script.PrintfFormat;
import dev.hdbg.common.script.PrintfFormat.Conversion;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Renders a printf call's output as HyperDbg's kernel printf does (see {@link PrintfFormat} for the conversions). The
 * output of one call is at most {@link #MAX_OUTPUT} bytes, HyperDbg's {@code PacketChunkSize}; the rest is cut off.
 * Strings from guest memory are UTF-8; a wide string's UTF-16 is converted to UTF-8.
 */
final class PrintfRenderer {
    static final int MAX_OUTPUT = 4096;

    private final ScriptHost host;
    private final long[] locals;
    private final int at;
    private byte[] out = new byte[128];
    private int length;

    private PrintfRenderer(ScriptHost host, long[] locals, int at) {
        this.host = host;
        this.locals = locals;
        this.at = at;
    }

    static String render(ScriptHost host, long[] locals, PrintfFormat format, long[] args, int at) {
        PrintfRenderer r = new PrintfRenderer(host, locals, at);
        int next = 0;
        for (PrintfFormat.Part part : format.parts()) {
            switch (part) {
                case PrintfFormat.Text t -> r.append(t.text().getBytes(StandardCharsets.ISO_8859_1));
                case Conversion c -> r.conversion(c, args[next++]);
            }
        }
        return new String(r.out, 0, r.length, StandardCharsets.UTF_8);
    }

    private void conversion(Conversion c, long value) {
        switch (c.conversion()) {
            case 's', 'S' -> pad(c, string(c, value));
            case 'c' -> pad(c, new byte[] {(byte) value});
            case 'p' -> pad(c, ascii(String.format("%016X", value)));
            default -> integer(c, value);
        }
    }

    private void integer(Conversion c, long raw) {
        int bits = c.size().bits();
        long masked = bits == 64 ? raw : raw & ((1L << bits) - 1);
        String sign = "";
        String digits;
        String prefix = "";
        switch (c.conversion()) {
            case 'd', 'i' -> {
                long signed = bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
                if (signed < 0) {
                    sign = "-";
                    digits = Long.toUnsignedString(-signed);
                } else {
                    sign = c.plus() ? "+" : c.space() ? " " : "";
                    digits = Long.toString(signed);
                }
            }
            case 'u' -> digits = Long.toUnsignedString(masked);
            case 'o' -> {
                digits = Long.toOctalString(masked);
                prefix = c.alternate() && masked != 0 ? "0" : "";
            }
            case 'X' -> {
                digits = Long.toHexString(masked).toUpperCase();
                prefix = c.alternate() && masked != 0 ? "0X" : "";
            }
            default -> {
                digits = Long.toHexString(masked);
                prefix = c.alternate() && masked != 0 ? "0x" : "";
            }
        }
        if (c.precision() >= 0) {
            if (c.precision() == 0 && masked == 0) {
                digits = "";
            }
            if (digits.length() < c.precision()) {
                digits = "0".repeat(c.precision() - digits.length()) + digits;
            }
        }
        String head = sign + prefix;
        int fill = Math.max(0, c.width() - head.length() - digits.length());
        if (c.zeroPad() && !c.leftAlign() && c.precision() < 0) {
            append(ascii(head + "0".repeat(fill) + digits));
        } else {
            pad(c, ascii(head + digits));
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
        if (length + n > out.length) {
            out = Arrays.copyOf(out, Math.min(MAX_OUTPUT, Math.max(out.length * 2, length + n)));
        }
        System.arraycopy(bytes, 0, out, length, n);
        length += n;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
