package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code dt TYPE [ADDR]} and {@code struct TYPE}: a struct, union or typedef of the program's DWARF debug
 * information (HyperDbg reads PDBs), whose layout the agent has gdb read ({@link TypeLayout}). {@code dt} shows each
 * field at its offset as WinDbg and HyperDbg do, with its value when an address is given; {@code struct} shows the C
 * definition with each field's offset in a comment, as HyperDbg's {@code struct} does. HyperDbg's {@code module!}
 * prefix is taken and dropped: the program's own types are read.
 */
abstract class TypeCommand extends SessionCommand {
    /** The most bytes {@code dt} reads at an address: one memory request. */
    private static final int MAX_READ = 1 << 20;

    TypeCommand(DebugSession session) {
        super(session);
    }

    TypeLayout layout(String type) {
        String name = type.contains("!") ? type.substring(type.indexOf('!') + 1) : type;
        return TypeLayout.parse(session.await(session.client().typeLayout(name)));
    }

    @Command(name = "dt", description = {"Shows a type of the program's debug information, with the values at an address"
            + " (HyperDbg): dt TYPE [ADDR]", "TYPE is a struct, union or typedef of a program built with gcc -g (read"
            + " by gdb on the agent's machine); ADDR an expression", "Example: dt point @rdi"})
    static final class Dt extends TypeCommand {
        @Parameters(arity = "1..*", paramLabel = "TYPE [ADDR]")
        List<String> args = new ArrayList<>();

        Dt(DebugSession session) {
            super(session);
        }

        @Override
        void run() {
            TypeLayout layout = layout(args.getFirst());
            byte[] memory = null;
            if (args.size() > 1) {
                long address = session.evaluate(String.join(" ", args.subList(1, args.size())));
                int length = (int) Math.min(Math.max(layout.size(), 1), MAX_READ);
                memory = session.await(session.client().readMemory(address, length));
            }
            out().text(dtLines(layout, memory));
        }
    }

    @Command(name = "struct", description = {"Shows a type of the program's debug information as C, with each field's"
            + " offset (HyperDbg): struct TYPE", "Example: struct point"})
    static final class Struct extends TypeCommand {
        @Parameters(arity = "1", paramLabel = "TYPE")
        String type;

        Struct(DebugSession session) {
            super(session);
        }

        @Override
        void run() {
            out().text(structLines(layout(type)));
        }
    }

    /** {@code dt}'s lines: {@code    +0x008 y    : 0xfffffffffffffff9}, or the field's type without memory. */
    static List<String> dtLines(TypeLayout layout, byte[] memory) {
        int width = layout.fields().stream().mapToInt(f -> f.name().length() + 3 * f.depth()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (TypeLayout.Field f : layout.fields()) {
            String name = "   ".repeat(f.depth()) + f.name();
            String shown = memory == null || f.aggregate() ? f.type() : value(f, memory);
            lines.add(String.format("   +0x%03x %-" + Math.max(width, 1) + "s : %s", f.offset(), name, shown));
        }
        return lines;
    }

    /** {@code struct}'s lines: C, each field after its offset, as HyperDbg's struct prints them. */
    static List<String> structLines(TypeLayout layout) {
        List<String> lines = new ArrayList<>();
        lines.add(layout.declaration() + " {");
        List<Open> open = new ArrayList<>();
        for (TypeLayout.Field f : layout.fields()) {
            while (!open.isEmpty() && open.getLast().depth() >= f.depth()) {
                open.removeLast().close(lines);
            }
            String indent = "    ".repeat(f.depth() + 1);
            String offset = String.format("/* 0x%04x */ ", f.offset());
            if (f.aggregate()) {
                int array = f.type().indexOf(" [");
                lines.add(indent + offset + (array >= 0 ? f.type().substring(0, array) : f.type()) + " {");
                open.add(new Open(f.depth(), f.name() + (array >= 0 ? f.type().substring(array + 1) : "")));
            } else {
                lines.add(indent + offset + declaration(f) + ";");
            }
        }
        while (!open.isEmpty()) {
            open.removeLast().close(lines);
        }
        lines.add(String.format("}; /* size: 0x%04x */", layout.size()));
        return lines;
    }

    /** An aggregate field whose closing line, {@code } name;}, is still to come. */
    private record Open(int depth, String name) {
        void close(List<String> lines) {
            lines.add("    ".repeat(depth + 1) + "} " + name + ";");
        }
    }

    private static String declaration(TypeLayout.Field f) {
        String type = f.type();
        String bits = f.bits() >= 0 ? " : " + f.bits() : "";
        int array = type.indexOf(" [");
        if (type.contains("(*)")) {
            return type.replace("(*)", "(*" + f.name() + ")") + bits;
        }
        if (array >= 0) {
            return type.substring(0, array) + " " + f.name() + type.substring(array + 1) + bits;
        }
        return type + (type.endsWith("*") ? "" : " ") + f.name() + bits;
    }

    private static String value(TypeLayout.Field f, byte[] memory) {
        int from = (int) Math.min(f.offset(), memory.length);
        int to = (int) Math.min(f.offset() + f.size(), memory.length);
        byte[] bytes = java.util.Arrays.copyOfRange(memory, from, to);
        if (f.isArray()) {
            if (f.type().startsWith("char ")) {
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                return "\"" + new String(bytes, 0, end, StandardCharsets.ISO_8859_1) + "\"";
            }
            return HexFormat.ofDelimiter(" ").formatHex(bytes);
        }
        if (bytes.length > 8 || bytes.length == 0) {
            return HexFormat.ofDelimiter(" ").formatHex(bytes);
        }
        long value = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            value = value << 8 | (bytes[i] & 0xff);
        }
        if (f.bits() >= 0) {
            long field = (value >>> f.bitOffset()) & ((1L << f.bits()) - 1);
            return "0x" + Long.toHexString(field) + " (bits " + f.bitOffset() + "-" + (f.bitOffset() + f.bits() - 1) + ")";
        }
        return "0x" + Long.toHexString(value);
    }
}
