package dev.hdbg.host.gdb;

import java.util.Map;

/**
 * Evaluates the expressions {@link AgentExpression} writes, as the agent's scripts do (every value a 64-bit unsigned
 * number, {@code >>} logical, comparisons unsigned, {@code &&} and {@code ||} short-circuit, C's precedence), for the
 * registers and the eight-byte words of memory given ({@code poi} reads one at its address, {@code check_address}
 * says whether a word holds the byte): so a test can check what an expression computes, not only how it reads. A
 * division by 0 or a read of memory not given throws, as the agent's script stops.
 */
final class ScriptArithmetic {
    private final String text;
    private final Map<String, Long> registers;
    private final Map<Long, Long> memory;
    private int at;

    private ScriptArithmetic(String text, Map<String, Long> registers, Map<Long, Long> memory) {
        this.text = text.replace(" ", "");
        this.registers = registers;
        this.memory = memory;
    }

    static long eval(String text, Map<String, Long> registers) {
        return eval(text, registers, Map.of());
    }

    static long eval(String text, Map<String, Long> registers, Map<Long, Long> memory) {
        ScriptArithmetic parser = new ScriptArithmetic(text, registers, memory);
        long value = parser.binary(0, true);
        if (parser.at != parser.text.length()) {
            throw new IllegalArgumentException("unread text at " + parser.at + ": " + text);
        }
        return value;
    }

    /** Operators by level, loosest first. */
    private static final String[][] LEVELS = {{"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"=="}, {"<"}, {"<<", ">>"},
            {"+", "-"}, {"*", "/", "%"}};

    /** A binary expression of {@code level} and tighter; {@code live}: its value is needed (short-circuit). */
    private long binary(int level, boolean live) {
        if (level == LEVELS.length) {
            return unary(live);
        }
        long value = binary(level + 1, live);
        for (String op = operatorAt(level); op != null; op = operatorAt(level)) {
            at += op.length();
            boolean rightLive = live && switch (op) {
                case "||" -> value == 0;
                case "&&" -> value != 0;
                default -> true;
            };
            long right = binary(level + 1, rightLive);
            if (live) {
                value = apply(op, value, right, rightLive);
            }
        }
        return value;
    }

    private String operatorAt(int level) {
        for (String op : LEVELS[level]) {
            // "|" is not "||", "&" is not "&&", "<" is not "<<"
            if (text.startsWith(op, at) && !(op.length() == 1 && text.startsWith(op + op, at))) {
                return op;
            }
        }
        return null;
    }

    private static long apply(String op, long a, long b, boolean rightEvaluated) {
        return switch (op) {
            case "||" -> a != 0 || rightEvaluated && b != 0 ? 1 : 0;
            case "&&" -> a != 0 && b != 0 ? 1 : 0;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "&" -> a & b;
            case "==" -> a == b ? 1 : 0;
            case "<" -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
            case "<<" -> a << b;
            case ">>" -> a >>> b;
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> Long.divideUnsigned(a, nonZero(b));
            default -> Long.remainderUnsigned(a, nonZero(b));
        };
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) {
            throw new ArithmeticException("division by 0");
        }
        return divisor;
    }

    private long unary(boolean live) {
        char c = text.charAt(at);
        if (c == '!' || c == '~') {
            at++;
            long value = unary(live);
            return c == '!' ? (value == 0 ? 1 : 0) : ~value;
        }
        if (c == '(') {
            at++;
            long value = binary(0, live);
            expect(')');
            return value;
        }
        if (c == '@') {
            int end = at + 1;
            while (end < text.length() && Character.isLetterOrDigit(text.charAt(end))) {
                end++;
            }
            String name = text.substring(at, end);
            at = end;
            Long value = registers.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no register " + name);
            }
            return value;
        }
        for (String function : new String[] {"check_address", "poi"}) {
            if (text.startsWith(function + "(", at)) {
                at += function.length() + 1;
                long address = binary(0, live);
                expect(')');
                if (!live) {
                    return 0;
                }
                if (function.equals("poi")) {
                    Long word = memory.get(address);
                    if (word == null) {
                        throw new IllegalStateException("memory at 0x" + Long.toHexString(address) + " is not given");
                    }
                    return word;
                }
                return memory.keySet().stream().anyMatch(w -> Long.compareUnsigned(address - w, 8) < 0) ? 1 : 0;
            }
        }
        if (text.startsWith("0x", at)) {
            int end = at + 2;
            while (end < text.length() && Character.digit(text.charAt(end), 16) >= 0) {
                end++;
            }
            long value = Long.parseUnsignedLong(text.substring(at + 2, end), 16);
            at = end;
            return value;
        }
        throw new IllegalArgumentException("unexpected '" + c + "' at " + at + ": " + text);
    }

    private void expect(char c) {
        if (at >= text.length() || text.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + ": " + text);
        }
        at++;
    }
}
