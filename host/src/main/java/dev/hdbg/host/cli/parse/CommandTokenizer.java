package dev.hdbg.host.cli.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a HyperDbg command line into tokens.
 *
 * <p>Rules, in order of precedence:
 * <ul>
 *   <li>{@code {...}} is one token, braces included, with its content verbatim: spaces, newlines,
 *       {@code #} and {@code =} inside it are kept. A '{' starts a new token and its
 *       '}' ends it, so {@code code{90}} is {@code code}, {@code {90}}. Braces do not nest.</li>
 *   <li>{@code "..."} is one token without the quotes, even when empty; inside it {@code \"} is a
 *       quote and {@code \\} a backslash, any other backslash is kept (Windows paths stay as
 *       written). Like a brace group, it starts and ends a token.</li>
 *   <li>{@code #} starts a comment that runs to the end of its line.</li>
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

    /** Adds the group opened at {@code open}; returns the index after its '}'. */
    private static int braceGroup(String line, int open, List<String> tokens) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '}') {
                tokens.add(line.substring(open, i + 1));
                return i + 1;
            }
            if (c == '{') {
                // Nesting is not part of the syntax; guessing where the group ends would hand
                // half of it to the next option.
                throw new IllegalArgumentException("'{' at position " + (i + 1)
                        + " inside the group opened at position " + (open + 1) + " (brace groups do not nest)");
            }
        }
        throw new IllegalArgumentException("unterminated '{' at position " + (open + 1)
                + " (close the group with '}', e.g. code {90 c3})");
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
