package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code rdmsr ECX [core N]} and {@code wrmsr ECX VALUE [core N]}: the MSR numbered ECX (hex, an
 * expression) of core N, core 0 when omitted (the target has one). An MSR the emulated CPU does not implement is
 * refused by the agent, as a real CPU raises #GP for it.
 */
abstract class MsrCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "ECX [VALUE] [core N]")
    List<String> args = new ArrayList<>();

    MsrCommand(DebugSession session) {
        super(session);
    }

    /** The words before {@code core N}, and N (0 when there is no {@code core}). */
    record Parsed(List<String> words, int core) {
    }

    Parsed parse(String example) {
        List<String> words = new ArrayList<>(args);
        int core = 0;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equalsIgnoreCase("core")) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException("core takes the core's number, e.g. " + example + " core 0");
                }
                long n = session.evaluate(words.get(i + 1));
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("core 0x" + Long.toHexString(n) + " is not a core number");
                }
                core = (int) n;
                words.subList(i, i + 2).clear();
                break;
            }
        }
        return new Parsed(words, core);
    }

    int msrNumber(String word) {
        long msr = session.evaluate(word);
        if (msr < 0 || msr > 0xffff_ffffL) {
            throw new IllegalArgumentException("an MSR number is 32 bits (ECX), not 0x" + Long.toHexString(msr));
        }
        return (int) msr;
    }

    @Command(name = "rdmsr", description = {"Reads a model-specific register (HyperDbg): rdmsr ECX [core N]",
            "Example: rdmsr c0000100"})
    static final class Read extends MsrCommand {
        Read(DebugSession session) {
            super(session);
        }

        @Override
        void run() {
            Parsed parsed = parse("rdmsr c0000100");
            if (parsed.words().size() != 1) {
                throw new IllegalArgumentException("write rdmsr ECX [core N], e.g. rdmsr c0000100");
            }
            int msr = msrNumber(parsed.words().getFirst());
            long value = session.await(session.client().readMsr(msr, parsed.core()));
            out().msr(parsed.core(), msr, value);
        }
    }

    @Command(name = "wrmsr", description = {"Writes a model-specific register (HyperDbg): wrmsr ECX VALUE [core N]",
            "Example: wrmsr c0000102 7fff12340000"})
    static final class Write extends MsrCommand {
        Write(DebugSession session) {
            super(session);
        }

        @Override
        void run() {
            Parsed parsed = parse("wrmsr c0000102 7fff12340000");
            if (parsed.words().size() != 2) {
                throw new IllegalArgumentException("write wrmsr ECX VALUE [core N], e.g. wrmsr c0000102 7fff12340000");
            }
            int msr = msrNumber(parsed.words().get(0));
            long value = session.evaluate(parsed.words().get(1));
            session.await(session.client().writeMsr(msr, value, parsed.core()));
            out().ok("wrmsr");
        }
    }
}
