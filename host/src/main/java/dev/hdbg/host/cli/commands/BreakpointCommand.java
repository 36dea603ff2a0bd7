package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.MachineCode;
import dev.hdbg.common.text.HexBytes;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "bp", description = {"Sets a breakpoint. It changes no byte of guest memory, so the guest reading its own "
        + "code sees its original bytes.",
        "  bp ADDR [condition {HEX}]    the condition uses HyperDbg's convention: RCX = GUEST_REGS, RAX != 0 holds",
        "Example: bp 400040 condition {48 8b 41 38 48 83 f8 07 0f 94 c0 48 0f b6 c0}"})
final class BreakpointCommand extends SessionCommand {
    @Parameters(arity = "1..*", paramLabel = "ADDR [condition {HEX}]")
    List<String> args = new ArrayList<>();

    BreakpointCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        int keyword = -1;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equalsIgnoreCase("condition")) {
                keyword = i;
            }
        }
        MachineCode condition = null;
        List<String> address = args;
        if (keyword >= 0) {
            if (keyword != args.size() - 2 || !args.get(keyword + 1).startsWith("{")) {
                throw new IllegalArgumentException("bp takes condition {HEX BYTES} last, e.g. bp 400040 condition {31 c0}");
            }
            String braces = args.get(keyword + 1);
            condition = MachineCode.of(HexBytes.parse(braces.substring(1, braces.length() - 1)));
            address = args.subList(0, keyword);
        }
        if (address.isEmpty()) {
            throw new IllegalArgumentException("bp needs an address, e.g. bp 400040");
        }
        long id = session.await(session.client().addBreakpoint(session.evaluate(String.join(" ", address)), condition));
        out().note("breakpoint " + Long.toHexString(id) + " set");
        out().ok("bp");
    }
}
