package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.LinuxSignals;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * WinDbg's event filters for Linux signals: {@code sxe SIG ...} breaks before each of them is delivered to the
 * program, handled or not (WinDbg's first-chance break, gdb's {@code handle SIG stop}), {@code sxd SIG ...} lets them
 * go by again, {@code sx} lists those that break (protocol 1.19). At such a break {@code g} delivers the signal (its
 * handler runs, or its default action ends the program), {@code gh} goes on without it. Names as in {@code kill -l},
 * with or without SIG, any case, or numbers; {@code all} for every signal.
 */
abstract class SignalFilterCommand extends SessionCommand {
    private static final long ALL = LinuxSignals.STOPPABLE;

    @Parameters(arity = "0..*", paramLabel = "SIGNAL")
    List<String> signals = new ArrayList<>();

    SignalFilterCommand(DebugSession session) {
        super(session);
    }

    /** The agent's set from the one it has. */
    abstract long change(long set, long named);

    @Override
    void run() {
        long named = named();
        long before = session.await(session.client().status()).signalStops();
        long after = change(before, named);
        if (after != before) {
            session.await(session.client().stopBeforeSignals(after));
        }
        out().signalStops(LinuxSignals.members(after), describe(after));
    }

    private long named() {
        if (signals.isEmpty()) {
            return 0;
        }
        long set = 0;
        for (String word : signals) {
            if (word.equalsIgnoreCase("all") || word.equals("*")) {
                set |= ALL;
                continue;
            }
            OptionalInt number = LinuxSignals.number(word);
            if (number.isEmpty()) {
                throw new IllegalArgumentException("'" + word + "' names no signal: write a name as kill -l shows it "
                        + "(SIGSEGV, segv, usr1), a number from 1 to " + LinuxSignals.MAX + ", or all");
            }
            long bit = LinuxSignals.bit(number.getAsInt());
            if ((bit & ALL) == 0) {
                throw new IllegalArgumentException(LinuxSignals.describe(number.getAsInt()) + " cannot be stopped "
                        + "before: it reaches the program whatever a debugger does");
            }
            set |= bit;
        }
        return set;
    }

    /** {@code "break before delivery: SIGUSR1 SIGSEGV"}, or that none or every signal breaks. */
    static String describe(long set) {
        if (set == 0) {
            return "no signal breaks before its delivery (sxe SIG to add one)";
        }
        if ((set & ALL) == ALL) {
            return "every signal breaks before its delivery (sxd SIG to let one go by)";
        }
        List<String> names = LinuxSignals.members(set).stream()
                .map(s -> LinuxSignals.name(s).isEmpty() ? "SIG" + s : LinuxSignals.name(s)).toList();
        return "break before delivery: " + String.join(" ", names);
    }

    @Command(name = "sxe", description = {"Breaks before each signal named is delivered to the program, handled or "
            + "not (WinDbg's sxe, gdb's handle SIG stop); at the break g delivers it, gh goes on without it:",
            "  sxe SIGNAL...   names as kill -l shows them (SIGSEGV, segv, usr1), numbers, or all",
            "Example: sxe segv usr1"})
    static final class Enable extends SignalFilterCommand {
        Enable(DebugSession session) {
            super(session);
        }

        @Override
        long change(long set, long named) {
            if (named == 0) {
                throw new IllegalArgumentException("sxe takes the signals to break before, e.g. sxe segv usr1 (sx "
                        + "lists them)");
            }
            return set | named;
        }
    }

    @Command(name = "sxd", description = {"Lets the signals named reach the program without a break again (WinDbg's "
            + "sxd, gdb's handle SIG nostop):", "  sxd SIGNAL...   names, numbers, or all", "Example: sxd all"})
    static final class Disable extends SignalFilterCommand {
        Disable(DebugSession session) {
            super(session);
        }

        @Override
        long change(long set, long named) {
            if (named == 0) {
                throw new IllegalArgumentException("sxd takes the signals to let go by, e.g. sxd usr1, or sxd all");
            }
            return set & ~named;
        }
    }

    @Command(name = "sx", description = {"Lists the signals that break before their delivery (sxe adds, sxd removes).",
            "Example: sx"})
    static final class Listing extends SignalFilterCommand {
        Listing(DebugSession session) {
            super(session);
        }

        @Override
        long change(long set, long named) {
            if (named != 0) {
                throw new IllegalArgumentException("sx lists; sxe SIG adds a signal, sxd SIG removes one");
            }
            return set;
        }
    }
}
