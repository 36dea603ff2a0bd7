package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.common.disasm.Disassembler;
import picocli.CommandLine.Command;

/** HyperDbg's {@code u2}/{@code u32}: the same bytes read as x86-32 code (Capstone's 32-bit mode). */
@Command(name = "u2", aliases = "u32", description = {"Disassembles x86-32 code, with each instruction's bytes:",
        "  u2 [ADDR] [l LENGTH] [pid PID]   LENGTH in bytes (hex), 0x80 when omitted; ADDR rip when omitted",
        "Example: u32 400040 l 10"})
final class U32Command extends UnassembleCommand {
    U32Command(DebugSession session) {
        super(session, Disassembler::x86_32, 0x80);
    }
}
