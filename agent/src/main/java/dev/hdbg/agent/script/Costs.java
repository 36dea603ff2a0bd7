package dev.hdbg.agent.script;

import dev.hdbg.common.script.Expr;
import dev.hdbg.common.script.Stmt;

/**
 * The operations a piece of script counts against a run's budget: every statement, operator, variable, constant and
 * call is one, as HyperDbg's evaluator executes one symbol-buffer operation for each. A loop charges its condition,
 * step and body once per iteration; a call charges the called function's body when it is entered.
 */
final class Costs {
    private Costs() {
    }

    static long of(Stmt s) {
        if (s == null) {
            return 0;
        }
        return 1 + switch (s) {
            case Stmt.Assign a -> of(a.value()) + a.targets().size();
            case Stmt.CompoundAssign c -> 1 + of(c.value());
            case Stmt.Step st -> 1;
            case Stmt.Store st -> of(st.address()) + of(st.value());
            case Stmt.Evaluate e -> of(e.call());
            case Stmt.If i -> i.branches().stream().mapToLong(b -> of(b.condition()) + of(b.body())).sum()
                    + of(i.otherwise());
            case Stmt.While w -> of(w.condition()) + of(w.body());
            case Stmt.DoWhile d -> of(d.condition()) + of(d.body());
            case Stmt.For f -> of(f.init()) + of(f.condition()) + of(f.step()) + of(f.body());
            case Stmt.Break b -> 0;
            case Stmt.Continue c -> 0;
            case Stmt.Return r -> of(r.value());
            case Stmt.Block b -> b.statements().stream().mapToLong(Costs::of).sum();
        };
    }

    static long of(Expr e) {
        if (e == null) {
            return 0;
        }
        return 1 + switch (e) {
            case Expr.Unary u -> of(u.operand());
            case Expr.AddressOf a -> 0;
            case Expr.Binary b -> of(b.left()) + of(b.right());
            case Expr.Call c -> c.args().stream().mapToLong(Costs::of).sum();
            case Expr.Printf p -> p.args().stream().mapToLong(Costs::of).sum();
            case Expr.UserCall u -> u.args().stream().mapToLong(Costs::of).sum();
            default -> 0;
        };
    }

    /** What one iteration of a loop costs: at least one, so that {@code while (1) {}} ends. */
    static long iteration(Expr condition, Stmt step, Stmt.Block body) {
        return 1 + of(condition) + of(step) + of(body);
    }
}
