package dev.hdbg.common.text;

/**
 * Numbers as HyperDbg and WinDbg users write them.
 *
 * <p>Syntax, case-insensitive:
 * <pre>
 * number  = [ "-" ] ( [ "0x" ] hex | "0n" dec | "0t" oct | "0o" oct | "0y" bin ) ;
 * hex     = hexdigit { [ "`" ] hexdigit } ;     (likewise dec, oct, bin with their digits)
 * </pre>
 * Hex is the default radix, as in HyperDbg, so {@code 10} is sixteen and {@code 0n10} is ten.
 * WinDbg's backtick separates digit groups of long addresses ({@code fffff800`12345678}); it
 * may stand only between two digits. The value is 64-bit unsigned: every digit string up to
 * {@code ffffffffffffffff} is accepted; a leading {@code -} negates in two's complement, so
 * {@code -1} is {@code 0xffffffffffffffff}. Only ASCII digits count; no whitespace is trimmed.
 */
public final class Numbers {
    private static final String HINT = "numbers are hex by default; write 0n10 for decimal";

    private Numbers() {
    }

    /**
     * Parses a number in the syntax above.
     *
     * @param text the number, without surrounding whitespace
     * @return the value as a 64-bit pattern (read it as unsigned)
     * @throws IllegalArgumentException naming {@code text} when it is not a number in this
     *                                  syntax, misplaces a backtick, or needs more than 64 bits
     */
    public static long parse(String text) {
        String rest = text;
        boolean negative = rest.startsWith("-");
        if (negative) {
            rest = rest.substring(1);
        }
        int radix = 16;
        if (rest.length() >= 2 && rest.charAt(0) == '0') {
            // None of the prefix letters is a hex digit, so "0n.." can never be meant as hex.
            int prefixed = switch (Character.toLowerCase(rest.charAt(1))) {
                case 'x' -> 16;
                case 'n' -> 10;
                case 't', 'o' -> 8;
                case 'y' -> 2;
                default -> 0;
            };
            if (prefixed != 0) {
                radix = prefixed;
                rest = rest.substring(2);
            }
        }
        String digits = digitsOf(text, rest, radix);
        long value;
        try {
            value = Long.parseUnsignedLong(digits, radix);
        } catch (NumberFormatException e) {
            // digitsOf admitted only ASCII digits of the radix, so the only failure left is overflow.
            throw new IllegalArgumentException("number does not fit in 64 bits: '" + text + "'", e);
        }
        return negative ? -value : value;
    }

    /**
     * Tells whether {@link #parse} accepts a text, for callers that must tell a number from a
     * keyword or a name.
     *
     * @param text the candidate
     * @return true when {@code parse(text)} returns instead of throwing
     */
    public static boolean isNumber(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Formats a value the way hdbg prints addresses and sizes.
     *
     * @param value a 64-bit pattern, read as unsigned
     * @return lower-case hex with a {@code 0x} prefix: {@code -1} gives {@code 0xffffffffffffffff}
     */
    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** The digits of {@code rest} without backticks, after checking each against the radix. */
    private static String digitsOf(String text, String rest, int radix) {
        if (rest.isEmpty()) {
            throw notANumber(text, radix);
        }
        StringBuilder digits = new StringBuilder(rest.length());
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '`') {
                boolean between = i > 0 && i < rest.length() - 1
                        && isDigit(rest.charAt(i - 1), radix) && isDigit(rest.charAt(i + 1), radix);
                if (!between) {
                    throw new IllegalArgumentException("misplaced '`' in '" + text
                            + "' (the ` separator goes between two digits, e.g. fffff800`12345678)");
                }
            } else if (isDigit(c, radix)) {
                digits.append(c);
            } else {
                throw notANumber(text, radix);
            }
        }
        return digits.toString();
    }

    private static IllegalArgumentException notANumber(String text, int radix) {
        String expected = switch (radix) {
            case 16 -> "not a number: '" + text + "' (" + HINT + ")";
            case 10 -> "not a decimal number: '" + text + "' (after 0n come the digits 0-9)";
            case 8 -> "not an octal number: '" + text + "' (after 0t or 0o come the digits 0-7)";
            default -> "not a binary number: '" + text + "' (after 0y come the digits 0 and 1)";
        };
        return new IllegalArgumentException(expected);
    }

    private static boolean isDigit(char c, int radix) {
        // Character.digit would also admit non-ASCII digits such as U+0663.
        int value;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            value = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            value = c - 'A' + 10;
        } else {
            return false;
        }
        return value < radix;
    }
}
