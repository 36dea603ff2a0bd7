package dev.hdbg.host.cli.parse;

import dev.hdbg.common.text.Numbers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * Evaluates the integer expressions commands take for addresses and values, such as
 * {@code rsp+8} or {@code (@rbx & ~0xfff) + 0n16}.
 *
 * <p>Grammar (EBNF), precedence and associativity as in C, all binary operators left-associative:
 * <pre>
 * expr    = xor { "|" xor } ;
 * xor     = and { "^" and } ;
 * and     = shift { "&amp;" shift } ;
 * shift   = sum { ( "&lt;&lt;" | "&gt;&gt;" ) sum } ;
 * sum     = product { ( "+" | "-" ) product } ;
 * product = unary { ( "*" | "/" | "%" ) unary } ;
 * unary   = ( "-" | "~" ) unary | primary ;
 * primary = "(" expr ")" | "poi" "(" expr ")" | "@" name | word ;
 * word    = ( letter | digit | "_" ) { letter | digit | "_" | "`" } ;
 * </pre>
 * A word that is a number in {@link Numbers}' syntax is that number (hex by default, as in
 * HyperDbg); any other word, and every {@code @name}, is a register looked up by its name
 * without the {@code @}. Write {@code @} to force a register whose name is also hex.
 * {@code poi(EXPR)} is WinDbg's pointer-sized dereference: the qword at EXPR in guest memory.
 *
 * <p>Arithmetic is on 64-bit values read as unsigned, as addresses are: it wraps around,
 * {@code /}, {@code %} and {@code >>} are unsigned, and a shift count is taken modulo 64, as
 * x86-64's shifts take it and as HyperDbg's script engine and hdbg's scripts compute it
 * (docs/scripts.md), so {@code ?} gives the same value whichever of the two evaluates it.
 */
public final class ExpressionParser {
    /** Deepest nesting of parentheses and unary operators, so no input can overflow the stack. */
    public static final int MAX_DEPTH = 200;

    private static final List<List<String>> BINARY_LEVELS = List.of(
            List.of("|"), List.of("^"), List.of("&"), List.of("<<", ">>"), List.of("+", "-"), List.of("*", "/", "%"));

    private final String text;
    private final Function<String, OptionalLong> registers;
    private final LongUnaryOperator poi;
    private int pos;
    private int depth;

    private ExpressionParser(String text, Function<String, OptionalLong> registers, LongUnaryOperator poi) {
        this.text = text;
        this.registers = registers;
        this.poi = poi;
    }

    /**
     * Evaluates an expression.
     *
     * @param text           the expression
     * @param registerLookup a register's value by its name without {@code @}; empty for a name
     *                       that is no register
     * @return the value, as a 64-bit pattern
     * @throws IllegalArgumentException naming the 1-based position, when the text is empty, not
     *                                  in the grammar, names an unknown register, divides by zero
     *                                  or nests deeper than {@link #MAX_DEPTH}
     */
    public static long evaluate(String text, Function<String, OptionalLong> registerLookup) {
        return evaluate(text, registerLookup, address -> {
            throw new IllegalArgumentException("poi(0x" + Long.toHexString(address)
                    + ") needs guest memory, which this expression cannot read");
        });
    }

