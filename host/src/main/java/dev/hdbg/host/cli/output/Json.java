package dev.hdbg.host.cli.output;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object written on one line, fields in insertion order. Numbers that are addresses or
 * register values are written as {@code "0x..."} strings, as docs/json.md promises.
 */
public final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public static Json type(String type) {
        return new Json().put("type", type);
    }

    public Json put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public Json hex(String name, long value) {
        return put(name, hex(value));
    }

    public Json data(String name, byte[] bytes) {
        return put(name, HexFormat.of().formatHex(bytes));
    }

    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        write(out, fields);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Json json -> write(out, json.fields);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(':');
                    write(out, e.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, list.get(i));
                }
                out.append(']');
            }
            case Number n -> out.append(n);
            case Boolean b -> out.append(b);
            default -> string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
