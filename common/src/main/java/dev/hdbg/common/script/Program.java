package dev.hdbg.common.script;

import java.util.List;

/**
 * A whole script.
 *
 * @param functions     the functions it defines
 * @param main          its statements outside the functions, in order
 * @param result        for an expression evaluated by {@code ?} ({@link ScriptChecker#checkExpression}), the
 *                      expression whose value the run gives; null for a script of statements
 * @param variableCount the main part's locals, after the checker (0 before)
 */
public record Program(List<FunctionDecl> functions, Stmt.Block main, Expr result, int variableCount) {
    public Program {
        functions = List.copyOf(functions);
    }
}
