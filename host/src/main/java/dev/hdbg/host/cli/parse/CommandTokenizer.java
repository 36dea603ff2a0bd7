package dev.hdbg.host.cli.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a HyperDbg command line into tokens.
 *
 * <p>Rules, in order of precedence:
 * <ul>
 *   <li>{@code {...}} is one token, braces included, with its content verbatim: spaces, newlines,
 *       {@code #} and {@code =} inside it are kept. A '{' starts a new token and its matching
 *       '}' ends it, so {@code code{90}} is {@code code}, {@code {90}}. Braces nest, as a
 *       {@code script { if (@rax) { ... } }} needs; inside a group, braces in a script's
 *       {@code "..."} string or {@code //} and {@code /* *}{@code /} comment do not count.</li>
 *   <li>{@code "..."} is one token without the quotes, even when empty; inside it {@code \"} is a
 *       quote and {@code \\} a backslash, any other backslash is kept (Windows paths stay as
 *       written). Like a brace group, it starts and ends a token.</li>
 *   <li>{@code #} and HyperDbg's {@code //} start a comment that runs to the end of its line; HyperDbg's
 *       {@code /* ... *}{@code /} is a comment that may span lines (HyperDbg's batch scripts use C's comments).</li>
 *   <li>{@code =} is a token of its own, spaced or not: {@code rax=5} is {@code rax}, {@code =},
 *       {@code 5}.</li>
 *   <li>Whitespace, newlines included, separates tokens; everything else joins into words.</li>
 * </ul>
 */
public final class CommandTokenizer {

    private CommandTokenizer() {
    }

    /**
     * Tokenizes one command, which may span several lines inside a brace group.
     *
     * @param line the command text
     * @return the tokens in order; empty for a blank line or a comment
     * @throws IllegalArgumentException naming the 1-based position when a '{' or a quote is
     *                                  not closed, a '{' opens inside a group, or a '}'
     *                                  closes none
     */
    public static List<String> tokenize(String line) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            int comment = commentEnd(line, i);
            if (comment >= 0) {
                flush(word, tokens);
                i = comment;
                continue;
            }
            if (c == '{' || c == '"' || c == '#' || c == '=' || Character.isWhitespace(c)) {
                flush(word, tokens);
            }
            switch (c) {
                case '{' -> i = braceGroup(line, i, tokens);
                case '"' -> i = quoted(line, i, tokens);
                case '#' -> i = endOfLine(line, i);
                case '=' -> {
                    tokens.add("=");
                    i++;
                }
                case '}' -> throw new IllegalArgumentException("unmatched '}' at position " + (i + 1)
                        + " (a brace group starts with '{', e.g. code {90 c3})");
                default -> {
                    if (!Character.isWhitespace(c)) {
                        word.append(c);
                    }
                    i++;
                }
            }
        }
        flush(word, tokens);
        return List.copyOf(tokens);
    }

    /**
     * When a HyperDbg comment starts at {@code i}, the index after it: after the line break that ends a {@code //}
     * comment, or after the {@code *}{@code /} of a {@code /*} one (the end of the text when it is not closed);
     * otherwise -1.
     */
    private static int commentEnd(String text, int i) {
        if (text.charAt(i) != '/' || i + 1 >= text.length()) {
            return -1;
        }
        if (text.charAt(i + 1) == '/') {
            return endOfLine(text, i);
        }
        if (text.charAt(i + 1) == '*') {
            int close = text.indexOf("*/", i + 2);
            return close < 0 ? text.length() : close + 2;
        }
        return -1;
    }

    /** Adds the group opened at {@code open}; returns the index after its '}'. */
    private static int braceGroup(String line, int open, List<String> tokens) {
        int end = groupEnd(line, open);
        if (end < 0) {
            throw new IllegalArgumentException("unterminated '{' at position " + (open + 1)
                    + " (close the group with '}', e.g. code {90 c3})");
        }
        tokens.add(line.substring(open, end));
        return end;
    }

    /**
     * The index after the '}' that closes the group opened at {@code open}, or -1 when the text ends first. A script's
     * strings and comments are skipped whole, so {@code printf("}")} does not close the group.
     */
    private static int groupEnd(String text, int open) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = stringEnd(text, i);
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                int newline = text.indexOf('\n', i);
                i = newline < 0 ? text.length() : newline;
                continue;
            }
            if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 2;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    /** The index after the string opened at {@code open} (a backslash escapes the next character), or the end. */
    private static int stringEnd(String text, int open) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /**
     * Whether {@code text} ends inside a brace group, so that a command file or the prompt should join the next line
     * to it: {@code !epthook main script {} followed by lines of the script and a {@code }}.
     */
    public static boolean endsInsideGroup(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int end = groupEnd(text, i);
                if (end < 0) {
                    return true;
                }
                i = end;
            } else if (c == '"') {
                i = quotedEnd(text, i);
            } else if (c == '#') {
                int newline = text.indexOf('\n', i);
                i = newline < 0 ? text.length() : newline;
            } else if (commentEnd(text, i) >= 0) {
                if (text.startsWith("/*", i) && text.indexOf("*/", i + 2) < 0) {
                    return true; // a block comment goes on on the next line
                }
                i = commentEnd(text, i);
            } else {
                i++;
            }
        }
        return false;
    }

    /** Whether {@code text} is a one-line comment: {@code # ...} or HyperDbg's {@code // ...}. */
    public static boolean isLineComment(String text) {
        String start = text.stripLeading();
        return start.startsWith("#") || start.startsWith("//");
    }

    /**
     * Whether {@code text} is nothing but comments ({@code #}, {@code //}, {@code /* *}{@code /}) and blanks, so that a
     * command file skips it without showing it.
     */
    public static boolean isComment(String text) {
        if (isLineComment(text)) {
            return true;
        }
        if (!text.stripLeading().startsWith("/*")) {
            return false;
        }
        try {
            return tokenize(text).isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** As {@link #quoted}'s scan: the index after the closing quote, or the end. */
    private static int quotedEnd(String text, int open) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** Adds the string opened at {@code open} without its quotes; returns the index after the closing quote. */
    private static int quoted(String line, int open, List<String> tokens) {
        StringBuilder text = new StringBuilder();
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                tokens.add(text.toString());
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                i++;
                c = line.charAt(i);
            }
            text.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated '\"' at position " + (open + 1)
                + " (close the string with '\"')");
    }

    private static int endOfLine(String line, int from) {
        int newline = line.indexOf('\n', from);
        return newline < 0 ? line.length() : newline + 1;
    }

    private static void flush(StringBuilder word, List<String> tokens) {
        if (!word.isEmpty()) {
            tokens.add(word.toString());
            word.setLength(0);
        }
    }
}
