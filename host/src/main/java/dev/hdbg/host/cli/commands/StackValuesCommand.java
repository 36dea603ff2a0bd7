package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.Output;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code kd} and {@code kq}: {@code [base ADDR] [l LENGTH]}, the stack from ADDR (rsp when omitted) as 32- or
 * 64-bit values, LENGTH bytes (hex, 0x100 when omitted, as HyperDbg's), each value with the symbol it points into.
 * Nothing is unwound: every slot is shown, so a return address stands where the frames put it even when rbp is not
 * a frame pointer ({@code k} needs one).
 */
abstract class StackValuesCommand extends SessionCommand {
    static final long DEFAULT_LENGTH = 0x100;
    static final long MAX_LENGTH = 0x10000;

    private final int size;

    @Parameters(arity = "0..*", paramLabel = "[base ADDR] [l LENGTH]")
    List<String> args = new ArrayList<>();

    StackValuesCommand(DebugSession session, int size) {
        super(session);
        this.size = size;
    }

    @Override
    void run() {
        String verb = spec.name();
        Long base = null;
        long length = DEFAULT_LENGTH;
        for (int i = 0; i < args.size(); i += 2) {
            String keyword = args.get(i).toLowerCase(java.util.Locale.ROOT);
            if (!keyword.equals("base") && !keyword.equals("l")) {
                throw new IllegalArgumentException("write " + verb + " [base ADDR] [l LENGTH], e.g. " + verb + " base rsp l 40; '"
                        + args.get(i) + "' is neither");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(keyword + (keyword.equals("l") ? " takes the length in bytes" : " takes an address")
                        + ", e.g. " + verb + " base rsp l 40");
            }
            long value = session.evaluate(args.get(i + 1));
            if (keyword.equals("base")) {
                base = value;
            } else {
                length = value;
            }
        }
        if (length < size || length > MAX_LENGTH) {
            throw new IllegalArgumentException("l is the length in bytes, 0x" + Integer.toHexString(size) + "..0x"
                    + Long.toHexString(MAX_LENGTH) + ", not 0x" + Long.toHexString(length));
        }
        long from = base != null ? base : session.await(session.client().readRegisters(List.of("rsp"))).get("rsp");
        int count = (int) (length / size);
        byte[] data = session.await(session.client().readMemory(from, count * size));
        GuestMemoryMap map = GuestMemoryMap.of(session);
        List<Output.PointerSlot> slots = new ArrayList<>();
        for (int i = 0; i < data.length; i += size) {
            long value = LittleEndian.read(data, i, size);
            slots.add(new Output.PointerSlot(from + i, value, map.kindOf(value)));
        }
        out().stackValues(slots, size);
    }

    @Command(name = "kd", description = {"Shows the stack as 32-bit values with the symbol each points into (HyperDbg):",
            "  kd [base ADDR] [l LENGTH]   ADDR rsp and LENGTH 0x100 bytes when omitted", "Example: kd base rsp l 20"})
    static final class DoubleWords extends StackValuesCommand {
        DoubleWords(DebugSession session) {
            super(session, 4);
        }
    }

    @Command(name = "kq", description = {"Shows the stack as 64-bit values with the symbol each points into (HyperDbg):",
            "  kq [base ADDR] [l LENGTH]   ADDR rsp and LENGTH 0x100 bytes when omitted", "Example: kq l 40"})
    static final class QuadWords extends StackValuesCommand {
        QuadWords(DebugSession session) {
            super(session, 8);
        }
    }
}
