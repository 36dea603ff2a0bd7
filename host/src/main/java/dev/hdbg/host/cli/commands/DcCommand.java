package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dc", description = {"Displays memory as double words with ASCII: dc ADDR [L COUNT]",
        "COUNT in double words (hex), 128 bytes when omitted.", "Example: dc 400088 L4"})
final class DcCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "ADDR [L COUNT]")
    List<String> args = new ArrayList<>();

    DcCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        var range = DisplayMemoryCommand.AddressRange.parse(session, args, 128 / 4);
        long bytes = range.count() * 4;
        if (bytes <= 0 || bytes > DisplayMemoryCommand.MAX_BYTES) {
            throw new IllegalArgumentException("display 1.." + (DisplayMemoryCommand.MAX_BYTES / 4)
                    + " double words at a time, not 0x" + Long.toHexString(range.count()));
        }
        byte[] data = session.await(session.client().readMemory(range.address(), (int) bytes));
        out().doubleWordsWithChars(range.address(), data);
    }
}
