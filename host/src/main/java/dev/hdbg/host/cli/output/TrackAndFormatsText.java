package dev.hdbg.host.cli.output;

import static dev.hdbg.host.cli.output.HumanOutput.hex;

import dev.hdbg.common.model.CallTrack;

/** The text of two HyperDbg displays that {@link HumanOutput} prints: {@code !track}'s call tree and {@code .formats}. */
final class TrackAndFormatsText {
    private TrackAndFormatsText() {
    }

    /** As HyperDbg's {@code !track} draws it, with hdbg's addresses: {@code │  ┌── work (0x401d35)}. */
    static String callTree(CallTree tree) {
        StringBuilder text = new StringBuilder();
        for (CallTree.Node node : tree.nodes()) {
            text.append("\u2502  ".repeat(node.depth()))
                    .append(node.kind() == CallTrack.Kind.CALL ? "\u250c\u2500\u2500 " : "\u2514\u2500\u2500 ")
                    .append(node.symbol().map(s -> s + " (" + hex(node.address()) + ")").orElse(hex(node.address())))
                    .append('\n');
            if (!node.registers().isEmpty()) {
                node.registers().forEach((name, value) -> text.append(name).append('=').append(String.format("%016x ", value)));
                text.append('\n');
            }
        }
        text.append("tracked ").append(tree.instructions()).append(" instructions");
        if (tree.dropped() > 0) {
            text.append("; ").append(tree.dropped()).append(" later calls and returns were not kept");
        }
        return text.toString();
    }

    /** As HyperDbg's {@code .formats} shows it (without its Time line: the value is no time the guest knows). */
    static String formats(long value) {
        String hex = String.format("%016x", value);
        StringBuilder chars = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            int c = (int) (value >>> (8 * i)) & 0xff;
            chars.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        String binary = String.format("%64s", Long.toBinaryString(value)).replace(' ', '0').replaceAll("(.{8})(?!$)", "$1 ");
        return "Evaluate expression:\n"
                + "Hex :        " + hex.substring(0, 8) + "`" + hex.substring(8) + "\n"
                + "Decimal :    " + value + "\n"
                + "Octal :      " + Long.toOctalString(value) + "\n"
                + "Binary :     " + binary + "\n"
                + "Char :       " + chars + "\n"
                + "Float :      " + Float.intBitsToFloat((int) value) + "\n"
                + "Double :     " + Double.longBitsToDouble(value);
    }
}
