package dev.hdbg.common.script;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and checks a script: the entry point the host uses before it sends a script, and the agent uses again before
 * it compiles one.
 *
 * <p>Besides the syntax it checks: every name (registers, pseudo-registers and functions are known; a local is
 * assigned before it is read, else it is a symbol of the target); every call's argument count and kinds; that
 * {@code break} and {@code continue} stand in a loop and {@code return} in a function, with a value exactly when the
 * function is not {@code void}; printf formats against their arguments; and hdbg's {@link ScriptLimits}. It reports
 * every error it finds in the checks after parsing; a syntax error stops at the first.
 */
public final class ScriptChecker {
    /** Checks stop collecting after this many errors: the rest are usually echoes of the first. */
    private static final int MAX_ERRORS = 20;

    private final SourceText source;
    private final ScriptEnvironment environment;
    private final List<ScriptError> errors = new ArrayList<>();
    private final Map<String, FunctionDecl> functions = new LinkedHashMap<>();
    private final Set<String> globals = new LinkedHashSet<>();
    private final ExpressionResolver expressions = new ExpressionResolver(this);
    private Scope scope;
    private int loops;

    private ScriptChecker(SourceText source, ScriptEnvironment environment) {
        this.source = source;
        this.environment = environment;
    }

    /** Checks a script of statements. */
    public static CheckedScript check(String text, ScriptEnvironment environment) throws ScriptException {
        return check(new SourceText("script", text), environment);
    }

    /**
     * Checks a script of statements.
     *
     * @throws ScriptException with every error found, each with its position and a rendering with a caret
     */
    public static CheckedScript check(SourceText source, ScriptEnvironment environment) throws ScriptException {
        ScriptLexer tokens = ScriptLexer.open(source, environment);
        Program parsed = new ScriptParser(source, tokens, environment.limits()).parseScript();
        return new ScriptChecker(source, environment).run(parsed);
    }

    /**
     * Checks one expression, for {@code ? expression}: the compiled run gives its value. A trailing {@code ;} is
     * allowed; statements are not.
     *
     * @throws ScriptException with every error found
     */
    public static CheckedScript checkExpression(SourceText source, ScriptEnvironment environment)
            throws ScriptException {
        ScriptLexer tokens = ScriptLexer.open(source, environment);
        Program parsed = new ScriptParser(source, tokens, environment.limits()).parseExpression();
        return new ScriptChecker(source, environment).run(parsed);
    }

