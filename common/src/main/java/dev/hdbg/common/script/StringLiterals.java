package dev.hdbg.common.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes HyperDbg's string literals ({@code scanner.c}): {@code "..."} to bytes (the UTF-8 of the text, escapes
 * applied) and {@code L"..."} to UTF-16 code units. The escapes are HyperDbg's and no others: {@code \n \t \\ \"}
 * and {@code \x} with one or two hex digits ({@code "..."}) or one to four ({@code L"..."}).
 */
final class StringLiterals {
    /** A decoded literal: its value (one char per byte, or per code unit) and the index after its closing quote. */
    record Decoded(String value, int end) {
    }

    /** A literal that cannot be decoded: where the mistake is, and what it is. */
    static final class Mistake extends Exception {
        final int offset;
        final int length;

        Mistake(int offset, int length, String message) {
            super(message, null, false, false);
            this.offset = offset;
            this.length = length;
        }
    }

    private StringLiterals() {
    }

    /**
     * Decodes the literal whose opening quote is at {@code quote}.
     *
     * @param start    where the token starts (the {@code L} of a wide literal), for the errors about the whole literal
     * @param maxBytes the most bytes the value may have (two per code unit of a wide literal)
     */
    static Decoded decode(String text, int start, int quote, boolean wide, int maxBytes) throws Mistake {
        ByteArrayOutputStream narrow = new ByteArrayOutputStream();
        StringBuilder units = new StringBuilder();
        int i = quote + 1;
        while (true) {
            if (i >= text.length()) {
                throw new Mistake(start, quote - start + 1, "this string is never closed with \"");
            }
            char c = text.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                long escaped = escape(text, i, wide);
                int unit = (int) escaped;
                i = (int) (escaped >>> 32);
                if (wide) {
                    units.append((char) unit);
                } else {
                    narrow.write(unit);
                }
            } else {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (wide) {
                    units.appendCodePoint(cp);
                } else {
                    narrow.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
                }
            }
            if ((wide ? units.length() * 2 : narrow.size()) > maxBytes) {
                throw new Mistake(start, quote - start + 1, "this string literal is longer than " + maxBytes
                        + " bytes (ScriptLimits.maxStringBytes)");
            }
        }
        String value = wide ? units.toString() : new String(narrow.toByteArray(), StandardCharsets.ISO_8859_1);
        return new Decoded(value, i + 1);
    }

    /** The escape at {@code backslash}: its value in the low 32 bits, the index after it in the high 32. */
    private static long escape(String text, int backslash, boolean wide) throws Mistake {
        char e = backslash + 1 < text.length() ? text.charAt(backslash + 1) : 0;
        long after = (long) (backslash + 2) << 32;
        switch (e) {
            case 'n':
                return after | '\n';
            case 't':
                return after | '\t';
            case '\\':
                return after | '\\';
            case '"':
                return after | '"';
            case 'x': {
                // spec: scanner.c, up to two hex digits in "..." and four in L"..."; one more is an error there too.
                int most = wide ? 4 : 2;
                int value = 0;
                int digits = 0;
                int i = backslash + 2;
                while (digits <= most && i < text.length() && text.charAt(i) < 128
                        && Character.digit(text.charAt(i), 16) >= 0) {
                    value = value * 16 + Character.digit(text.charAt(i), 16);
                    digits++;
                    i++;
                }
                if (digits == 0 || digits > most) {
                    throw new Mistake(backslash, i - backslash, "\\x takes 1 to " + most + " hex digits in "
                            + (wide ? "an L\"...\"" : "a \"...\"") + " string");
                }
                return (long) i << 32 | value;
            }
            default:
                throw new Mistake(backslash, Math.min(2, text.length() - backslash), "unknown escape \\"
                        + (e == 0 ? "" : e) + " (HyperDbg's strings take \\n \\t \\\\ \\\" and \\xNN)");
        }
    }
}
