package dev.hdbg.common.text;

/**
 * What the user typed, repeated in a message: cut short when it is long, so that a megabyte pasted by mistake is
 * not echoed back whole, with the length it had so the user sees that it was cut.
 */
public final class Echo {
    /** Enough for any command name, number or path a user types; anything longer is cut. */
    public static final int SHORT = 40;

    private Echo() {
    }

    /**
     * {@code text}, or its first {@code limit} characters followed by "... (N characters)"; either way
     * {@link #printable}, so that what was typed cannot break the message's line or move the terminal's cursor.
     */
    public static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return printable(text);
        }
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return printable(text.substring(0, end)) + "... (" + text.length() + " characters)";
    }

    /**
     * {@code text} as {@link #printable}, line by line: a message written on several lines on purpose (a script's
     * error with its caret under the offending token) keeps its line breaks, and nothing else it quotes can break one.
     */
    public static String printableLines(String text) {
        return String.join("\n", java.util.Arrays.stream(text.split("\n", -1)).map(Echo::printable).toList());
    }

    /**
     * {@code text} with its control characters (line breaks, tabs, escapes, the Unicode line and paragraph
     * separators) written as Java escapes ({@code \n}, {@code \x1b}, {@code \u2028}): a message stays one line.
     */
    public static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c < 0x100) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@link #cut} to {@link #SHORT}. */
    public static String cut(String text) {
        return cut(text, SHORT);
    }
}
