package dev.hdbg.host.cli.commands;

import dev.hdbg.common.event.EventType;

/** The help text of each event command, from its catalogue entry: what triggers it, its syntax, its context, an example. */
final class EventHelp {
    static final String OPTIONS = "Options: condition {HEX} code {HEX} asm condition|code {ASM; ASM} buffer SIZE log {SPEC} break imm yes|no "
            + "pid PID|all core N|all sc on|off stage pre|post|all disabled output {NAME}. No action clause means break.";

    private EventHelp() {
    }

    static String[] of(EventType type) {
        return new String[] {type.triggers() + " Context = " + type.context() + ".",
                "  " + String.join(" [options]    or    ", type.forms()) + " [options]",
                "Example (bin/hdbg-agent --sample events): " + type.example(), OPTIONS};
    }
}
