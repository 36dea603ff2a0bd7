package dev.hdbg.common.script;

import java.util.List;

/**
 * A function the script defines: {@code int name(int a, int b) { ... }} or {@code void name(...) { ... }}.
 *
 * @param returnsValue  false for {@code void}
 * @param parameters    the parameters' names, in order; they are the function's first variables
 * @param variableCount parameters and locals together, after the checker (0 before)
 */
public record FunctionDecl(Pos pos, String name, boolean returnsValue, List<String> parameters, Stmt.Block body,
                           int variableCount) {
    public FunctionDecl {
        parameters = List.copyOf(parameters);
    }
}
