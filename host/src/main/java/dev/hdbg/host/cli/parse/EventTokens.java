package dev.hdbg.host.cli.parse;

import dev.hdbg.common.text.Numbers;

import java.util.List;
import java.util.Locale;

/** Token tests and conversions shared by the positional and the option part of an event command. */
final class EventTokens {
    /**
     * Every option keyword of every event command. The positional part stops at any of them, so
     * {@code !epthook code {90}} says "needs an address" rather than "code is not a number".
     */
    static final List<String> KEYWORDS = List.of("code", "script", "buffer", "log", "break", "condition", "imm",
            "disabled", "pid", "core", "sc", "stage", "output", "mask", "asm");

    private EventTokens() {
    }

    /** The token at {@code index}, or null past the end, so callers can report "missing" in one place. */
    static String at(List<String> tokens, int index) {
        return index < tokens.size() ? tokens.get(index) : null;
    }

    static boolean isKeyword(String token) {
        return KEYWORDS.contains(token.toLowerCase(Locale.ROOT));
    }

    /** Whether a value is absent: past the end, or the next clause's keyword or brace group. */
    static boolean isMissingValue(String token) {
        return token == null || isKeyword(token) || isBraceGroup(token);
    }

    static boolean isBraceGroup(String token) {
        return token.length() >= 2 && token.startsWith("{") && token.endsWith("}");
    }

    /**
     * Whether a token after the command is meant as its number: keywords never start with a digit,
     * so a malformed number such as {@code 0n1x} gets the number's error, not "unknown option".
     */
    static boolean looksNumeric(String token) {
        return !isKeyword(token) && (Numbers.isNumber(token) || token.startsWith("-")
                || !token.isEmpty() && token.charAt(0) >= '0' && token.charAt(0) <= '9');
    }

    /** Parses a number, naming what it is in the error: {@code !epthook address: not a number: 'main' ...}. */
    static long number(String text, String what) {
        try {
            return Numbers.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** The text between the braces of a brace group, or {@code whenMissing} as the error. */
    static String braceContent(String value, String whenMissing) {
        if (value == null || !isBraceGroup(value)) {
            throw new IllegalArgumentException(whenMissing);
        }
        return value.substring(1, value.length() - 1);
    }
}
