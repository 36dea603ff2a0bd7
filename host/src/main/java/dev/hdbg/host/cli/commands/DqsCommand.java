package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dqs", description = {"Displays quad words one a line, marking those that point into the stack or the image:",
        "dqs ADDR [L COUNT], COUNT (hex) 0x10 when omitted.", "Example: dqs rsp L4"})
final class DqsCommand extends SessionCommand {
    static final long DEFAULT_COUNT = 0x10;
    static final long MAX_COUNT = 0x10000;

    @Parameters(arity = "1..*", paramLabel = "ADDR [L COUNT]")
    List<String> args = new ArrayList<>();

    DqsCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        var range = DisplayMemoryCommand.AddressRange.parse(session, args, DEFAULT_COUNT);
        if (range.count() <= 0 || range.count() > MAX_COUNT) {
            throw new IllegalArgumentException("display 0x1..0x" + Long.toHexString(MAX_COUNT) + " quad words at a time, not 0x"
                    + Long.toHexString(range.count()));
        }
        byte[] data = session.await(session.client().readMemory(range.address(), (int) (range.count() * 8)));
        GuestMemoryMap map = GuestMemoryMap.of(session);
        List<Output.PointerSlot> slots = new ArrayList<>();
        for (int i = 0; i < data.length; i += 8) {
            long value = LittleEndian.read(data, i, 8);
            slots.add(new Output.PointerSlot(range.address() + i, value, map.kindOf(value)));
        }
        out().pointers(slots);
    }
}
