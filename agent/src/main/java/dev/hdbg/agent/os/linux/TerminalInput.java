package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A terminal's input on its way to the slave, as its line discipline ({@link Terminal}) queued it: the complete lines a
 * canonical read takes one at a time, and the line being edited. In raw mode the lines and the line being edited are
 * one stream of bytes.
 */
final class TerminalInput {
    /** A complete line's bytes; {@code endOfFile}: VEOF ended it, its last byte the NUL standing for it. */
    private record Line(byte[] bytes, boolean endOfFile) {
        /** What a canonical read gives of it. */
        int readable() {
            return bytes.length - (endOfFile ? 1 : 0);
        }
    }

    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream editing = new ByteArrayOutputStream();

    /** A byte onto the line being edited. */
    void add(int c) {
        editing.write(c);
    }

    /** The line being edited is complete, {@code c} (a newline, VEOL) its last byte. */
    void endLine(int c) {
        editing.write(c);
        lines.add(new Line(editing.toByteArray(), false));
        editing.reset();
    }

    /** VEOF: the line being edited is complete without a newline; alone, a canonical read of 0 bytes. */
    void endOfFile() {
        editing.write(0); // Linux's __DISABLED_CHAR in the end of file's place
        lines.add(new Line(editing.toByteArray(), true));
        editing.reset();
    }

    /** The line being edited. */
    byte[] edited() {
        return editing.toByteArray();
    }

    /** Takes up to {@code count} bytes off the end of the line being edited; how many it took. */
    int cut(int count) {
        byte[] now = editing.toByteArray();
        int n = Math.min(count, now.length);
        editing.reset();
        editing.write(now, 0, now.length - n);
        return n;
    }

    /** A canonical read: the first line's bytes (what fits of them); -1 when no line is complete. */
    int readLine(byte[] buffer) {
        Line first = lines.poll();
        if (first == null) {
            return -1;
        }
        int n = Math.min(buffer.length, first.readable());
        System.arraycopy(first.bytes(), 0, buffer, 0, n);
        if (n < first.readable()) {
            lines.addFirst(new Line(Arrays.copyOfRange(first.bytes(), n, first.bytes().length), first.endOfFile()));
        }
        return n;
    }

    /** A raw read: what has arrived (a VEOF's NUL too, as Linux's raw read gives it), as much as fits; 0 for nothing. */
    int readRaw(byte[] buffer) {
        merge();
        byte[] raw = editing.toByteArray();
        int n = Math.min(buffer.length, raw.length);
        System.arraycopy(raw, 0, buffer, 0, n);
        editing.reset();
        editing.write(raw, n, raw.length - n);
        return n;
    }

    /** Raw mode: the lines and the line being edited become one stream of bytes, the line being edited. */
    void merge() {
        if (!lines.isEmpty()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            lines.forEach(line -> all.writeBytes(line.bytes()));
            all.writeBytes(editing.toByteArray());
            lines.clear();
            editing.reset();
            editing.writeBytes(all.toByteArray());
        }
    }

    /** Whether a read in the mode {@code canonical} says has something to take. */
    boolean readable(boolean canonical) {
        return canonical ? !lines.isEmpty() : lines.size() + editing.size() > 0;
    }

    /** FIONREAD: the bytes a read in that mode may take. */
    int available(boolean canonical) {
        int queued = lines.stream().mapToInt(Line::readable).sum();
        return canonical ? queued : queued + editing.size();
    }

    /** Every byte held, a VEOF's NUL included: what the writer's limit counts. */
    int length() {
        return lines.stream().mapToInt(l -> l.bytes().length).sum() + editing.size();
    }

    void clear() {
        lines.clear();
        editing.reset();
    }
}
