package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.EventModification;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Parameters;

/** {@code bc}, {@code bd}, {@code be}: clear, disable or enable one breakpoint or all of them. */
abstract class BreakpointModifyCommand extends SessionCommand {
    @Parameters(index = "0", paramLabel = "ID|all")
    String target;

    private final EventModification modification;
    private final String verb;

    BreakpointModifyCommand(DebugSession session, EventModification modification, String verb) {
        super(session);
        this.modification = modification;
        this.verb = verb;
    }

    @Override
    void run() {
        boolean all = target.equalsIgnoreCase("all") || target.equals("*");
        long id = all ? 0 : Numbers.parse(target);
        List<Long> ids = session.await(session.client().modifyBreakpoints(id, all, modification));
        out().note(ids.isEmpty() ? "no breakpoints" : verb + " breakpoint" + (ids.size() > 1 ? "s " : " ")
                + ids.stream().map(Long::toHexString).collect(Collectors.joining(", ")));
        out().ok(verb);
    }
}
