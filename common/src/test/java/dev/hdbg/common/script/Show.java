package dev.hdbg.common.script;

import java.util.stream.Collectors;

/** Syntax trees as S-expressions, so that a test can state a tree's shape in one line. */
final class Show {
    private Show() {
    }

    static String expr(Expr e) {
        return switch (e) {
            case Expr.Number n -> Long.toHexString(n.value());
            case Expr.StringLiteral s -> (s.wide() ? "L" : "") + "\"" + s.value() + "\"";
            case Expr.Register r -> "@" + r.register().scriptName();
            case Expr.Pseudo p -> "$" + p.register().scriptName();
            case Expr.Global g -> "." + g.name();
            case Expr.Name n -> n.name();
            case Expr.Local l -> l.name() + "#" + l.slot();
            case Expr.SymbolAddress s -> s.name() + "=" + Long.toHexString(s.address());
            case Expr.Unary u -> "(" + u.op().symbol() + " " + expr(u.operand()) + ")";
            case Expr.AddressOf a -> "(& " + expr(a.variable()) + ")";
            case Expr.Binary b -> "(" + b.op().symbol() + " " + expr(b.left()) + " " + expr(b.right()) + ")";
            case Expr.Call c -> "(" + c.function().scriptName() + args(c.args()) + ")";
            case Expr.Printf p -> "(printf " + p.format().conversionCount() + args(p.args()) + ")";
            case Expr.UserCall u -> "(" + u.name() + args(u.args()) + ")";
        };
    }

    private static String args(java.util.List<Expr> args) {
        return args.stream().map(a -> " " + expr(a)).collect(Collectors.joining());
    }

    static String stmt(Stmt s) {
        if (s == null) {
            return "_";
        }
        return switch (s) {
            case Stmt.Assign a -> "(= " + a.targets().stream().map(Show::expr).collect(Collectors.joining(" "))
                    + " " + expr(a.value()) + ")";
            case Stmt.CompoundAssign c -> "(" + c.op().symbol() + "= " + expr(c.target()) + " " + expr(c.value())
                    + ")";
            case Stmt.Step st -> "(" + (st.increment() ? "++" : "--") + " " + expr(st.target()) + ")";
            case Stmt.Store st -> "(*= " + expr(st.address()) + " " + expr(st.value()) + ")";
            case Stmt.Evaluate e -> expr(e.call());
            case Stmt.If i -> "(if" + i.branches().stream().map(b -> " " + expr(b.condition()) + " " + stmt(b.body()))
                    .collect(Collectors.joining()) + (i.otherwise() == null ? "" : " else " + stmt(i.otherwise()))
                    + ")";
            case Stmt.While w -> "(while " + expr(w.condition()) + " " + stmt(w.body()) + ")";
            case Stmt.DoWhile d -> "(do " + stmt(d.body()) + " " + expr(d.condition()) + ")";
            case Stmt.For f -> "(for " + stmt(f.init()) + " " + (f.condition() == null ? "_" : expr(f.condition()))
                    + " " + stmt(f.step()) + " " + stmt(f.body()) + ")";
            case Stmt.Break b -> "break";
            case Stmt.Continue c -> "continue";
            case Stmt.Return r -> r.value() == null ? "return" : "(return " + expr(r.value()) + ")";
            case Stmt.Block b -> "{" + b.statements().stream().map(Show::stmt).collect(Collectors.joining(" ")) + "}";
        };
    }

    /** The main part of a checked script. */
    static String script(String text) throws ScriptException {
        return stmt(Check.ok(text).program().main());
    }

    /** One expression, checked. */
    static String expression(String text) throws ScriptException {
        return expr(ScriptChecker.checkExpression(new SourceText("e", text), ScriptEnvironment.DEFAULT).program()
                .result());
    }
}
