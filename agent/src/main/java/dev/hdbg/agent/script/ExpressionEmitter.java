package dev.hdbg.agent.script;

import dev.hdbg.common.script.BinaryOp;
import dev.hdbg.common.script.Expr;
import dev.hdbg.common.script.Pos;
import dev.hdbg.common.script.UnaryOp;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * Emits expressions: each pushes one long. Values are unsigned: {@code / % >> <} and the other orderings use the
 * unsigned operations; a comparison or a logical operator in a condition is a jump, and elsewhere a 1 or a 0.
 * {@code &&} and {@code ||} do not evaluate their right side when the left decides, as in HyperDbg since v0.23.
 */
final class ExpressionEmitter {
    private static final ClassDesc LONG = ClassDesc.of("java.lang.Long");
    private static final MethodTypeDesc UNSIGNED = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc FAULT_AT = MethodTypeDesc.of(ScriptClassBuilder.FAULT, CD_int);
    private static final MethodTypeDesc READ = MethodTypeDesc.of(CD_long, ScriptClassBuilder.HOST, CD_long, CD_int,
            CD_int);
    private static final MethodTypeDesc ENTER = MethodTypeDesc.of(CD_void, ScriptClassBuilder.LONGS, CD_int, CD_long,
            CD_int);
    private static final MethodTypeDesc LEAVE = MethodTypeDesc.of(CD_void, ScriptClassBuilder.LONGS);

    private final MethodContext m;
    private final CodeBuilder code;
    private final BuiltinEmitter builtins;

    ExpressionEmitter(MethodContext m) {
        this.m = m;
        this.code = m.code;
        this.builtins = new BuiltinEmitter(m, this);
    }

    void value(Expr e) {
        switch (e) {
            case Expr.Number n -> code.loadConstant(n.value());
            case Expr.SymbolAddress s -> code.loadConstant(s.address());
            case Expr.Register r -> m.loadRegister(r.register());
            case Expr.Pseudo p -> {
                m.loadHost();
                code.getstatic(ScriptClassBuilder.PSEUDO_REGISTER, p.register().name(),
                        ScriptClassBuilder.PSEUDO_REGISTER);
                code.invokeinterface(ScriptClassBuilder.HOST, "pseudoRegister",
                        MethodTypeDesc.of(CD_long, ScriptClassBuilder.PSEUDO_REGISTER));
            }
            case Expr.Global g -> code.ldc(m.owner.globalsArray()).loadConstant(m.owner.globalSlot(g.name())).laload();
            case Expr.Local l -> m.loadLocal(l);
            case Expr.Unary u -> unary(u);
            case Expr.Binary b when b.op().isBoolean() -> materialize(b);
            case Expr.Binary b -> {
                value(b.left());
                value(b.right());
                arithmetic(b.op(), b.right(), b.pos());
            }
            case Expr.Call c -> {
                if (!builtins.call(c)) {
                    throw new IllegalStateException("the checker let through " + c.function() + " as a value");
                }
            }
            case Expr.UserCall u -> userCall(u);
            default -> throw new IllegalStateException("the checker let through " + e);
        }
    }

    /** Emits a call made as a statement; true when it left a value on the stack. */
    boolean call(Expr e) {
        return switch (e) {
            case Expr.Call c -> builtins.call(c);
            case Expr.Printf p -> {
                builtins.printf(p);
                yield false;
            }
            case Expr.UserCall u -> {
                userCall(u);
                yield true;
            }
            default -> throw new IllegalStateException("the checker let through " + e + " as a statement");
        };
    }

    private void unary(Expr.Unary u) {
        switch (u.op()) {
            case NEGATE -> {
                value(u.operand());
                code.lneg();
            }
            case BITWISE_NOT -> {
                value(u.operand());
                code.loadConstant(-1L).lxor();
            }
            case LOGICAL_NOT -> materialize(u);
            case DEREFERENCE -> read(u.operand(), 8, u.pos());
        }
    }

    /** Pushes {@code size} bytes read at the address {@code address} pushes. */
    void read(Expr address, int size, Pos pos) {
        m.loadHost();
        value(address);
        code.loadConstant(size).loadConstant(m.owner.at(pos));
        m.runtime("read", READ);
    }

    /** The operator on the two longs on the stack; {@code right} is the right operand, for the division's check. */
    void arithmetic(BinaryOp op, Expr right, Pos pos) {
        switch (op) {
            case ADD -> code.ladd();
            case SUBTRACT -> code.lsub();
            case MULTIPLY -> code.lmul();
            case DIVIDE, MODULO -> {
                if (!(right instanceof Expr.Number n && n.value() != 0)) {
                    Label ok = code.newLabel();
                    code.dup2().lconst_0().lcmp().ifne(ok);
                    code.loadConstant(m.owner.at(pos));
                    m.runtime(op == BinaryOp.DIVIDE ? "divisionByZero" : "moduloByZero", FAULT_AT);
                    code.athrow();
                    code.labelBinding(ok);
                }
                code.invokestatic(LONG, op == BinaryOp.DIVIDE ? "divideUnsigned" : "remainderUnsigned", UNSIGNED);
            }
            // The JVM masks a long shift's count to six bits, as x86-64's SHL and SHR do.
            case SHIFT_LEFT -> code.l2i().lshl();
            case SHIFT_RIGHT -> code.l2i().lushr();
            case BITWISE_AND -> code.land();
            case BITWISE_XOR -> code.lxor();
            case BITWISE_OR -> code.lor();
            default -> throw new IllegalStateException(op + " is not arithmetic");
        }
    }

