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
        AddressRange range = AddressRange.parse(session, args, unit, 128 / unit);
        long bytes = range.count() * unit;
        if (bytes <= 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("display 1.." + (MAX_BYTES / unit) + " units at a time, not 0x"
                    + Long.toHexString(range.count()));
        }
        byte[] data = session.await(session.client().readMemory(range.address(), (int) bytes));
        session.output().memory(range.address(), data, unit);
    }

    /** {@code ADDR [L COUNT]}, the address an expression. */
    record AddressRange(long address, long count) {
        static AddressRange parse(DebugSession session, List<String> args, int unit, long defaultCount) {
            // WinDbg writes the count as "L 10", "L10" or "l10"; "L" is no hex digit, so no
            // address token can be mistaken for it.
            List<String> words = new ArrayList<>(args);
            String count = null;
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                if (w.equalsIgnoreCase("l")) {
                    if (i + 1 >= words.size()) {
                        throw new IllegalArgumentException("L takes a count, e.g. L 10");
                    }
                    count = words.get(i + 1);
                    words.subList(i, i + 2).clear();
                    break;
                }
                if (w.length() > 1 && (w.charAt(0) == 'l' || w.charAt(0) == 'L')) {
                    count = w.substring(1);
                    words.remove(i);
                    break;
                }
            }
            if (words.isEmpty()) {
                throw new IllegalArgumentException("give the address before L COUNT");
            }
            long address = session.evaluate(String.join(" ", words));
            return new AddressRange(address, count == null ? defaultCount : session.evaluate(count));
        }
    }
}
