package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * {@code db}, {@code dw}, {@code dd}, {@code dq}: HyperDbg's memory display, {@code ADDR [l LENGTH] [pid PID]} with
 * LENGTH in bytes (hex by default, as HyperDbg's d-u.cpp passes it as the read's size), 0x80 bytes when no length is
 * given. A length that ends inside a unit shows that unit whole.
 */
abstract class DisplayMemoryCommand extends SessionCommand {
    static final int MAX_BYTES = 16 * 1024 * 1024;
    /** HyperDbg's default length of the d commands. */
    static final long DEFAULT_BYTES = 0x80;

    @Parameters(arity = "1..*", paramLabel = "ADDR [l LENGTH] [pid PID]")
    List<String> args = new ArrayList<>();

    private final int unit;

    DisplayMemoryCommand(DebugSession session, int unit) {
        super(session);
        this.unit = unit;
    }

    @Override
    void run() {
        InProcess.run(session, RangeArguments.parse(args).pid(), () -> {
            AddressRange range = AddressRange.parse(session, args, DEFAULT_BYTES);
            byte[] data = session.await(session.client().readMemory(range.address(), wholeUnits(range.count(), unit)));
            out().memory(range.address(), data, unit);
            return null;
        });
    }

    /**
     * The bytes to read for {@code length} bytes shown in units of {@code unit}: rounded up to whole units.
     *
     * @throws IllegalArgumentException when the length is 0 or over {@link #MAX_BYTES}
     */
    static int wholeUnits(long length, int unit) {
        if (length <= 0 || length > MAX_BYTES) {
            throw new IllegalArgumentException("l counts bytes, 0x1..0x" + Long.toHexString(MAX_BYTES) + ", not 0x"
                    + Long.toHexString(length));
        }
        return (int) ((length + unit - 1) / unit * unit);
    }

    /** {@code ADDR [l LENGTH] [pid PID]}, the address an expression. */
    record AddressRange(long address, long count) {
        static AddressRange parse(DebugSession session, List<String> args, long defaultCount) {
            RangeArguments words = RangeArguments.parse(args);
            if (words.address() == null) {
                throw new IllegalArgumentException("give the address before l LENGTH, e.g. db 400000 l 10");
            }
            long address = session.evaluate(words.address());
            return new AddressRange(address, words.count() == null ? defaultCount : session.evaluate(words.count()));
        }
    }
}
