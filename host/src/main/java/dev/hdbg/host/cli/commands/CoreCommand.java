package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.AgentStatus;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code ~}: lists the cores (each thread of the program runs on a core of its own), or selects the one
 * that {@code r}, {@code t}, {@code p}, {@code gu}, {@code k} and {@code u} act on. The number is HyperDbg's: hex
 * unless it says otherwise ({@code 0n10}).
 */
@Command(name = "~", description = {"Lists the cores, one per thread of the program, or selects the one that r, t, p,",
        "gu, k and u act on (a break selects the core that broke): ~ [CORE]", "Example: ~ 1"})
final class CoreCommand extends SessionCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CORE")
    String core;

    CoreCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        if (core == null) {
            AgentStatus status = session.await(session.client().status());
            out().cores(status.cores(), status.selectedCore());
            return;
        }
        long number = Numbers.parse(core);
        if (number < 0 || number > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("core " + core + " does not exist");
        }
        var selected = session.await(session.client().selectCore((int) number));
        session.coreSelected(); // lm and symbols are now the selected process's
        out().coreSelected(selected);
    }
}
