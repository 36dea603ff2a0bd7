package dev.hdbg.host.gdb;

import dev.hdbg.common.model.StepRange;
import java.io.IOException;

/** gdb's {@code vCont} actions, as the bridge runs them. */
final class ResumeActions {
    private ResumeActions() {
    }

    /**
     * All-stop: the first action decides; a step names its thread ({@code s:p3e8.3e9}), which steps alone, the other
     * threads standing still (the agent's {@code t} on that thread's core); {@code r} steps it through a range (gdb's
     * range stepping, one request to an agent of 1.20); {@code t} (stop) means pause.
     */
    static void run(String actions, GdbSession session) throws IOException {
        String first = actions.split(";")[0];
        char action = first.charAt(0);
        int colon = first.indexOf(':');
        // what follows the action letter, up to its thread: C's and S's signal, r's range
        String argument = first.substring(1, colon > 0 ? colon : first.length());
        StepRange range = action == 'r' ? range(argument) : null;
        if (action == 'c' || action == 's' || action == 'r') {
            session.resumeWithSignal(0); // gdb's "signal 0", or a signal it does not pass
        } else if (action == 'C' || action == 'S') {
            session.resumeWithSignal(Integer.parseInt(argument, 16));
        }
        switch (action) {
            case 'c', 'C' -> session.resume(false, "");
            case 's', 'S' -> {
                if (colon > 0) {
                    session.stepThread(first.substring(colon + 1));
                } else {
                    session.resume(true, "");
                }
            }
            case 'r' -> session.stepThread(colon > 0 ? first.substring(colon + 1) : "", range);
            case 't' -> session.frontEnd().send("OK");
            default -> session.frontEnd().send("E01");
        }
    }

    /**
     * Range stepping's {@code START,END} (hex): the agent steps while the thread stays in it (1.20).
     *
     * @throws IllegalArgumentException when it is not one (the session answers E01, nothing resumed)
     */
    private static StepRange range(String startEnd) {
        int comma = startEnd.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("not a range: " + startEnd);
        }
        return new StepRange(Packets.number(startEnd.substring(0, comma)), Packets.number(startEnd.substring(comma + 1)));
    }
}
