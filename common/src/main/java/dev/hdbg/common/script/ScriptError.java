package dev.hdbg.common.script;

/**
 * One mistake in a script: where it is and what is wrong, in words that say what to do next.
 *
 * @param pos     the offending token (or node)
 * @param message what is wrong, without the position
 */
public record ScriptError(Pos pos, String message) {
    /** A line longer than this is shown as a window around the error, so that a one-line megabyte stays readable. */
    static final int WINDOW = 100;

    public ScriptError {
        if (pos == null || message == null) {
            throw new NullPointerException("an error needs a position and a message");
        }
    }

    /**
     * The error as a compiler prints it: the name, line and column, the message, then the source line with a caret
     * under the offending token ({@code ^} under its first character, {@code ~} under the rest of it on that line).
     * Tabs before the token are kept in the caret line, so the caret stays under the token in a terminal.
     *
     * <pre>
     * script:2:9: error: unknown register '@rxx'
     *     if (@rxx == 5) {
     *         ^~~~
     * </pre>
     */
    public String render(SourceText source) {
        String full = source.lineText(pos.line());
        String line = full;
        int column = Math.min(pos.column() - 1, line.length());
        int width = Math.max(1, Math.min(pos.length(), line.length() - column));
        int from = 0;
        String lead = "";
        String tail = "";
        if (line.length() > WINDOW) {
            from = Math.max(0, Math.min(column - WINDOW / 2, line.length() - WINDOW));
            int to = Math.min(line.length(), from + WINDOW);
            lead = from > 0 ? "..." : "";
            tail = to < line.length() ? "..." : "";
            line = line.substring(from, to);
            width = Math.min(width, to - column);
        }
        StringBuilder caret = new StringBuilder(lead.length() + column - from + width);
        caret.repeat(' ', lead.length());
        for (int i = from; i < column; i++) {
            caret.append(full.charAt(i) == '\t' ? '\t' : ' ');
        }
        caret.append('^').repeat('~', Math.max(0, width - 1));
        return source.name() + ":" + pos.line() + ":" + pos.column() + ": error: " + message + "\n"
                + lead + line + tail + "\n" + caret;
    }
}