    private CheckedScript run(Program parsed) throws ScriptException {
        collectFunctions(parsed.functions());
        List<FunctionDecl> checkedFunctions = new ArrayList<>();
        for (FunctionDecl f : parsed.functions()) {
            scope = new Scope(f, environment.limits().maxVariables() + f.parameters().size());
            Stmt.Block body = block(f.body());
            checkedFunctions.add(new FunctionDecl(f.pos(), f.name(), f.returnsValue(), f.parameters(), body,
                    scope.size()));
        }
        scope = new Scope(null, environment.limits().maxVariables());
        Stmt.Block main = block(parsed.main());
        Expr result = parsed.result() == null ? null : expressions.value(parsed.result());
        if (!errors.isEmpty()) {
            List<ScriptError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(e -> e.pos().offset()));
            throw new ScriptException(source, sorted);
        }
        return new CheckedScript(source, new Program(checkedFunctions, main, result, scope.size()), globals);
    }

    private void collectFunctions(List<FunctionDecl> declared) {
        ScriptLimits limits = environment.limits();
        if (declared.size() > limits.maxFunctions()) {
            error(declared.get(limits.maxFunctions()).pos(), "the script defines " + declared.size()
                    + " functions; hdbg takes at most " + limits.maxFunctions() + " (ScriptLimits.maxFunctions)");
        }
        for (FunctionDecl f : declared) {
            FunctionDecl earlier = functions.putIfAbsent(f.name(), f);
            if (earlier != null) {
                error(f.pos(), "the function " + f.name() + " is already defined at " + earlier.pos());
            }
            if (f.parameters().size() > limits.maxArguments()) {
                error(f.pos(), f.name() + " has " + f.parameters().size() + " parameters; hdbg takes at most "
                        + limits.maxArguments() + " (ScriptLimits.maxArguments)");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String parameter : f.parameters()) {
                if (!seen.add(parameter)) {
                    error(f.pos(), f.name() + " has two parameters called " + parameter);
                }
            }
        }
    }

    // ---- statements

    private Stmt.Block block(Stmt.Block block) {
        List<Stmt> checked = new ArrayList<>(block.statements().size());
        for (Stmt s : block.statements()) {
            checked.add(statement(s));
        }
        return new Stmt.Block(block.pos(), checked);
    }

    private Stmt statement(Stmt s) {
        return switch (s) {
            case Stmt.Assign a -> {
                Expr value = expressions.value(a.value());
                List<Expr> targets = new ArrayList<>();
                for (Expr t : a.targets()) {
                    targets.add(expressions.assignTarget(t));
                }
                yield new Stmt.Assign(a.pos(), targets, value);
            }
            case Stmt.CompoundAssign c -> {
                Expr target = expressions.readTarget(c.target());
                yield new Stmt.CompoundAssign(c.pos(), target, c.op(), expressions.value(c.value()));
            }
            case Stmt.Step st -> new Stmt.Step(st.pos(), expressions.readTarget(st.target()), st.increment());
            case Stmt.Store st -> new Stmt.Store(st.pos(), expressions.value(st.address()),
                    expressions.value(st.value()));
            case Stmt.Evaluate e -> new Stmt.Evaluate(e.pos(), expressions.statementCall(e.call()));
            case Stmt.If i -> {
                List<Stmt.Branch> branches = new ArrayList<>();
                for (Stmt.Branch b : i.branches()) {
                    branches.add(new Stmt.Branch(expressions.value(b.condition()), block(b.body())));
                }
                yield new Stmt.If(i.pos(), branches, i.otherwise() == null ? null : block(i.otherwise()));
            }
            case Stmt.While w -> {
                Expr condition = expressions.value(w.condition());
                yield new Stmt.While(w.pos(), condition, loopBody(w.body()));
            }
            case Stmt.DoWhile d -> {
                Stmt.Block body = loopBody(d.body());
                yield new Stmt.DoWhile(d.pos(), body, expressions.value(d.condition()));
            }
            case Stmt.For f -> {
                // The text's order, which is the order HyperDbg's scanner meets the names in.
                Stmt init = f.init() == null ? null : statement(f.init());
                Expr condition = f.condition() == null ? null : expressions.value(f.condition());
                Stmt step = f.step() == null ? null : statement(f.step());
                yield new Stmt.For(f.pos(), init, condition, step, loopBody(f.body()));
            }
            case Stmt.Break b -> {
                if (loops == 0) {
                    error(b.pos(), "break is outside a loop (while, do ... while or for)");
                }
                yield b;
            }
            case Stmt.Continue c -> {
                if (loops == 0) {
                    error(c.pos(), "continue is outside a loop (while, do ... while or for)");
                }
                yield c;
            }
            case Stmt.Return r -> returnStatement(r);
            case Stmt.Block b -> block(b);
        };
    }

    private Stmt.Block loopBody(Stmt.Block body) {
        loops++;
        try {
            return block(body);
        } finally {
            loops--;
        }
    }

    private Stmt returnStatement(Stmt.Return r) {
        FunctionDecl f = scope.function();
        if (f == null) {
            error(r.pos(), "return is outside a function (the script's own statements end at its end)");
            return r;
        }
        if (f.returnsValue() && r.value() == null) {
            error(r.pos(), f.name() + " is not void, so its return needs a value: return 0;");
        } else if (!f.returnsValue() && r.value() != null) {
            error(r.pos(), f.name() + " is void, so its return takes no value");
        }
        return new Stmt.Return(r.pos(), r.value() == null ? null : expressions.value(r.value()));
    }

    // ---- shared with ExpressionResolver

    void error(Pos pos, String message) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(new ScriptError(pos, message));
        }
    }

    Scope scope() {
        return scope;
    }

    FunctionDecl function(String name) {
        return functions.get(name);
    }

    void useGlobal(String name) {
        globals.add(name);
    }

    ScriptEnvironment environment() {
        return environment;
    }
}