    /**
     * Evaluates an expression that may read guest memory with {@code poi(EXPR)}.
     *
     * @param text           the expression
     * @param registerLookup a register's value by its name without {@code @}; empty for a name
     *                       that is no register
     * @param poi            the qword at an address; throws (IllegalArgumentException or the
     *                       client's error) naming the address when it cannot be read
     * @return the value, as a 64-bit pattern
     * @throws IllegalArgumentException as {@link #evaluate(String, Function)}, and when
     *                                  {@code poi} lacks its parenthesis
     */
    public static long evaluate(String text, Function<String, OptionalLong> registerLookup, LongUnaryOperator poi) {
        Objects.requireNonNull(registerLookup, "registerLookup");
        Objects.requireNonNull(poi, "poi");
        ExpressionParser parser = new ExpressionParser(text, registerLookup, poi);
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty expression (write a number or a register, e.g. rsp+8)");
        }
        long value = parser.binary(0);
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw parser.unexpected();
        }
        return value;
    }

    /**
     * The words of {@code text} as {@link #evaluate} reads them (numbers, names, {@code module!symbol}), without the
     * register names written after {@code @}; nothing is evaluated, so a text that would not evaluate has its words
     * too. For what an error says about them ({@code f} read as 0xf, a module not loaded).
     */
    public static List<String> words(String text) {
        ExpressionParser scanner = new ExpressionParser(text, name -> OptionalLong.empty(), address -> 0);
        List<String> words = new ArrayList<>();
        while (scanner.pos < text.length()) {
            boolean register = scanner.peek('@');
            if (register) {
                scanner.pos++;
            }
            String word = scanner.word();
            if (word.isEmpty()) {
                scanner.pos += register ? 0 : 1;
            } else if (!register) {
                words.add(word);
            }
        }
        return words;
    }

    private long binary(int level) {
        if (level == BINARY_LEVELS.size()) {
            return unary();
        }
        long left = binary(level + 1);
        while (true) {
            skipSpace();
            int at = pos;
            String op = BINARY_LEVELS.get(level).stream().filter(o -> text.startsWith(o, at)).findFirst().orElse(null);
            if (op == null) {
                return left;
            }
            pos += op.length();
            left = apply(op, left, binary(level + 1), at);
        }
    }

    private long apply(String op, long left, long right, int at) {
        return switch (op) {
            case "|" -> left | right;
            case "^" -> left ^ right;
            case "&" -> left & right;
            case "<<" -> left << right;
            case ">>" -> left >>> right;
            case "+" -> left + right;
            case "-" -> left - right;
            case "*" -> left * right;
            case "/", "%" -> {
                if (right == 0) {
                    throw new IllegalArgumentException("division by zero at position " + (at + 1) + " in '" + text + "'");
                }
                yield op.equals("/") ? Long.divideUnsigned(left, right) : Long.remainderUnsigned(left, right);
            }
            default -> throw new IllegalStateException("operator without a rule: " + op);
        };
    }

    private long unary() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("expression nested deeper than " + MAX_DEPTH + " levels at position "
                    + (pos + 1));
        }
        skipSpace();
        long value;
        if (peek('-')) {
            pos++;
            value = -unary();
        } else if (peek('~')) {
            pos++;
            value = ~unary();
        } else {
            value = primary();
        }
        depth--;
        return value;
    }

    private long primary() {
        int start = pos;
        if (peek('(')) {
            pos++;
            long value = binary(0);
            skipSpace();
            if (!peek(')')) {
                throw new IllegalArgumentException("missing ')' for the '(' at position " + (start + 1)
                        + " in '" + text + "'");
            }
            pos++;
            return value;
        }
        if (peek('@')) {
            pos++;
            String name = word();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'@' at position " + (start + 1)
                        + " needs a register name, e.g. @rax");
            }
            return register(name, "@" + name, start);
        }
        String word = word();
        if (word.isEmpty()) {
            throw unexpected();
        }
        if (word.equalsIgnoreCase("poi")) {
            return dereference(start);
        }
        if (Numbers.isNumber(word)) {
            return Numbers.parse(word);
        }
        if (Character.isDigit(word.charAt(0))) {
            // A word that starts with a digit was meant as a number: its error says why it is not one.
            try {
                Numbers.parse(word);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " at position " + (start + 1), e);
            }
        }
        return register(word, word, start);
    }

    /** {@code poi(EXPR)}, the word {@code poi} already read. */
    private long dereference(int start) {
        skipSpace();
        if (!peek('(')) {
            throw new IllegalArgumentException("poi at position " + (start + 1) + " takes its address in parentheses, e.g. poi(rsp+8)");
        }
        int open = pos++;
        long address = binary(0);
        skipSpace();
        if (!peek(')')) {
            throw new IllegalArgumentException("missing ')' for the '(' at position " + (open + 1) + " in '" + text + "'");
        }
        pos++;
        return poi.applyAsLong(address);
    }

    private long register(String name, String written, int start) {
        OptionalLong value = registers.apply(name);
        if (value.isEmpty()) {
            throw new IllegalArgumentException((written.startsWith("@") ? "unknown register '" : "unknown register or symbol '")
                    + written + "' at position " + (start + 1)
                    + " (write a number, hex by default, a register such as rax, or a symbol such as main)");
        }
        return value.getAsLong();
    }

    private String word() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            // A ! inside a word joins WinDbg's module and symbol: libc!malloc.
            boolean wordChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || (c == '`' || c == '!') && pos > start;
            if (!wordChar) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private IllegalArgumentException unexpected() {
        if (pos >= text.length()) {
            return new IllegalArgumentException("expression ends too early: '" + text
                    + "' (a value is missing at its end)");
        }
        return new IllegalArgumentException("unexpected '" + text.charAt(pos) + "' at position " + (pos + 1)
                + " in '" + text + "'");
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
