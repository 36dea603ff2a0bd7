package dev.hdbg.common.script;

/**
 * Where a token or a syntax-tree node starts in the script's text, and how many characters it covers.
 *
 * @param offset index of the first character in the text, from 0
 * @param line   line number, from 1
 * @param column column number, from 1, counting characters (a tab is one)
 * @param length characters the token covers, at least 1 (an error at the end of the text covers one)
 */
public record Pos(int offset, int line, int column, int length) {
    public Pos {
        if (offset < 0 || line < 1 || column < 1 || length < 1) {
            throw new IllegalArgumentException("bad position: offset " + offset + ", line " + line
                    + ", column " + column + ", length " + length);
        }
    }

    /** The span from the start of this position to the end of {@code last}, for a node made of several tokens. */
    public Pos through(Pos last) {
        int end = Math.max(offset + length, last.offset + last.length);
        return new Pos(offset, line, column, end - offset);
    }

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
