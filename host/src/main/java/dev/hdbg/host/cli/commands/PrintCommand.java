package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.Evaluation;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code print EXPR}: the script {@code print(EXPR);} run once in the agent, which prints the value in hex
 * as the script function does.
 */
@Command(name = "print", description = {"Evaluates an expression in the target and prints its value in hex, as the",
        "script's print() does: print EXPR", "Examples: print @rax   print .hits   print poi(@rsp)"})
final class PrintCommand extends SessionCommand {
    /** The shell hands over the rest of the line as written, as one argument ({@link CommandShell}). */
    @Parameters(arity = "1..*", paramLabel = "EXPR")
    List<String> words = new ArrayList<>();

    PrintCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        String statement = "print(" + String.join(" ", words).strip() + ");";
        EvaluateCommand.check(session, statement);
        Evaluation result = session.await(session.client().evaluate(statement, false));
        out().scriptOutput(result.output());
    }
}
