package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dc", description = {"Displays memory as double words with ASCII: dc ADDR [l LENGTH] [pid PID]",
        "LENGTH in bytes (hex), 0x80 when omitted.", "Example: dc 400088 l 10"})
final class DcCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "ADDR [l LENGTH] [pid PID]")
    List<String> args = new ArrayList<>();

    DcCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        var range = DisplayMemoryCommand.AddressRange.parse(session, args, DisplayMemoryCommand.DEFAULT_BYTES);
        byte[] data = session.await(session.client().readMemory(range.address(),
                DisplayMemoryCommand.wholeUnits(range.count(), 4)));
        out().doubleWordsWithChars(range.address(), data);
    }
}
