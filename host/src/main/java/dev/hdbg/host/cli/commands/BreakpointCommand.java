package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.event.Scope;
import dev.hdbg.common.text.HexBytes;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.parse.ScopeOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bp", description = {"Sets a breakpoint. It changes no byte of guest memory, so the guest reading its own "
        + "code sees its original bytes.",
        "  bp ADDR [pid N] [tid N] [core N] [condition {HEX}]",
        "    pid, tid, core: stop only in that process, thread or core (hex, or 0n decimal), as HyperDbg's bp;",
        "    condition: HyperDbg's convention, RCX = GUEST_REGS, RAX != 0 holds",
        "Example: bp 400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}",
        "Example: bp marker pid 3e9"})
final class BreakpointCommand extends SessionCommand {
    private static final Set<String> OPTIONS = Set.of("pid", "tid", "core", "condition");

    @Parameters(arity = "1..*", paramLabel = "ADDR [pid N] [tid N] [core N] [condition {HEX}]")
    List<String> args = new ArrayList<>();

    BreakpointCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        int first = 0;
        while (first < args.size() && !OPTIONS.contains(args.get(first).toLowerCase(Locale.ROOT))) {
            first++;
        }
        List<String> address = args.subList(0, first);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("bp needs an address, e.g. bp 400040");
        }
        MachineCode condition = null;
        OptionalLong pid = OptionalLong.empty();
        OptionalLong tid = OptionalLong.empty();
        OptionalInt core = OptionalInt.empty();
        Set<String> given = new HashSet<>();
        for (int i = first; i < args.size(); i += 2) {
            String option = args.get(i).toLowerCase(Locale.ROOT);
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException("bp takes pid N, tid N, core N and condition {HEX} after the address,"
                        + " not '" + args.get(i) + "', e.g. bp 400040 pid 3e9");
            }
            if (!given.add(option)) {
                throw new IllegalArgumentException(option + " given twice (give it once per bp)");
            }
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (option) {
                case "pid" -> pid = ScopeOptions.pid(value);
                case "tid" -> tid = ScopeOptions.tid(value);
                case "core" -> core = ScopeOptions.core(value);
                default -> condition = condition(value);
            }
        }
        long id = session.await(session.client().addBreakpoint(session.evaluate(String.join(" ", address)), condition,
                new Scope(pid, tid, core)));
        out().note("breakpoint " + Long.toHexString(id) + " set");
        out().ok("bp");
    }

    private static MachineCode condition(String braces) {
        if (braces == null || !braces.startsWith("{") || !braces.endsWith("}")) {
            throw new IllegalArgumentException("bp takes condition {HEX BYTES}, e.g. bp 400040 condition {31 c0}");
        }
        return MachineCode.of(HexBytes.parse(braces.substring(1, braces.length() - 1)));
    }
}
