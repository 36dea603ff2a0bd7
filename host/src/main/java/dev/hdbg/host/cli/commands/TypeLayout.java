package dev.hdbg.host.cli.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A struct, union or typedef as gdb's {@code ptype /o} prints it (the agent's reply to {@code dt} and {@code struct}):
 * its declaration ({@code struct point}), its size and its fields in order, nested aggregates' fields after their own
 * line with offsets from the start of the outermost type, as gdb gives them.
 *
 * @param declaration what gdb names the type: {@code struct point}
 * @param size        its size in bytes
 * @param fields      every field, nested ones included
 */
record TypeLayout(String declaration, long size, List<Field> fields) {
    /**
     * One field.
     *
     * @param depth     0 for the type's own fields, 1 for those of an aggregate field, ...
     * @param offset    bytes from the start of the outermost type
     * @param bitOffset the first bit of a bit field within its unit at {@code offset}, else -1
     * @param bits      a bit field's width, else -1
     * @param size      bytes (a bit field: its unit's)
     * @param type      the C type, {@code struct point *}, {@code char [8]}
     * @param name      the field's name
     * @param aggregate whether its own fields follow it (a struct or union member)
     */
    record Field(int depth, long offset, int bitOffset, int bits, long size, String type, String name, boolean aggregate) {
        boolean isArray() {
            return type.endsWith("]");
        }
    }

    // "/*     16: 3   |       4 */    unsigned int mode : 5;"
    private static final Pattern FIELD = Pattern.compile("^/\\*\\s*(\\d+)(?::\\s*(\\d+))?\\s*\\|\\s*(\\d+)\\s*\\*/( +)(.+)$");
    private static final Pattern CLOSE = Pattern.compile("^\\s*}\\s*([A-Za-z_]\\w*)?((?:\\[\\d+])*)\\s*;\\s*$");
    private static final Pattern TOTAL = Pattern.compile("/\\*\\s*total size \\(bytes\\):\\s*(\\d+)\\s*\\*/");
    private static final Pattern BIT_FIELD = Pattern.compile("^(.*\\S)\\s*:\\s*(\\d+)$");
    private static final Pattern FUNCTION_POINTER = Pattern.compile("\\(\\*\\s*([A-Za-z_]\\w*)\\)");
    private static final Pattern DECLARATOR = Pattern.compile("^(.*?)([A-Za-z_]\\w*)((?:\\[\\d+])*)$");
    /** gdb indents a type's own fields by four spaces after the comment, and each nesting by four more. */
    private static final int INDENT = 4;

    /**
     * Reads gdb's output.
     *
     * @throws IllegalArgumentException when it is not a {@code ptype /o} layout
     */
    static TypeLayout parse(String text) {
        String declaration = null;
        long size = 0;
        List<Field> fields = new ArrayList<>();
        List<Integer> open = new ArrayList<>();
        for (String line : text.lines().toList()) {
            int type = line.indexOf("type = ");
            if (declaration == null && type >= 0) {
                declaration = line.substring(type + "type = ".length()).replaceFirst("\\s*\\{\\s*$", "").strip();
                continue;
            }
            Matcher total = TOTAL.matcher(line);
            if (total.find()) {
                size = Long.parseLong(total.group(1)); // the outermost type's comes last
                continue;
            }
            Matcher field = FIELD.matcher(line);
            if (field.matches()) {
                long offset = Long.parseLong(field.group(1));
                int bitOffset = field.group(2) == null ? -1 : Integer.parseInt(field.group(2));
                long bytes = Long.parseLong(field.group(3));
                int depth = Math.max(0, field.group(4).length() / INDENT - 1);
                String decl = field.group(5).strip();
                if (decl.endsWith("{")) {
                    open.add(fields.size());
                    fields.add(new Field(depth, offset, -1, -1, bytes, decl.substring(0, decl.length() - 1).strip(), "",
                            true));
                } else {
                    fields.add(declared(depth, offset, bitOffset, bytes, decl.replaceFirst(";$", "").strip()));
                }
                continue;
            }
            Matcher close = CLOSE.matcher(line);
            if (close.matches() && !open.isEmpty()) {
                int index = open.removeLast();
                Field f = fields.get(index);
                String name = close.group(1) == null ? "" : close.group(1);
                String array = close.group(2).isEmpty() ? "" : " " + close.group(2);
                fields.set(index, new Field(f.depth(), f.offset(), -1, -1, f.size(), f.type() + array, name, true));
            }
        }
        if (declaration == null) {
            throw new IllegalArgumentException("not a gdb type layout: " + text.lines().findFirst().orElse(""));
        }
        return new TypeLayout(declaration, size, List.copyOf(fields));
    }

    private static Field declared(int depth, long offset, int bitOffset, long size, String decl) {
        int bits = -1;
        Matcher bitField = BIT_FIELD.matcher(decl);
        if (bitField.matches()) {
            decl = bitField.group(1);
            bits = Integer.parseInt(bitField.group(2));
        }
        Matcher pointer = FUNCTION_POINTER.matcher(decl);
        if (pointer.find()) {
            return new Field(depth, offset, bitOffset, bits, size, decl.replace(pointer.group(), "(*)"), pointer.group(1),
                    false);
        }
        Matcher declarator = DECLARATOR.matcher(decl);
        if (!declarator.matches()) {
            return new Field(depth, offset, bitOffset, bits, size, decl, "?", false);
        }
        String array = declarator.group(3).isEmpty() ? "" : " " + declarator.group(3);
        return new Field(depth, offset, bitOffset, bits, size, (declarator.group(1).strip() + array).strip(),
                declarator.group(2), false);
    }
}
