package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

@Command(name = "!epthook", description = {"Hooks execution of an address, before the instruction runs. Context = the address.",
        "  !epthook ADDR [condition {HEX}] [code {HEX}] [buffer SIZE] [log {SPEC}] [break] [imm yes|no] [disabled]",
        "No action clause means break. Actions run in the order written.",
        "Example: !epthook 400040 log {rdi [rbx]:8 $context} imm no"})
final class EptHookCommand extends EventCommand {
    EptHookCommand(DebugSession session) {
        super(session);
    }
}
