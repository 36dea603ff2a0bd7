package dev.hdbg.common.script;

/** The prefix operators; unary {@code +} changes nothing and leaves no node. */
public enum UnaryOp {
    /** {@code -x}, the two's complement. */
    NEGATE("-"),
    /** {@code ~x}, every bit flipped. */
    BITWISE_NOT("~"),
    /** {@code !x}: 1 when x is 0, else 0. */
    LOGICAL_NOT("!"),
    /** {@code *x}: the 8 bytes at address x, as {@code poi(x)}. */
    DEREFERENCE("*");

    private final String symbol;

    UnaryOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
