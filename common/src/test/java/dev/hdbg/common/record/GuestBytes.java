package dev.hdbg.common.record;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** For the tests: bytes a guest's {@code %s} may hand a printf, well-formed UTF-8 or not. */
public final class GuestBytes {
    /** Lone continuation bytes, cut sequences, overlong forms, encoded surrogates, bytes past U+10FFFF, and text. */
    private static final byte[][] PIECES = {
        {'a'}, {'\n'}, {'"'}, {'\\'}, {0x01}, {0x1f}, {0x7f}, {(byte) 0xc3, (byte) 0xa9},
        {(byte) 0xe2, (byte) 0x82, (byte) 0xac}, {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80}, {(byte) 0x80},
        {(byte) 0xbf}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xc0, (byte) 0xaf},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xff},
        {(byte) 0xfe}, {(byte) 0xe9},
    };

    private GuestBytes() {
    }

    /** Up to 11 pieces, each well-formed alone or not. */
    public static byte[] random(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int n = random.nextInt(12); n > 0; n--) {
            out.writeBytes(PIECES[random.nextInt(PIECES.length)]);
        }
        return out.toByteArray();
    }
}
