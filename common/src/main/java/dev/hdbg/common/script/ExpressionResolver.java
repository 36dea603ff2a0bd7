package dev.hdbg.common.script;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The checker's half for expressions: resolves names, checks calls against {@link BuiltinFunction} and the script's own
 * functions, and says where string literals and {@code &variable} may stand. On an error it records it and returns
 * a placeholder, so that checking goes on and finds the next one.
 */
final class ExpressionResolver {
    private static final Expr.Number PLACEHOLDER = new Expr.Number(new Pos(0, 1, 1, 1), 0);

    private final ScriptChecker checker;

    ExpressionResolver(ScriptChecker checker) {
        this.checker = checker;
    }

    /** An expression whose value is used. */
    Expr value(Expr e) {
        return switch (e) {
            case Expr.Number n -> n;
            case Expr.StringLiteral s -> fail(s.pos(), "a string literal is only printf's format or an argument of"
                    + " strlen, strcmp, strncmp, memcmp, wcslen, wcscmp or wcsncmp");
            case Expr.Register r -> register(r);
            case Expr.Pseudo p -> p;
            case Expr.Global g -> {
                checker.useGlobal(g.name());
                yield g;
            }
            case Expr.Name n -> name(n);
            case Expr.Local l -> l;
            case Expr.SymbolAddress s -> s;
            case Expr.Unary u -> new Expr.Unary(u.pos(), u.op(), value(u.operand()));
            case Expr.AddressOf a -> fail(a.pos(), "&variable is only an argument of the interlocked_* and"
                    + " spinlock_* functions in hdbg: script variables have no address in the guest's memory");
            case Expr.Binary b -> new Expr.Binary(b.pos(), b.op(), value(b.left()), value(b.right()));
            case Expr.Call c -> {
                if (!c.function().returnsValue()) {
                    yield fail(c.pos(), c.function().scriptName() + " gives no value, so it stands as a statement"
                            + " of its own, not in an expression");
                }
                yield builtin(c);
            }
            case Expr.Printf p -> p;
            case Expr.UserCall u -> userCall(u, true);
        };
    }

    /** The call of a call statement: it may be one that gives no value. */
    Expr statementCall(Expr e) {
        return switch (e) {
            case Expr.Call c -> builtin(c);
            case Expr.UserCall u -> userCall(u, false);
            default -> value(e);
        };
    }

    /** The target of an assignment: a name is a local from here on. */
    Expr assignTarget(Expr e) {
        if (e instanceof Expr.Name n) {
            if (checker.function(n.name()) != null) {
                return fail(n.pos(), n.name() + " is a function; a variable needs another name");
            }
            int slot = checker.scope().define(n.name());
            if (slot < 0) {
                return fail(n.pos(), "more than " + checker.environment().limits().maxVariables()
                        + " local variables (ScriptLimits.maxVariables); use fewer or reuse them");
            }
            return new Expr.Local(n.pos(), n.name(), slot);
        }
        return value(e);
    }

    /** The target of {@code op=}, {@code ++} or {@code --}, which reads it first. */
    Expr readTarget(Expr e) {
        if (e instanceof Expr.Name n && checker.scope().slot(n.name()) < 0) {
            return fail(n.pos(), n.name() + " is read here before any value is assigned to it (a local variable"
                    + " exists from its first assignment on): write " + n.name() + " = 0; first");
        }
        return value(e);
    }

    private Expr register(Expr.Register r) {
        RegisterBase base = r.register().base();
        if (!base.isAvailable()) {
            return fail(r.pos(), "@" + r.register().scriptName() + " is not available: hdbg's machine has no "
                    + base.name() + " register yet");
        }
        return r;
    }

    private Expr name(Expr.Name n) {
        Scope scope = checker.scope();
        if (n.name().indexOf('!') < 0) {
            if (checker.function(n.name()) != null) {
                return fail(n.pos(), n.name() + " is a function: call it as " + n.name() + "(...)");
            }
            int slot = scope.slot(n.name());
            if (slot >= 0) {
                return new Expr.Local(n.pos(), n.name(), slot);
            }
        }
        OptionalLong address = checker.environment().symbols().address(n.name());
        if (address.isPresent()) {
            return new Expr.SymbolAddress(n.pos(), n.name(), address.getAsLong());
        }
        if (n.name().indexOf('!') >= 0) {
            return fail(n.pos(), "unknown symbol " + n.name() + ": the target has no such module or symbol");
        }
        return fail(n.pos(), n.name() + " is read before any value is assigned to it (a local variable exists"
                + " from its first assignment on), and the target has no symbol of that name");
    }

