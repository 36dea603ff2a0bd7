package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "x", description = {"Finds symbols by name, with WinDbg's wildcards * and ?: x PATTERN",
        "Example: x *printf*"})
final class ExamineSymbolsCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "PATTERN")
    List<String> pattern = new ArrayList<>();

    ExamineSymbolsCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        String p = String.join("", pattern);
        // WinDbg writes module!symbol; an ELF target has one module, so the module part is ignored.
        int bang = p.indexOf('!');
        out().symbols(session.await(session.client().listSymbols(bang >= 0 ? p.substring(bang + 1) : p)));
    }
}
