package dev.hdbg.host.cli.output;

import dev.hdbg.common.model.CallTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A {@code !track} as HyperDbg draws it: each call opens a level ({@code ┌── callee}), each return closes one
 * ({@code └── the return instruction}); a return with no call seen (the tracking began inside a function) stays at
 * the outermost level.
 *
 * @param nodes        the calls and returns in order, with their levels and names
 * @param instructions how many instructions ran while tracking
 * @param dropped      calls and returns the agent did not keep
 */
public record CallTree(List<Node> nodes, long instructions, long dropped) {
    public CallTree {
        nodes = List.copyOf(nodes);
    }

    /**
     * One line of the tree.
     *
     * @param depth     how many calls enclose it
     * @param kind      call or return
     * @param address   the called function, or the return instruction
     * @param symbol    {@code address} as a symbol ({@code work}, {@code leaf+0x12}), when one holds it
     * @param registers with {@code !track reg}, the registers as the called function starts
     */
    public record Node(int depth, CallTrack.Kind kind, long address, Optional<String> symbol, Map<String, Long> registers) {
    }

    /** Builds the tree of {@code track}, naming addresses with {@code symbols}. */
    public static CallTree of(CallTrack track, LongFunction<Optional<String>> symbols) {
        List<Node> nodes = new ArrayList<>();
        int depth = 0;
        for (CallTrack.Transfer t : track.transfers()) {
            if (t.kind() == CallTrack.Kind.CALL) {
                nodes.add(new Node(depth, t.kind(), t.to(), symbols.apply(t.to()), t.registers()));
                depth++;
            } else {
                depth = Math.max(0, depth - 1);
                nodes.add(new Node(depth, t.kind(), t.from(), symbols.apply(t.from()), Map.of()));
            }
        }
        return new CallTree(nodes, track.instructions(), track.dropped());
    }
}
