package dev.hdbg.host.cli.commands;

import dev.hdbg.common.model.CallTrack;
import dev.hdbg.common.text.Numbers;
import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.output.CallTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * HyperDbg's {@code !track [tree|reg] [COUNT]}: runs the paused target for COUNT instructions (hex), every one looked
 * at, and draws the calls and returns it executed as a tree with the target's symbols. On an emulator the tree is
 * exact. HyperDbg tracks without limit when no count is given, until paused; hdbg answers once the run has ended,
 * so it tracks {@link #DEFAULT_COUNT} instructions then, or fewer when a break or the target's end comes first.
 */
@Command(name = "!track", description = {"Runs the target COUNT (hex) instructions and shows the calls and returns as a"
        + " tree with symbols: !track [tree|reg] [COUNT]; reg adds the registers at each call; default 100000"
        + " instructions. It stops earlier at a break or the target's end.", "Example: bp main; g; !track 400"})
final class TrackCommand extends SessionCommand {
    /** Without a count: a million instructions, a second or two of tracking. */
    static final long DEFAULT_COUNT = 0x10_0000;
    private static final String EXAMPLE = "e.g. !track 400 or !track reg 1000";

    @Parameters(arity = "0..2", paramLabel = "[tree|reg] [COUNT]")
    List<String> args = new ArrayList<>();

    TrackCommand(DebugSession session) {
        super(session);
    }

    @Override
    void run() {
        boolean registers = false;
        List<String> rest = new ArrayList<>(args);
        if (!rest.isEmpty() && !Numbers.isNumber(rest.getFirst())) {
            switch (rest.removeFirst().toLowerCase(Locale.ROOT)) {
                case "tree" -> registers = false;
                case "reg" -> registers = true;
                default -> throw new IllegalArgumentException("!track takes tree or reg, then a count of"
                        + " instructions, " + EXAMPLE);
            }
        }
        if (rest.size() > 1) {
            throw new IllegalArgumentException("!track takes one count of instructions, " + EXAMPLE);
        }
        long count = rest.isEmpty() ? DEFAULT_COUNT : session.evaluate(rest.getFirst());
        CallTrack track = session.await(session.client().track(count, registers));
        out().callTree(CallTree.of(track, session::describe));
    }
}
