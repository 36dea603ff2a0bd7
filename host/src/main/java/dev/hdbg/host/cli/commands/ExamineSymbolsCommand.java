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
        // WinDbg's module!pattern: the agent matches both parts (libc!mem*, *!malloc); a bare pattern, every module.
        out().symbols(session.await(session.client().listSymbols(String.join("", pattern))));
    }
}
