package dev.hdbg.host.gdb;

import dev.hdbg.common.script.ScriptChecker;
import dev.hdbg.common.script.ScriptEnvironment;
import dev.hdbg.common.script.ScriptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The conditions of a {@code Z0}/{@code Z1} packet ({@code ;X LEN,HEX} each), any of which stops: one hdbg expression. */
final class ConditionList {
    private ConditionList() {
    }

    /**
     * {@code parts}: the packet's arguments split at {@code ;}, the point's own first. Empty when there is no condition,
     * or one cannot be read ({@link AgentExpression}) or makes a script hdbg's checker refuses: gdb then evaluates it
     * itself at every stop, as it does anyway.
     */
    static Optional<String> script(String[] parts) {
        List<String> any = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.startsWith("cmds:")) {
                break; // commands (not offered) come after the conditions
            }
            int comma = part.indexOf(',');
            if (!part.startsWith("X") || comma < 0) {
                return Optional.empty();
            }
            long length = Packets.number(part.substring(1, comma));
            byte[] bytecode = Packets.unhex(part.substring(comma + 1));
            if (bytecode.length != length) {
                return Optional.empty();
            }
            Optional<AgentExpression.Value> condition = AgentExpression.read(bytecode);
            if (condition.isEmpty()) {
                return Optional.empty();
            }
            any.add(condition.get().stopsWhen());
        }
        if (any.isEmpty()) {
            return Optional.empty();
        }
        String condition = String.join(" || ", any);
        try {
            // As the agent will check it: one it refused (nested too deep, say) would fail gdb's breakpoint, where a
            // condition left to gdb is only slower
            ScriptChecker.check(TargetPoints.pauseWhen(condition), ScriptEnvironment.DEFAULT);
        } catch (ScriptException e) {
            return Optional.empty();
        }
        return Optional.of(condition);
    }
}
