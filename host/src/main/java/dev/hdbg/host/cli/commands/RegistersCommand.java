package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.GuestRegister;
import dev.hdbg.host.cli.DebugSession;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "r", description = {"Shows or changes registers.",
        "  r                 general-purpose registers, rip and rflags",
        "  r REG [REG...]    the named ones (rax .. r15, rip, rflags, cs .. ss, fs_base, gs_base, cr0 .. cr4, dr0 .. dr7)",
        "  r REG = EXPR      sets one; EXPR is hex by default and may name registers: r rax = rbx+10",
        "Example: r rip = 400040"})
final class RegistersCommand extends SessionCommand {
    @Parameters(arity = "0..*", paramLabel = "ARGS")
    List<String> args = new ArrayList<>();

    RegistersCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        int equals = args.indexOf("=");
        if (equals < 0) {
            List<String> names = args.stream().map(n -> GuestRegister.parse(n).wireName()).toList();
            session.output().registers(session.await(session.client().readRegisters(names)));
            return;
        }
        if (equals != 1 || args.size() < 3) {
            throw new IllegalArgumentException("write r REG = VALUE, e.g. r rax = 1234");
        }
        GuestRegister register = GuestRegister.parse(args.get(0));
        long value = session.evaluate(String.join(" ", args.subList(2, args.size())));
        session.await(session.client().writeRegister(register.wireName(), value));
        session.output().ok("r");
    }
}
