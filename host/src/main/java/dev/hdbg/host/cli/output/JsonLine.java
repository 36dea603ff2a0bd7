package dev.hdbg.host.cli.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON line as UTF-8 bytes, reused from record to record: what {@link RecordJson} writes a hot event's records
 * into, so that they reach a byte stream (the {@link ByteScreen} over stdout) without being chars on the way — a
 * char copy, a string of the block and an encoder pass a record before (docs/benchmarks.md, "Records, wave 6").
 * Not thread-safe: each writer has its own.
 */
final class JsonLine {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** "00" to "99", two bytes each. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int n = 0; n < 100; n++) {
            PAIRS[2 * n] = (byte) ('0' + n / 10);
            PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
        }
    }

    private byte[] bytes = new byte[256];
    private int length;
    /** For the tests: pieces of text copied in ({@link #ascii(String)}, {@link #bytes}), one array copy each. */
    private long copies;

    void clear() {
        length = 0;
    }

    long copies() {
        return copies;
    }

    int length() {
        return length;
    }

    /** The line's bytes, valid up to {@link #length}; the array is the line's own, reused by the next one. */
    byte[] bytes() {
        return bytes;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, bytes.length * 2));
        }
    }

    /** Text that is plain ASCII and needs no escaping: the field names and punctuation. */
    JsonLine ascii(String text) {
        copies++;
        int n = text.length();
        room(n);
        text.getBytes(0, n, bytes, length); // ASCII only here: the deprecated form is exactly the copy wanted
        length += n;
        return this;
    }

    /** Bytes already UTF-8 and escaped (what {@link RecordJson} keeps from one record to the next), in one copy. */
    JsonLine bytes(byte[] utf8) {
        copies++;
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    JsonLine ascii(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** A decimal number, as {@link StringBuilder#append(long)} writes it. */
    JsonLine decimal(long value) {
        if (value == Long.MIN_VALUE) {
            return ascii("-9223372036854775808");
        }
        room(20);
        if (value < 0) {
            bytes[length++] = '-';
            value = -value;
        }
        // Digits counted by comparison and written two at a time: a sequence number of seven digits took fourteen
        // divisions, a tenth of a log line's time (docs/benchmarks.md, "Records, wave 11").
        int digits = 1;
        for (long bound = 10; digits < 19 && value >= bound; bound *= 10) {
            digits++;
        }
        int i = length + digits;
        while (value >= 100) {
            int pair = (int) (value % 100);
            value /= 100;
            bytes[--i] = PAIRS[2 * pair + 1];
            bytes[--i] = PAIRS[2 * pair];
        }
        if (value >= 10) {
            bytes[--i] = PAIRS[2 * (int) value + 1];
            bytes[--i] = PAIRS[2 * (int) value];
        } else {
            bytes[--i] = (byte) ('0' + value);
        }
        length += digits;
        return this;
    }

    /** {@link Long#toHexString}'s digits. */
    JsonLine hex(long value) {
        room(16);
        int shift = value == 0 ? 0 : (63 - Long.numberOfLeadingZeros(value)) & ~3;
        for (; shift >= 0; shift -= 4) {
            bytes[length++] = DIGITS[(int) (value >>> shift) & 0xf];
        }
        return this;
    }

    /** Each byte as two lower-case hex digits. */
    JsonLine hexBytes(byte[] data) {
        room(2 * data.length);
        for (byte b : data) {
            bytes[length++] = DIGITS[(b >> 4) & 0xf];
            bytes[length++] = DIGITS[b & 0xf];
        }
        return this;
    }

    /**
     * A JSON string, escaped as {@link Json#string} escapes it, in UTF-8 as {@link String#getBytes} encodes it (a lone
     * surrogate becomes {@code ?}).
     */
    JsonLine string(String s) {
        int n = s.length();
        room(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                bytes[length++] = (byte) c; // room for every char left as one byte, and the quote: kept below
                continue;
            }
            String escaped = Json.escape(c);
            if (escaped != null) {
                ascii(escaped);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                utf8(Character.toCodePoint(c, s.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                ascii('?');
            } else {
                utf8(c);
            }
            room(n - i); // what is left as one byte a char, and the closing quote
        }
        bytes[length++] = '"';
        return this;
    }

    /**
     * Well-formed UTF-8 text as a JSON string, the bytes {@link #string(String)} writes for its string: a byte beyond
     * ASCII is part of a character written as it is, so only ASCII bytes are escaped. Script output reaches the JSON
     * so, never a string on the host (docs/benchmarks.md, "Script output, wave 13").
     */
    JsonLine string(byte[] utf8) {
        int n = utf8.length;
        room(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            byte b = utf8[i];
            if (b >= 0x20 && b != '"' && b != '\\' || b < 0) {
                bytes[length++] = b; // room for every byte left as one, and the quote: kept below
                continue;
            }
            ascii(Json.escape((char) b));
            room(n - i);
        }
        bytes[length++] = '"';
        return this;
    }

    private void utf8(int codePoint) {
        room(4);
        if (codePoint < 0x800) {
            bytes[length++] = (byte) (0xc0 | codePoint >> 6);
        } else if (codePoint < 0x10000) {
            bytes[length++] = (byte) (0xe0 | codePoint >> 12);
            bytes[length++] = (byte) (0x80 | (codePoint >> 6) & 0x3f);
        } else {
            bytes[length++] = (byte) (0xf0 | codePoint >> 18);
            bytes[length++] = (byte) (0x80 | (codePoint >> 12) & 0x3f);
            bytes[length++] = (byte) (0x80 | (codePoint >> 6) & 0x3f);
        }
        bytes[length++] = (byte) (0x80 | codePoint & 0x3f);
    }

    /** The line as text (for the writers that take chars, and the tests). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
