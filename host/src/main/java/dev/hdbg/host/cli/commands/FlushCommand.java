package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;

/**
 * HyperDbg's {@code flush}: discards the event messages the agent holds and has not sent (log, buffer and script
 * output records). hdbg loses nothing silently, so each run of them reaches the host as one lost record.
 */
@Command(name = "flush", description = {"Discards the event messages the agent holds and has not sent yet (HyperDbg): flush",
        "They arrive as one 'records lost' line per run of them."})
final class FlushCommand extends SessionCommand {
    FlushCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        long flushed = session.await(session.client().flushMessages());
        out().note("flushing buffers was successful, total " + flushed + " messages were cleared.");
    }
}
