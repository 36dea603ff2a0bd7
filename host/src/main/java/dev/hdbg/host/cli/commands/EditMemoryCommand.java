package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code eb}, {@code ew}, {@code ed}, {@code eq}: HyperDbg's (and WinDbg's) memory edit, {@code ADDR VALUE... [pid PID]},
 * little-endian. The pid changes nothing: the target has one address space (HyperDbg's Debugger Mode ignores it too).
 */
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
        List<String> values = new ArrayList<>(args.subList(1, args.size()));
        int pid = values.stream().map(String::toLowerCase).toList().indexOf("pid");
        if (pid >= 0) {
            if (pid + 1 >= values.size()) {
                throw new IllegalArgumentException("pid takes a process id, e.g. " + spec() + " 400000 90 pid 4");
            }
            values.subList(pid, pid + 2).clear();
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("give the values to write, e.g. " + spec() + " 400000 90");
        }
        long address = session.evaluate(args.get(0));
        byte[] data = LittleEndian.pack(values, unit, session::evaluate);
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