    private void materialize(Expr condition) {
        Label no = code.newLabel();
        Label end = code.newLabel();
        branchIfFalse(condition, no);
        code.lconst_1().goto_(end);
        code.labelBinding(no);
        code.lconst_0();
        code.labelBinding(end);
    }

    /** Jumps to {@code target} when {@code e} is 0 (false). */
    void branchIfFalse(Expr e, Label target) {
        branch(e, false, target);
    }

    /** Jumps to {@code target} when {@code e} is not 0 (true). */
    void branchIfTrue(Expr e, Label target) {
        branch(e, true, target);
    }

    /** Jumps to {@code target} when the truth of {@code e} is {@code when}; falls through otherwise. */
    private void branch(Expr e, boolean when, Label target) {
        switch (e) {
            case Expr.Number n -> {
                if ((n.value() != 0) == when) {
                    code.goto_(target);
                }
            }
            case Expr.Unary u when u.op() == UnaryOp.LOGICAL_NOT -> branch(u.operand(), !when, target);
            // "a || b" jumps when true if either does; "a && b" jumps when false if either does
            case Expr.Binary b when b.op() == (when ? BinaryOp.LOGICAL_OR : BinaryOp.LOGICAL_AND) -> {
                branch(b.left(), when, target);
                branch(b.right(), when, target);
            }
            // "a && b" jumps when true only if both do; "a || b" jumps when false only if both do
            case Expr.Binary b when b.op() == (when ? BinaryOp.LOGICAL_AND : BinaryOp.LOGICAL_OR) -> {
                Label decided = code.newLabel();
                branch(b.left(), !when, decided);
                branch(b.right(), when, target);
                code.labelBinding(decided);
            }
            case Expr.Binary b when b.op().isBoolean() -> {
                compare(b);
                jump(when ? b.op() : negation(b.op()), target);
            }
            default -> {
                value(e);
                code.lconst_0().lcmp();
                if (when) {
                    code.ifne(target);
                } else {
                    code.ifeq(target);
                }
            }
        }
    }

    /** Jumps on the int {@code lcmp} left when {@code op} holds. */
    private void jump(BinaryOp op, Label target) {
        switch (op) {
            case EQUAL -> code.ifeq(target);
            case NOT_EQUAL -> code.ifne(target);
            case LESS -> code.iflt(target);
            case GREATER -> code.ifgt(target);
            case LESS_EQUAL -> code.ifle(target);
            case GREATER_EQUAL -> code.ifge(target);
            default -> throw new IllegalStateException(op + " is not a comparison");
        }
    }

    /** The comparison that holds exactly when {@code op} does not ({@code lcmp} orders every pair of longs). */
    private static BinaryOp negation(BinaryOp op) {
        return switch (op) {
            case EQUAL -> BinaryOp.NOT_EQUAL;
            case NOT_EQUAL -> BinaryOp.EQUAL;
            case LESS -> BinaryOp.GREATER_EQUAL;
            case GREATER -> BinaryOp.LESS_EQUAL;
            case LESS_EQUAL -> BinaryOp.GREATER;
            case GREATER_EQUAL -> BinaryOp.LESS;
            default -> throw new IllegalStateException(op + " is not a comparison");
        };
    }

    /**
     * Pushes {@code lcmp} of the operands, unsigned for the orderings: flipping the sign bit of both maps unsigned
     * order onto signed order (what {@link Long#compareUnsigned} does).
     */
    private void compare(Expr.Binary b) {
        boolean ordered = b.op() != BinaryOp.EQUAL && b.op() != BinaryOp.NOT_EQUAL;
        operand(b.left(), ordered);
        operand(b.right(), ordered);
        code.lcmp();
    }

    private void operand(Expr e, boolean flip) {
        if (flip && e instanceof Expr.Number n) {
            code.loadConstant(n.value() ^ Long.MIN_VALUE);
            return;
        }
        value(e);
        if (flip) {
            code.loadConstant(Long.MIN_VALUE).lxor();
        }
    }

    /**
     * A call of a script function: one level deeper and its body's operations spent first, then the call with the
     * host, the core's array and the arguments; the function's value is left on the stack (0 for a void one).
     */
    private void userCall(Expr.UserCall u) {
        ScriptClassBuilder.Function f = m.owner.function(u.name());
        m.loadLocals();
        code.loadConstant(m.owner.limits().maxCallDepth()).loadConstant(f.cost());
        code.loadConstant(m.owner.at(u.pos()));
        m.runtime("enter", ENTER);
        m.loadHost();
        m.loadLocals();
        for (Expr arg : u.args()) {
            value(arg);
        }
        code.invokestatic(ScriptClassBuilder.SELF, f.method(), f.type());
        m.loadLocals();
        m.runtime("leave", LEAVE);
    }
}
