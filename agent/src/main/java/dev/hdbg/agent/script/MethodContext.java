package dev.hdbg.agent.script;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.common.script.Expr;
import dev.hdbg.common.script.ScriptRegister;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayDeque;
import java.util.Deque;

import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * One method being emitted: its code builder, where the host and the core's locals array are, where its variables
 * live, and the loops around the code being emitted.
 *
 * <p>The main part's variables live in the core's array (they keep their values between triggers, one set per core);
 * a function's variables and parameters live in JVM local variables (they live for one call).
 */
final class MethodContext {
    /** The labels {@code break} and {@code continue} jump to. */
    record Loop(Label exit, Label next) {
    }

    final CodeBuilder code;
    final ScriptClassBuilder owner;
    private final int hostSlot;
    private final int localsSlot;
    /** The JVM slot of each of a function's variables; null in the main part. */
    private final int[] variables;
    private final Deque<Loop> loops = new ArrayDeque<>();
    private final ExpressionEmitter expressions;
    private final StatementEmitter statements;

    MethodContext(CodeBuilder code, ScriptClassBuilder owner, int hostSlot, int localsSlot, int[] variables) {
        this.code = code;
        this.owner = owner;
        this.hostSlot = hostSlot;
        this.localsSlot = localsSlot;
        this.variables = variables;
        this.expressions = new ExpressionEmitter(this);
        this.statements = new StatementEmitter(this);
    }

    ExpressionEmitter expressions() {
        return expressions;
    }

    StatementEmitter statements() {
        return statements;
    }

    Deque<Loop> loops() {
        return loops;
    }

    void loadHost() {
        code.aload(hostSlot);
    }

    void loadLocals() {
        code.aload(localsSlot);
    }

    /** Pushes a variable of the script's main part or of this function. */
    void loadLocal(Expr.Local local) {
        if (variables == null) {
            loadLocals();
            code.loadConstant(ScriptRuntime.FIRST_LOCAL + local.slot()).laload();
        } else {
            code.lload(variables[local.slot()]);
        }
    }

    /**
     * Stores into an assignment target the long that {@code value} pushes: a variable, a global or a register form
     * (whose other bits of the base register are kept).
     */
    void store(Expr target, Runnable value) {
        switch (target) {
            case Expr.Local local when variables == null -> {
                loadLocals();
                code.loadConstant(ScriptRuntime.FIRST_LOCAL + local.slot());
                value.run();
                code.lastore();
            }
            case Expr.Local local -> {
                value.run();
                code.lstore(variables[local.slot()]);
            }
            case Expr.Global global -> {
                code.ldc(owner.globalsArray()).loadConstant(owner.globalSlot(global.name()));
                value.run();
                code.lastore();
            }
            case Expr.Register register -> storeRegister(register.register(), value);
            default -> throw new IllegalStateException("the checker let through an assignment to " + target);
        }
    }

    private void storeRegister(ScriptRegister form, Runnable value) {
        GuestRegister base = base(form);
        if (form.isWholeRegister()) {
            loadHost();
            code.getstatic(ScriptClassBuilder.GUEST_REGISTER, base.name(), ScriptClassBuilder.GUEST_REGISTER);
            value.run();
        } else {
            int temp = code.allocateLocal(TypeKind.LONG);
            value.run();
            code.lstore(temp);
            loadHost();
            code.getstatic(ScriptClassBuilder.GUEST_REGISTER, base.name(), ScriptClassBuilder.GUEST_REGISTER);
            readRegister(base);
            code.loadConstant(~(form.mask() << form.bitOffset())).land();
            code.lload(temp).loadConstant(form.mask()).land();
            if (form.bitOffset() > 0) {
                code.loadConstant(form.bitOffset()).lshl();
            }
            code.lor();
        }
        code.invokeinterface(ScriptClassBuilder.HOST, "writeRegister",
                MethodTypeDesc.of(CD_void, ScriptClassBuilder.GUEST_REGISTER, CD_long));
    }

    /** Pushes a register form's value: its base shifted down and masked. */
    void loadRegister(ScriptRegister form) {
        readRegister(base(form));
        if (form.bitOffset() > 0) {
            code.loadConstant(form.bitOffset()).lushr();
        }
        if (form.width() < 64) {
            code.loadConstant(form.mask()).land();
        }
    }

    private void readRegister(GuestRegister base) {
        loadHost();
        code.getstatic(ScriptClassBuilder.GUEST_REGISTER, base.name(), ScriptClassBuilder.GUEST_REGISTER);
        code.invokeinterface(ScriptClassBuilder.HOST, "readRegister",
                MethodTypeDesc.of(CD_long, ScriptClassBuilder.GUEST_REGISTER));
    }

    private static GuestRegister base(ScriptRegister form) {
        return form.base().guestRegister().orElseThrow(() -> new IllegalStateException(
                "the checker let through @" + form.scriptName() + ", whose base the machine does not have"));
    }

    /** Calls a {@link ScriptRuntime} helper. */
    void runtime(String name, MethodTypeDesc type) {
        code.invokestatic(ScriptClassBuilder.RUNTIME, name, type);
    }
}
