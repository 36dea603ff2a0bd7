package dev.hdbg.host.cli.output;

/** Memory as the human output shows it, WinDbg's way: {@code db} with its ASCII column, {@code dw} .. {@code dq}, {@code dc}. */
final class MemoryText {
    private MemoryText() {
    }

    /** @param unit 1, 2, 4 or 8: db, dw, dd, dq */
    static String units(long address, byte[] data, int unit) {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < data.length; line += 16) {
            text.append(String.format("%016x ", address + line));
            for (int i = line; i < Math.min(line + 16, data.length); i += unit) {
                long value = 0;
                for (int b = Math.min(unit, data.length - i) - 1; b >= 0; b--) {
                    value = (value << 8) | (data[i + b] & 0xff);
                }
                text.append(' ').append(String.format("%0" + (unit * 2) + "x", value));
            }
            if (unit == 1) {
                text.append("  ").append(" ".repeat(3 * (16 - Math.min(16, data.length - line))));
                for (int i = line; i < Math.min(line + 16, data.length); i++) {
                    int c = data[i] & 0xff;
                    text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
                }
            }
            text.append('\n');
        }
        return text.toString().stripTrailing();
    }

    /** {@code dc}: double words, then the same bytes as ASCII. */
    static String doubleWordsWithChars(long address, byte[] data) {
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < data.length; line += 16) {
            int end = Math.min(line + 16, data.length);
            text.append(String.format("%016x ", address + line));
            for (int i = line; i < line + 16; i += 4) {
                if (i >= end) {
                    text.append("         ");
                    continue;
                }
                long value = 0;
                for (int b = Math.min(4, end - i) - 1; b >= 0; b--) {
                    value = (value << 8) | (data[i + b] & 0xff);
                }
                text.append(' ').append(String.format("%08x", value));
            }
            text.append("  ");
            for (int i = line; i < end; i++) {
                int c = data[i] & 0xff;
                text.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            text.append('\n');
        }
        return text.toString().stripTrailing();
    }
}
