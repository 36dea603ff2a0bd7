package dev.hdbg.common.script;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An expression of a script. Values are 64-bit and unsigned; a comparison or a logical operator gives 1 or 0.
 *
 * <p>The parser makes {@link Name} for every bare name it cannot place; the checker replaces each with a
 * {@link Local} or a {@link SymbolAddress}, and each printf call with {@link Printf}, so a checked tree holds neither
 * {@code Name} nor a printf {@link Call}.
 */
public sealed interface Expr {
    /** Where the expression is; for an operator, the operator's token. */
    Pos pos();

    /** A number literal. */
    record Number(Pos pos, long value) implements Expr {
    }

    /**
     * A string literal: only printf's format and the string arguments of the string functions take one.
     *
     * @param value for {@code "..."} each character is one byte (the UTF-8 of the source, escapes applied); for
     *              {@code L"..."} each character is one UTF-16 code unit
     */
    record StringLiteral(Pos pos, String value, boolean wide) implements Expr {
        /** The bytes of a narrow literal, or the code units of a wide one, without a terminating NUL. */
        public byte[] bytes() {
            return value.getBytes(wide ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
        }
    }

    /** {@code @rax}, {@code @zf}, or a bare register name. */
    record Register(Pos pos, ScriptRegister register) implements Expr {
    }

    /** {@code $pid} and the other pseudo-registers. */
    record Pseudo(Pos pos, PseudoRegister register) implements Expr {
    }

    /** A global variable, {@code .name}: shared by every script and event of a machine. */
    record Global(Pos pos, String name) implements Expr {
    }

    /** A bare name before the checker has placed it. */
    record Name(Pos pos, String name) implements Expr {
    }

    /**
     * A local variable or a function parameter.
     *
     * @param slot in the script's main part, the variable's index among the script's locals (which live as long as the
     *             script, one set per core); in a function, its index among that function's parameters (first) and
     *             locals (which live for one call)
     */
    record Local(Pos pos, String name, int slot) implements Expr {
    }

    /** A symbol of the target, resolved to its address when the script was checked. */
    record SymbolAddress(Pos pos, String name, long address) implements Expr {
    }

    record Unary(Pos pos, UnaryOp op, Expr operand) implements Expr {
    }

    /** {@code &variable}: only an argument of the interlocked and spinlock functions takes one. */
    record AddressOf(Pos pos, Expr variable) implements Expr {
    }

    record Binary(Pos pos, BinaryOp op, Expr left, Expr right) implements Expr {
    }

    /** A call of a built-in function other than printf (after the checker). */
    record Call(Pos pos, BuiltinFunction function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code printf(format, ...)} with its format parsed; only a statement may be one. */
    record Printf(Pos pos, PrintfFormat format, List<Expr> args) implements Expr {
        public Printf {
            args = List.copyOf(args);
        }
    }

    /** A call of a function the script defines. */
    record UserCall(Pos pos, String name, List<Expr> args) implements Expr {
        public UserCall {
            args = List.copyOf(args);
        }
    }
}
