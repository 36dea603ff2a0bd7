package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "!cpuid", description = {"Triggers on CPUID, optionally for one leaf (EAX) only. Context = EAX.",
        "  !cpuid [LEAF] [condition {HEX}] [code {HEX}] [buffer SIZE] [log {SPEC}] [break] [imm yes|no] [disabled]",
        "Example: !cpuid 1 log {rax rcx $context}"})
final class CpuidCommand extends EventCommand {
    CpuidCommand(DebugSession session) {
        super(session);
    }
}
