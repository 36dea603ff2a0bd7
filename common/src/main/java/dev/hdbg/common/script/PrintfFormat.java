package dev.hdbg.common.script;

import java.util.ArrayList;
import java.util.List;

/**
 * A printf format string, split into literal text and conversions, checked when the script is.
 *
 * <p>HyperDbg's printf runs in a Windows kernel, so its integers follow the Windows (LLP64) model and hdbg keeps it:
 * {@code %d %i %u %o %x} and their {@code l} forms take the low 32 bits, {@code ll} all 64, {@code h} the low 16;
 * {@code %c} prints the low byte; {@code %p} prints 16 upper-case hex digits, as MSVC does; {@code %s} prints the
 * NUL-terminated string at an address and {@code %ws} / {@code %ls} the UTF-16 one. hdbg adds {@code %X}, the flags
 * {@code - + 0 #} and space, a width and a precision (HyperDbg's scanner knows none of them), and {@code %%}, which
 * prints one {@code %} (HyperDbg copies it as two). A {@code %} that starts no conversion is printed as written, as
 * HyperDbg does.
 *
 * @param parts literal text and conversions, in order
 */
public record PrintfFormat(List<Part> parts) {
    /** The largest width or precision a conversion may ask for: the output of one printf is a 4 KiB page at most. */
    public static final int MAX_WIDTH = 255;

    public PrintfFormat {
        parts = List.copyOf(parts);
    }

    /** A piece of the format. */
    public sealed interface Part {
    }

    /** Text printed as it is. */
    public record Text(String text) implements Part {
    }

    /** The length modifier: how many bits of the argument a conversion takes. */
    public enum Size {
        /** No modifier or {@code l}: 32 bits (Windows' {@code long} is 32-bit). */
        INT(32),
        /** {@code h}: 16 bits. */
        SHORT(16),
        /** {@code ll}: 64 bits. */
        LONG_LONG(64);

        private final int bits;

        Size(int bits) {
            this.bits = bits;
        }

        public int bits() {
            return bits;
        }
    }

    /**
     * One conversion: it consumes one argument.
     *
     * @param conversion one of {@code d i u o x X c p s}, or {@code S} for {@code %ws} / {@code %ls}
     * @param width      the minimum width, or -1
     * @param precision  the precision (the most characters of a string, the least digits of a number), or -1
     */
    public record Conversion(char conversion, Size size, boolean leftAlign, boolean zeroPad, boolean plus,
                             boolean space, boolean alternate, int width, int precision) implements Part {
        public boolean isSigned() {
            return conversion == 'd' || conversion == 'i';
        }

        public boolean isString() {
            return conversion == 's' || conversion == 'S';
        }
    }

    /** How many arguments the format consumes. */
    public int conversionCount() {
        return (int) parts.stream().filter(p -> p instanceof Conversion).count();
    }

    /**
     * Parses a format.
     *
     * @throws IllegalArgumentException when a conversion asks for floating point ({@code %f}), or for a width or a
     *                                  precision over {@link #MAX_WIDTH}
     */
    public static PrintfFormat parse(String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                text.append('%');
                i += 2;
                continue;
            }
            int end = conversionEnd(format, i);
            if (end < 0) {
                text.append(c);
                i++;
                continue;
            }
            if (!text.isEmpty()) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            parts.add(conversion(format, i, end));
            i = end;
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return new PrintfFormat(parts);
    }

    /** The index after the conversion starting at {@code start}, or -1 when no conversion starts there. */
    private static int conversionEnd(String f, int start) {
        int i = start + 1;
        while (i < f.length() && "-+ 0#".indexOf(f.charAt(i)) >= 0) {
            i++;
        }
        while (i < f.length() && Character.isDigit(f.charAt(i)) && f.charAt(i) < 128) {
            i++;
        }
        if (i < f.length() && f.charAt(i) == '.') {
            i++;
            while (i < f.length() && Character.isDigit(f.charAt(i)) && f.charAt(i) < 128) {
                i++;
            }
        }
        if (f.startsWith("ll", i)) {
            return i + 2 < f.length() && "diuoxX".indexOf(f.charAt(i + 2)) >= 0 ? i + 3 : -1;
        }
        if (i < f.length() && (f.charAt(i) == 'l' || f.charAt(i) == 'h' || f.charAt(i) == 'w')) {
            char modifier = f.charAt(i);
            if (i + 1 >= f.length()) {
                return -1;
            }
            char conversion = f.charAt(i + 1);
            boolean integer = modifier != 'w' && "diuoxX".indexOf(conversion) >= 0;
            boolean wide = modifier != 'h' && conversion == 's';
            return integer || wide ? i + 2 : -1;
        }
        if (i < f.length() && f.charAt(i) == 'f') {
            throw new IllegalArgumentException("%f prints a floating-point value (HyperDbg v0.23), which hdbg's"
                    + " scripts do not have");
        }
        return i < f.length() && "diuoxXcps".indexOf(f.charAt(i)) >= 0 ? i + 1 : -1;
    }

    private static Conversion conversion(String f, int start, int end) {
        boolean left = false;
        boolean zero = false;
        boolean plus = false;
        boolean space = false;
        boolean alternate = false;
        int i = start + 1;
        for (; "-+ 0#".indexOf(f.charAt(i)) >= 0; i++) {
            switch (f.charAt(i)) {
                case '-' -> left = true;
                case '+' -> plus = true;
                case ' ' -> space = true;
                case '0' -> zero = true;
                default -> alternate = true;
            }
        }
        int width = -1;
        int digits = i;
        while (Character.isDigit(f.charAt(i))) {
            i++;
        }
        if (i > digits) {
            width = number(f.substring(digits, i), "width");
        }
        int precision = -1;
        if (f.charAt(i) == '.') {
            int from = ++i;
            while (Character.isDigit(f.charAt(i))) {
                i++;
            }
            precision = i > from ? number(f.substring(from, i), "precision") : 0;
        }
        Size size = Size.INT;
        char conversion = f.charAt(end - 1);
        String modifier = f.substring(i, end - 1);
        if (modifier.equals("ll")) {
            size = Size.LONG_LONG;
        } else if (modifier.equals("h")) {
            size = Size.SHORT;
        } else if (conversion == 's' && !modifier.isEmpty()) {
            conversion = 'S';
        }
        return new Conversion(conversion, size, left, zero, plus, space, alternate, width, precision);
    }

    private static int number(String digits, String what) {
        if (digits.length() > 3 || Integer.parseInt(digits) > MAX_WIDTH) {
            throw new IllegalArgumentException("a printf " + what + " of " + digits + " is over hdbg's limit of "
                    + MAX_WIDTH);
        }
        return Integer.parseInt(digits);
    }
}
