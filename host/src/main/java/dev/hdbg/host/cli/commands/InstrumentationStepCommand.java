package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.StepMode;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/**
 * HyperDbg's instrumentation step {@code i}/{@code ir}: one instruction with nothing else running meanwhile. On the
 * emulator every step is that already (one CPU executes exactly one instruction, and no other thread runs), so it is
 * {@code t}'s step.
 */
@Command(name = "i", aliases = "ir", description = {"Instrumentation step: COUNT instructions (hex, default 1), into calls,",
        "nothing else running meanwhile; on the emulator the same exact step as t (ir is the same).", "  i [COUNT]",
        "Example: i 5"})
final class InstrumentationStepCommand extends StepCommand {
    InstrumentationStepCommand(DebugSession session, boolean waitForStop) {
        super(session, StepMode.INTO, waitForStop);
    }
}
