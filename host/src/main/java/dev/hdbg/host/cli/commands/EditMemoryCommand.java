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
        byte[] data = new byte[(args.size() - 1) * unit];
        for (int i = 1; i < args.size(); i++) {
            long value = session.evaluate(args.get(i));
            boolean fitsUnsigned = unit == 8 || (value >>> (unit * 8)) == 0;
            boolean fitsSigned = value < 0 && value >= -(1L << (unit * 8 - 1));
            if (!fitsUnsigned && !fitsSigned) {
                throw new IllegalArgumentException("0x" + Long.toHexString(value) + " does not fit in " + unit + " byte"
                        + (unit > 1 ? "s" : ""));
            }
            for (int b = 0; b < unit; b++) {
                data[(i - 1) * unit + b] = (byte) (value >>> (8 * b));
            }
        }
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
