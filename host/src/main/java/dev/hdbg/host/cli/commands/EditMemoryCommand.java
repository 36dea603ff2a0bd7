package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** {@code eb}, {@code ew}, {@code ed}, {@code eq}: WinDbg's memory edit, {@code ADDR VALUE...}, little-endian. */
abstract class EditMemoryCommand extends SessionCommand {
    @Parameters(arity = "2..*", paramLabel = "ADDR VALUE")
    List<String> args = new ArrayList<>();

    private final int unit;

    EditMemoryCommand(DebugSession session, int unit) {
        super(session);
        this.unit = unit;
    }

    @Override
    void run() {
        long address = session.evaluate(args.get(0));
        byte[] data = LittleEndian.pack(args.subList(1, args.size()), unit, session::evaluate);
        session.await(session.client().writeMemory(address, data));
        out().ok(spec());
    }

    private String spec() {
        return switch (unit) {
            case 1 -> "eb";
            case 2 -> "ew";
            case 4 -> "ed";
            default -> "eq";
        };
    }
}
