package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code db}, {@code dw}, {@code dd}, {@code dq}: WinDbg's memory display, {@code ADDR [L COUNT]}
 * with COUNT in units (hex by default), 128 bytes when no count is given.
 */
abstract class DisplayMemoryCommand extends SessionCommand {
    static final int MAX_BYTES = 16 * 1024 * 1024;

    @Parameters(arity = "1..*", paramLabel = "ADDR [L COUNT]")
    List<String> args = new ArrayList<>();

    private final int unit;

    DisplayMemoryCommand(DebugSession session, int unit) {
        super(session);
        this.unit = unit;
    }

    @Override
    void run() {
        AddressRange range = AddressRange.parse(session, args, 128 / unit);
        long bytes = range.count() * unit;
        if (bytes <= 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("display 0x1..0x" + Long.toHexString(MAX_BYTES / unit) + " units at a time, not 0x"
                    + Long.toHexString(range.count()));
        }
        byte[] data = session.await(session.client().readMemory(range.address(), (int) bytes));
        out().memory(range.address(), data, unit);
    }

    /** {@code ADDR [L COUNT]}, the address an expression. */
    record AddressRange(long address, long count) {
        static AddressRange parse(DebugSession session, List<String> args, long defaultCount) {
            RangeArguments words = RangeArguments.parse(args);
            if (words.address() == null) {
                throw new IllegalArgumentException("give the address before L COUNT");
            }
            long address = session.evaluate(words.address());
            return new AddressRange(address, words.count() == null ? defaultCount : session.evaluate(words.count()));
        }
    }
}
