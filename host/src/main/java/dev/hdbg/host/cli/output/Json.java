package dev.hdbg.host.cli.output;

import dev.hdbg.common.event.Scope;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A JSON object written on one line, fields in the order they are added. Numbers that are addresses or register values
 * are written as {@code "0x..."} strings, as docs/json.md promises.
 *
 * <p>Each field is written as it is added, into one buffer: the host builds one or two of these for every record, and
 * keeping the fields in a map to write them later cost more than writing them (a {@code --json} host takes hundreds
 * of thousands of records a second). So a field is added once: a name added twice appears twice.
 */
public final class Json {
    private static final HexFormat HEX = HexFormat.of();

    private final StringBuilder text = new StringBuilder(96).append('{');

    public static Json type(String type) {
        return new Json().put("type", type);
    }

    public Json put(String name, Object value) {
        if (text.length() > 1) {
            text.append(',');
        }
        string(text, name);
        text.append(':');
        write(text, value);
        return this;
    }

    /** Since 1.14, a breakpoint's pid, tid and core: each only when it is not all. */
    public Json scope(Scope scope) {
        scope.pid().ifPresent(p -> put("pid", p));
        scope.tid().ifPresent(t -> put("tid", t));
        scope.core().ifPresent(c -> put("core", c));
        return this;
    }

    public Json hex(String name, long value) {
        return put(name, hex(value));
    }

    public Json data(String name, byte[] bytes) {
        return put(name, HEX.formatHex(bytes));
    }

    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    @Override
    public String toString() {
        return text + "}";
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Json json -> out.append(json.text).append('}');
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
            case Long n -> out.append(n.longValue());
            case Integer n -> out.append(n.intValue());
            case Number n -> out.append(n);
            case Boolean b -> out.append(b.booleanValue());
            default -> string(out, value.toString());
        }
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        int plain = 0;
        while (plain < s.length() && s.charAt(plain) >= 0x20 && s.charAt(plain) != '"' && s.charAt(plain) != '\\') {
            plain++;
        }
        out.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            String escaped = escape(c);
            if (escaped != null) {
                out.append(escaped);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /**
     * How {@code c} is written inside a JSON string when it must be escaped (a quote, a backslash and the control
     * characters: newline, return and tab in their short forms, the others as six-character Unicode escapes in lower
     * case); null when it is written as it is. {@link JsonLine} writes the same escapes as bytes.
     */
    static String escape(char c) {
        if (c < 0x20) {
            return CONTROL_ESCAPES[c];
        }
        return c == '"' ? "\\\"" : c == '\\' ? "\\\\" : null;
    }

    /**
     * The escapes of the 32 control characters, made once: a program's binary output has one control byte in eight,
     * and a {@code String.format} for each was among the largest costs of a {@code --json} host printing busybox
     * {@code gzip -c}'s output (docs/benchmarks.md, "Program output beside the guest, stop 32").
     */
    private static final String[] CONTROL_ESCAPES = new String[0x20];

    static {
        for (int c = 0; c < 0x20; c++) {
            CONTROL_ESCAPES[c] = String.format("\\u%04x", c);
        }
        CONTROL_ESCAPES['\n'] = "\\n";
        CONTROL_ESCAPES['\r'] = "\\r";
        CONTROL_ESCAPES['\t'] = "\\t";
    }
}
