package dev.hdbg.host.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Remote Serial Protocol's byte-level rules (GDB manual, "Overview" of "Remote Protocol"): a packet is
 * {@code $payload#cc}, {@code cc} the modulo-256 sum of the payload's bytes in two hex digits; {@code #}, {@code $},
 * <code>}</code> and {@code *} inside binary data are escaped as <code>}</code> then the byte xor 0x20.
 */
final class Packets {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Packets() {
    }

    /** The modulo-256 sum of {@code bytes}. */
    static int checksum(byte[] bytes, int offset, int length) {
        int sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += bytes[i] & 0xff;
        }
        return sum & 0xff;
    }

    /** {@code $payload#cc}; {@code payload} must already be escaped where binary. */
    static byte[] frame(byte[] payload) {
        byte[] framed = new byte[payload.length + 4];
        framed[0] = '$';
        System.arraycopy(payload, 0, framed, 1, payload.length);
        int sum = checksum(payload, 0, payload.length);
        framed[payload.length + 1] = '#';
        framed[payload.length + 2] = HEX[sum >> 4];
        framed[payload.length + 3] = HEX[sum & 0xf];
        return framed;
    }

    /** Escapes the bytes the framing reserves, for binary replies (qXfer data, vFile:pread). */
    static byte[] escape(byte[] data, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 16);
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xff;
            if (b == '#' || b == '$' || b == '}' || b == '*') {
                out.write('}');
                out.write(b ^ 0x20);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Reverses {@link #escape}, for {@code X} packets' data. */
    static byte[] unescape(byte[] data, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xff;
            if (b == '}' && i + 1 < offset + length) {
                out.write((data[++i] & 0xff) ^ 0x20);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Two lower-case hex digits a byte, in order. */
    static String hex(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The bytes {@code hex} spells.
     *
     * @throws IllegalArgumentException when it has an odd length or a character that is not a hex digit
     */
    static byte[] unhex(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex.charAt(2 * i)) << 4 | digit(hex.charAt(2 * i + 1)));
        }
        return out;
    }

    /** A hex number as the protocol writes addresses and lengths: no prefix, at most 64 bits. */
    static long number(String hex) {
        if (hex.isEmpty() || hex.length() > 16) {
            throw new IllegalArgumentException("not a hex number: '" + hex + "'");
        }
        long value = 0;
        for (int i = 0; i < hex.length(); i++) {
            value = value << 4 | digit(hex.charAt(i));
        }
        return value;
    }

    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + (char) c + "'");
    }

    /** {@code value} as {@code bytes} little-endian bytes in hex, as {@code g} and {@code p} carry registers. */
    static String littleEndian(long value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes && i < 8; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return hex(out);
    }

    /** Reads a little-endian value of up to 8 bytes. */
    static long fromLittleEndian(byte[] bytes) {
        long value = 0;
        for (int i = Math.min(bytes.length, 8) - 1; i >= 0; i--) {
            value = value << 8 | (bytes[i] & 0xff);
        }
        return value;
    }
}
