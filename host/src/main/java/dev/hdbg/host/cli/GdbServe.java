package dev.hdbg.host.cli;

import dev.hdbg.host.gdb.GdbBridge;
import java.io.IOException;

/** {@code hdbg --gdb HOST:PORT}: one front end's session, the host's screen showing the records meanwhile. */
final class GdbServe {
    private GdbServe() {
    }

    /**
     * @return the exit status: 0 after the session, 1 when the address cannot be used, 2 when the agent disconnected
     *         (the session, if gdb was connected, closed gdb's connection at once)
     */
    static int once(DebugSession session, String hostPort, boolean anyAddress) throws InterruptedException {
        GdbAddress where;
        try {
            where = GdbAddress.parse(hostPort);
        } catch (IllegalArgumentException e) {
            session.output().error(e.getMessage());
            return 1;
        }
        session.leaveStepStopsToGdb();
        try (GdbBridge bridge = GdbBridge.listen(where.host(), where.port(), anyAddress, session.client(),
                new GdbMonitor(session.client()), session.output()::note)) {
            session.output().note("gdb: listening on " + bridge.address() + " (in gdb: target remote " + bridge.address() + ")");
            bridge.serveOne();
            if (bridge.agentGone().isPresent()) {
                session.output().error("gdb: the agent disconnected (" + bridge.agentGone().get() + "): the bridge exits");
                return 2;
            }
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            session.output().error("--gdb " + hostPort + ": " + e.getMessage());
            return 1;
        }
    }
}
