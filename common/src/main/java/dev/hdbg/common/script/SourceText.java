package dev.hdbg.common.script;

import java.util.Arrays;

/**
 * A script's text with the start of each line indexed, so that a position can be found from an offset and an error
 * can show the line it is on.
 *
 * @param name what error messages call the text: {@code "script"}, or a file's path
 * @param text the script itself
 */
public record SourceText(String name, String text) {
    public SourceText {
        if (name == null || text == null) {
            throw new NullPointerException("a source needs a name and a text");
        }
    }

    /** The position of the character at {@code offset} (the end of the text is one too), covering {@code length}. */
    public Pos position(int offset, int length) {
        if (offset < 0 || offset > text.length()) {
            throw new IllegalArgumentException("offset " + offset + " is outside the text (0.." + text.length() + ")");
        }
        int[] starts = lineStarts();
        int index = Arrays.binarySearch(starts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new Pos(offset, line + 1, offset - starts[line] + 1, Math.max(1, length));
    }

    /** The text of line {@code line} (from 1), without its line break. */
    public String lineText(int line) {
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) {
            throw new IllegalArgumentException("line " + line + " is outside the text (1.." + starts.length + ")");
        }
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, Math.max(start, end));
    }

    private int[] lineStarts() {
        // Computed on demand: a text is indexed only when an error or a run-time fault needs a position.
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                count++;
            }
        }
        int[] starts = new int[count];
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts[line++] = i + 1;
            }
        }
        return starts;
    }
}
