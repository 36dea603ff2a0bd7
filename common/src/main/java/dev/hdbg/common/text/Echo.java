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

    /** {@code text}, or its first {@code limit} characters followed by "... (N characters)". */
    public static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(limit - 1)) ? limit - 1 : limit;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }

    /** {@link #cut} to {@link #SHORT}. */
    public static String cut(String text) {
        return cut(text, SHORT);
    }
}
