package dev.hdbg.common.text;

import java.io.ByteArrayOutputStream;

/**
 * Machine-code bytes as HyperDbg users write them between the braces of {@code code {...}} and
 * {@code condition {...}}.
 *
 * <p>Syntax:
 * <pre>
 * bytes = { space } [ group { space { space } group } ] { space } ;
 * group = [ "0x" ] hexdigit hexdigit { hexdigit hexdigit } ;
 * space = " " | "\t" | "\r" | "\n" ;
 * </pre>
 * So {@code 48 ff 01}, {@code 48ff01}, {@code 48ff 01}, {@code 0x48 0xff 0x01} and the same
 * spread over lines all mean the three bytes 48 ff 01. A group must have an even number of
 * digits: a lone {@code f} could mean {@code 0f} or the start of a byte the user forgot, and
 * guessing would run the wrong code in the guest.
 */
public final class HexBytes {
    private static final String HINT = "write bytes as hex pairs, e.g. 48 ff 01";

    private HexBytes() {
    }

    /**
     * Parses the content of a brace group into bytes.
     *
     * @param text the text between the braces, without them
     * @return the bytes in order; empty when {@code text} holds only whitespace
     * @throws IllegalArgumentException naming the bad group when one holds a non-hex character
     *                                  or an odd number of digits
     */
    public static byte[] parse(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 2);
        for (String group : text.strip().split("\\s+")) {
            if (!group.isEmpty()) {
                appendGroup(group, out);
            }
        }
        return out.toByteArray();
    }

    private static void appendGroup(String group, ByteArrayOutputStream out) {
        String digits = group.regionMatches(true, 0, "0x", 0, 2) ? group.substring(2) : group;
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("'" + group + "' has no digits (" + HINT + ")");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (hexValue(digits.charAt(i)) < 0) {
                throw new IllegalArgumentException(
                        "not hex: '" + group + "' (" + HINT + ")");
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "odd number of hex digits in '" + group + "' (each byte takes two digits: write 0f, not f)");
        }
        for (int i = 0; i < digits.length(); i += 2) {
            out.write(hexValue(digits.charAt(i)) << 4 | hexValue(digits.charAt(i + 1)));
        }
    }

    /** The value of an ASCII hex digit, or -1; Character.digit would admit non-ASCII digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
