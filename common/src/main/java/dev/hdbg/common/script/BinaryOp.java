package dev.hdbg.common.script;

/**
 * The binary operators, with HyperDbg's precedence (docs: assumptions-and-evaluations, "Operator Precedence/Priority
 * (Boolean Expressions)"; {@code Boolean_Expression_Grammar.txt}): a higher {@link #precedence()} binds tighter, and
 * every level is left-associative. The comparisons sit between the shifts and {@code &}, as in C.
 */
public enum BinaryOp {
    MULTIPLY("*", 9), DIVIDE("/", 9), MODULO("%", 9),
    ADD("+", 8), SUBTRACT("-", 8),
    SHIFT_LEFT("<<", 7), SHIFT_RIGHT(">>", 7),
    EQUAL("==", 6), NOT_EQUAL("!=", 6), LESS("<", 6), GREATER(">", 6), LESS_EQUAL("<=", 6), GREATER_EQUAL(">=", 6),
    BITWISE_AND("&", 5),
    BITWISE_XOR("^", 4),
    BITWISE_OR("|", 3),
    LOGICAL_AND("&&", 2),
    LOGICAL_OR("||", 1);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    /** Whether the result is 1 or 0 rather than a number: the comparisons and the logical operators. */
    public boolean isBoolean() {
        return precedence == 6 || this == LOGICAL_AND || this == LOGICAL_OR;
    }
}
