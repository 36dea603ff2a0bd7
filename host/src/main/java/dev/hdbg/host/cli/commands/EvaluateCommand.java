package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.Evaluation;
import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import dev.hdbg.common.script.SourceText;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code ?}: evaluates an expression or runs statements of the script language once, in the agent, on the
 * target as it stands (docs/scripts.md). The host checks the text first and shows errors with a caret; nothing is sent
 * then. An expression's value is shown in hex and decimal. Without an agent, or for the older syntax of bare register
 * names ({@code ? rip + 1}), the host evaluates an address expression itself.
 */
@Command(name = "?", description = {"Evaluates an expression in the target and shows it in hex and decimal, or runs",
        "a script once: ? EXPR  or  ? { STATEMENTS }",
        "Examples: ? 400040+10   ? @rsp + 8   ? .hits   ? { .hits = 0; printf(\"%llx\\n\", @rip); }"})
final class EvaluateCommand extends SessionCommand {
    /** The shell hands over the rest of the line as written, as one argument ({@link CommandShell}). */
    @Parameters(arity = "1..*", paramLabel = "EXPR")
    List<String> words = new ArrayList<>();

    EvaluateCommand(DebugSession session) {
        super(session);
    }

    /** A constant or a register of the older syntax needs no script engine, so works before .connect too. */
    @Override
    boolean needsConnection() {
        return false;
    }

    @Override
    void run() {
        String source = String.join(" ", words).strip();
        if (source.startsWith("{")) {
            runStatements(session, source, "?");
            return;
        }
        ScriptException scriptError = null;
        try {
            ScriptChecker.checkExpression(new SourceText("expression", source), environment(session));
        } catch (ScriptException e) {
            scriptError = e;
        }
        if (scriptError != null && session.connected() && isStatements(source)) {
            // HyperDbg's ? takes statements without braces too: ? @rax = 0x55;  ? printf("%llx", @rax);
            Evaluation result = session.await(session.client().evaluate(source, false));
            out().scriptOutput(result.output());
            return;
        }
        if (scriptError == null && session.connected()) {
            Evaluation result = session.await(session.client().evaluate(source, true));
            out().scriptOutput(result.output());
            out().value(result.value());
            return;
        }
        try {
            out().value(session.evaluate(source));
        } catch (IllegalArgumentException e) {
            if (scriptError != null) {
                throw new IllegalArgumentException(scriptError.getMessage(), scriptError);
            }
            throw e;
        }
    }

    /**
     * Runs {@code { STATEMENTS }} in the agent and shows what they printed.
     *
     * @throws IllegalArgumentException when the braces do not enclose the text, or the script has errors (with carets)
     */
    private Evaluation runStatements(DebugSession s, String braced, String verb) {
        if (!braced.endsWith("}")) {
            throw new IllegalArgumentException(verb + " { STATEMENTS } needs its closing '}'");
        }
        String statements = braced.substring(1, braced.length() - 1);
        check(s, statements);
        if (!s.connected()) {
            throw new IllegalArgumentException(DebugSession.NOT_CONNECTED);
        }
        Evaluation result = s.await(s.client().evaluate(statements, false));
        out().scriptOutput(result.output());
        return result;
    }

    /** Whether {@code source} checks as statements of the script language (where it does not as an expression). */
    private boolean isStatements(String source) {
        try {
            ScriptChecker.check(new SourceText("script", source), environment(session));
            return true;
        } catch (ScriptException e) {
            return false;
        }
    }

    static void check(DebugSession s, String statements) {
        try {
            ScriptChecker.check(new SourceText("script", statements), environment(s));
        } catch (ScriptException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static ScriptEnvironment environment(DebugSession s) {
        return ScriptEnvironment.DEFAULT.withSymbols(s.scriptSymbols());
    }
}
