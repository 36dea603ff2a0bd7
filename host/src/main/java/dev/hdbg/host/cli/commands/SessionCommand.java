package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import java.util.concurrent.Callable;

/** A command of the debugger prompt; each verb is its own picocli command. */
abstract class SessionCommand implements Callable<Integer> {
    protected final DebugSession session;

    SessionCommand(DebugSession session) {
        this.session = session;
    }

    @Override
    public final Integer call() throws Exception {
        run();
        return 0;
    }

    abstract void run() throws Exception;
}
