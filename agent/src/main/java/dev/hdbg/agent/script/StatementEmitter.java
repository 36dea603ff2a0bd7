package dev.hdbg.agent.script;

import dev.hdbg.common.script.Expr;
import dev.hdbg.common.script.Stmt;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.constant.MethodTypeDesc;

import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/** Emits the statements of one method. Each statement gets the script's line number, for stack traces. */
final class StatementEmitter {
    private static final MethodTypeDesc CHARGE = MethodTypeDesc.of(CD_void, ScriptClassBuilder.LONGS, CD_long, CD_int);
    private static final MethodTypeDesc STORE = MethodTypeDesc.of(CD_void, ScriptClassBuilder.HOST, CD_long, CD_long,
            CD_int);

    private final MethodContext m;
    private final CodeBuilder code;
    private final ExpressionEmitter ex;

    StatementEmitter(MethodContext m) {
        this.m = m;
        this.code = m.code;
        this.ex = m.expressions();
    }

    void block(Stmt.Block block) {
        for (Stmt s : block.statements()) {
            statement(s);
        }
    }

    private void statement(Stmt s) {
        code.lineNumber(s.pos().line());
        switch (s) {
            case Stmt.Assign a -> assign(a);
            case Stmt.CompoundAssign c -> m.store(c.target(), () -> {
                ex.value(c.target());
                ex.value(c.value());
                ex.arithmetic(c.op(), c.value(), c.pos());
            });
            case Stmt.Step st -> m.store(st.target(), () -> {
                ex.value(st.target());
                code.lconst_1();
                if (st.increment()) {
                    code.ladd();
                } else {
                    code.lsub();
                }
            });
            case Stmt.Store st -> {
                m.loadHost();
                ex.value(st.address());
                ex.value(st.value());
                code.loadConstant(m.owner.at(st.pos()));
                m.runtime("store", STORE);
            }
            case Stmt.Evaluate e -> {
                if (ex.call(e.call())) {
                    code.pop2();
                }
            }
            case Stmt.If i -> ifStatement(i);
            case Stmt.While w -> {
                Label next = code.newLabel();
                Label exit = code.newLabel();
                code.labelBinding(next);
                ex.branchIfFalse(w.condition(), exit);
                long cost = Costs.iteration(w.condition(), null, w.body());
                loopBody(w.body(), cost, m.owner.at(w.pos()), exit, next);
                code.goto_(next);
                code.labelBinding(exit);
            }
            case Stmt.DoWhile d -> {
                Label top = code.newLabel();
                Label next = code.newLabel();
                Label exit = code.newLabel();
                code.labelBinding(top);
                long cost = Costs.iteration(d.condition(), null, d.body());
                loopBody(d.body(), cost, m.owner.at(d.pos()), exit, next);
                code.labelBinding(next);
                ex.branchIfTrue(d.condition(), top);
                code.labelBinding(exit);
            }
            case Stmt.For f -> forStatement(f);
            case Stmt.Break b -> code.goto_(m.loops().peek().exit());
            case Stmt.Continue c -> code.goto_(m.loops().peek().next());
            case Stmt.Return r -> {
                if (r.value() != null) {
                    ex.value(r.value());
                } else {
                    code.lconst_0();
                }
                code.lreturn();
            }
            case Stmt.Block b -> block(b);
        }
    }

    private void assign(Stmt.Assign a) {
        if (a.targets().size() == 1) {
            m.store(a.targets().getFirst(), () -> ex.value(a.value()));
            return;
        }
        int temp = code.allocateLocal(TypeKind.LONG);
        ex.value(a.value());
        code.lstore(temp);
        for (Expr target : a.targets()) {
            m.store(target, () -> code.lload(temp));
        }
    }

    private void ifStatement(Stmt.If i) {
        Label end = code.newLabel();
        for (Stmt.Branch b : i.branches()) {
            Label next = code.newLabel();
            ex.branchIfFalse(b.condition(), next);
            block(b.body());
            code.goto_(end);
            code.labelBinding(next);
        }
        if (i.otherwise() != null) {
            block(i.otherwise());
        }
        code.labelBinding(end);
    }

    private void forStatement(Stmt.For f) {
        if (f.init() != null) {
            statement(f.init());
        }
        Label test = code.newLabel();
        Label next = code.newLabel();
        Label exit = code.newLabel();
        code.labelBinding(test);
        if (f.condition() != null) {
            ex.branchIfFalse(f.condition(), exit);
        }
        loopBody(f.body(), Costs.iteration(f.condition(), f.step(), f.body()), m.owner.at(f.pos()), exit, next);
        code.labelBinding(next);
        if (f.step() != null) {
            statement(f.step());
        }
        code.goto_(test);
        code.labelBinding(exit);
    }

    /** A loop's body, charged its iteration's cost first: the run's budget bounds every loop. */
    private void loopBody(Stmt.Block body, long cost, int at, Label exit, Label next) {
        m.loadLocals();
        code.loadConstant(cost).loadConstant(at);
        m.runtime("charge", CHARGE);
        m.loops().push(new MethodContext.Loop(exit, next));
        block(body);
        m.loops().pop();
    }
}
