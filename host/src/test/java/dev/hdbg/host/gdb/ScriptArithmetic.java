package dev.hdbg.host.gdb;

import dev.hdbg.common.script.BuiltinFunction;
import dev.hdbg.common.script.Expr;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;
import java.util.Map;

/**
 * Evaluates the expressions {@link AgentExpression} writes as the agent's scripts do, on the tree hdbg's own parser and
 * checker make of them ({@link ScriptChecker#checkExpression}, HyperDbg's precedence): every value a 64-bit unsigned
 * number, {@code >>} logical, comparisons unsigned, {@code &&} and {@code ||} short-circuit. It knows the registers and
 * the eight-byte words of memory given ({@code poi} reads one at its address, {@code check_address} says whether a
 * word holds the byte): so a test can check what an expression computes, not only how it reads. A division by 0 or a
 * read of memory not given throws, as the agent's script stops.
 */
final class ScriptArithmetic {
    private final Map<String, Long> registers;
    private final Map<Long, Long> memory;

    private ScriptArithmetic(Map<String, Long> registers, Map<Long, Long> memory) {
        this.registers = registers;
        this.memory = memory;
    }

    static long eval(String text, Map<String, Long> registers) {
        return eval(text, registers, Map.of());
    }

    static long eval(String text, Map<String, Long> registers, Map<Long, Long> memory) {
        Expr tree;
        try {
            tree = ScriptChecker.checkExpression(new SourceText("condition", text), ScriptEnvironment.DEFAULT)
                    .program().result();
        } catch (ScriptException e) {
            throw new IllegalArgumentException("hdbg's checker refuses " + text, e);
        }
        return new ScriptArithmetic(registers, memory).value(tree);
    }

    private long value(Expr e) {
        return switch (e) {
            case Expr.Number n -> n.value();
            case Expr.Register r -> {
                Long value = registers.get("@" + r.register().scriptName());
                if (value == null) {
                    throw new IllegalArgumentException("no register @" + r.register().scriptName());
                }
                yield value;
            }
            case Expr.Unary u -> switch (u.op()) {
                case LOGICAL_NOT -> value(u.operand()) == 0 ? 1 : 0;
                case BITWISE_NOT -> ~value(u.operand());
                case NEGATE -> -value(u.operand());
                case DEREFERENCE -> word(value(u.operand()));
            };
            case Expr.Binary b -> binary(b);
            case Expr.Call c when c.function() == BuiltinFunction.POI -> word(value(c.args().getFirst()));
            case Expr.Call c when c.function() == BuiltinFunction.CHECK_ADDRESS -> {
                long address = value(c.args().getFirst());
                yield memory.keySet().stream().anyMatch(w -> Long.compareUnsigned(address - w, 8) < 0) ? 1 : 0;
            }
            default -> throw new IllegalArgumentException("not evaluated here: " + e);
        };
    }

    private long binary(Expr.Binary b) {
        long a = value(b.left());
        return switch (b.op()) {
            case LOGICAL_OR -> a != 0 || value(b.right()) != 0 ? 1 : 0;
            case LOGICAL_AND -> a != 0 && value(b.right()) != 0 ? 1 : 0;
            default -> apply(b, a, value(b.right()));
        };
    }

    private static long apply(Expr.Binary b, long a, long c) {
        return switch (b.op()) {
            case BITWISE_OR -> a | c;
            case BITWISE_XOR -> a ^ c;
            case BITWISE_AND -> a & c;
            case EQUAL -> a == c ? 1 : 0;
            case LESS -> Long.compareUnsigned(a, c) < 0 ? 1 : 0;
            case SHIFT_LEFT -> a << c;
            case SHIFT_RIGHT -> a >>> c;
            case ADD -> a + c;
            case SUBTRACT -> a - c;
            case MULTIPLY -> a * c;
            case DIVIDE -> Long.divideUnsigned(a, nonZero(c));
            case MODULO -> Long.remainderUnsigned(a, nonZero(c));
            default -> throw new IllegalArgumentException("not written by AgentExpression: " + b.op());
        };
    }

    private long word(long address) {
        Long word = memory.get(address);
        if (word == null) {
            throw new IllegalStateException("memory at 0x" + Long.toHexString(address) + " is not given");
        }
        return word;
    }

    private static long nonZero(long divisor) {
        if (divisor == 0) {
            throw new ArithmeticException("division by 0");
        }
        return divisor;
    }
}
