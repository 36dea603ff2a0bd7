package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.client.AgentError;
import java.util.concurrent.Callable;

/**
 * A command of the debugger prompt; each verb is its own picocli command. While the session is
 * disconnected, commands that need an agent fail with {@link DebugSession#NOT_CONNECTED}.
 */
abstract class SessionCommand implements Callable<Integer> {
    protected final DebugSession session;

    SessionCommand(DebugSession session) {
        this.session = session;
    }

    @Override
    public final Integer call() throws Exception {
        if (needsConnection() && !session.connected()) {
            throw new AgentError(AgentError.Kind.CONNECTION, DebugSession.NOT_CONNECTED);
        }
        run();
        return 0;
    }

    /** False for the commands that work without an agent: .connect, .status, .script, .logopen, .logclose. */
    boolean needsConnection() {
        return true;
    }

    abstract void run() throws Exception;
}