    private Expr userCall(Expr.UserCall u, boolean valueUsed) {
        FunctionDecl f = checker.function(u.name());
        if (f == null) {
            return fail(u.pos(), "unknown function " + u.name() + ": neither a built-in function nor one this"
                    + " script defines");
        }
        if (u.args().size() != f.parameters().size()) {
            checker.error(u.pos(), u.name() + " takes " + count(f.parameters().size(), "argument") + ", not "
                    + u.args().size());
        }
        if (valueUsed && !f.returnsValue()) {
            return fail(u.pos(), u.name() + " is void: it gives no value to use in an expression");
        }
        List<Expr> args = new ArrayList<>();
        for (Expr a : u.args()) {
            args.add(value(a));
        }
        return new Expr.UserCall(u.pos(), u.name(), args);
    }

    private Expr builtin(Expr.Call c) {
        BuiltinFunction f = c.function();
        int max = checker.environment().limits().maxArguments();
        if (f == BuiltinFunction.PRINTF) {
            return printf(c, max);
        }
        if (c.args().size() != f.args().size()) {
            return fail(c.pos(), f.scriptName() + " takes " + count(f.args().size(), "argument") + ", not "
                    + c.args().size());
        }
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < f.args().size(); i++) {
            args.add(argument(f, f.args().get(i), c.args().get(i)));
        }
        return new Expr.Call(c.pos(), f, args);
    }

    private Expr argument(BuiltinFunction f, BuiltinFunction.Arg kind, Expr arg) {
        switch (kind) {
            case STRING_OR_ADDRESS, WIDE_STRING_OR_ADDRESS -> {
                boolean wide = kind == BuiltinFunction.Arg.WIDE_STRING_OR_ADDRESS;
                if (arg instanceof Expr.StringLiteral s) {
                    if (s.wide() != wide) {
                        return fail(s.pos(), f.scriptName() + " compares " + (wide ? "wide strings: write L\"...\""
                                : "narrow strings: write \"...\" without the L"));
                    }
                    return s;
                }
                return value(arg);
            }
            case ADDRESS_OR_VARIABLE -> {
                return reference(f, arg);
            }
            default -> {
                return value(arg);
            }
        }
    }

    /**
     * A variable the interlocked and spinlock functions work on. HyperDbg passes {@code &.lock} (its spinlock pages)
     * and the bare {@code .counter} (its interlocked pages); hdbg takes both as the global, {@code &local} as the
     * script's local, and any other expression as the address of the variable in memory.
     */
    private Expr reference(BuiltinFunction f, Expr arg) {
        Expr variable = arg instanceof Expr.AddressOf a ? a.variable() : null;
        if (arg instanceof Expr.Global g) {
            variable = g;
        }
        if (variable == null) {
            return value(arg);
        }
        Pos pos = arg.pos();
        if (variable instanceof Expr.Global g) {
            checker.useGlobal(g.name());
            return new Expr.AddressOf(pos, g);
        }
        if (variable instanceof Expr.Name n && n.name().indexOf('!') < 0) {
            if (!checker.scope().isMain()) {
                return fail(pos, f.scriptName() + " takes a global (.name) or a local of the script's main part;"
                        + " a function's locals live only for one call");
            }
            int slot = checker.scope().slot(n.name());
            if (slot < 0) {
                return fail(n.pos(), n.name() + " is used before any value is assigned to it: write " + n.name()
                        + " = 0; first");
            }
            return new Expr.AddressOf(pos, new Expr.Local(n.pos(), n.name(), slot));
        }
        return fail(pos, "& takes a script variable (.global or local); registers and expressions have no address");
    }

    private Expr printf(Expr.Call c, int max) {
        if (c.args().isEmpty() || !(c.args().getFirst() instanceof Expr.StringLiteral format) || format.wide()) {
            return fail(c.pos(), "printf's first argument is its format, a \"...\" string literal");
        }
        if (c.args().size() - 1 > max) {
            return fail(c.pos(), "printf has " + (c.args().size() - 1) + " arguments; hdbg takes at most " + max
                    + " (ScriptLimits.maxArguments)");
        }
        PrintfFormat parsed;
        try {
            parsed = PrintfFormat.parse(format.value());
        } catch (IllegalArgumentException e) {
            return fail(format.pos(), e.getMessage());
        }
        int wanted = parsed.conversionCount();
        int given = c.args().size() - 1;
        if (wanted != given) {
            return fail(c.pos(), "printf's format has " + count(wanted, "conversion") + " (%d, %llx, %s ...) but "
                    + count(given, "argument") + " follow" + (given == 1 ? "s" : "") + " it");
        }
        List<Expr> args = new ArrayList<>();
        for (Expr a : c.args().subList(1, c.args().size())) {
            args.add(value(a));
        }
        return new Expr.Printf(c.pos(), parsed, args);
    }

    private Expr fail(Pos pos, String message) {
        checker.error(pos, message);
        return PLACEHOLDER;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
