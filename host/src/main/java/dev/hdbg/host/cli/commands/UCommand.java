package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.common.disasm.Disassembler;
import picocli.CommandLine.Command;

@Command(name = "u", aliases = "u64", description = {"Disassembles x86-64 code, with each instruction's bytes:",
        "  u [ADDR] [l LENGTH] [pid PID]   LENGTH in bytes (hex), 0x40 when omitted; ADDR rip when omitted",
        "Example: u 400040 l a"})
final class UCommand extends UnassembleCommand {
    UCommand(DebugSession session) {
        super(session, Disassembler::x86_64, 0x40);
    }
}
