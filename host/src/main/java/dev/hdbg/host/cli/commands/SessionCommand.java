package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.MemoryReads;
import dev.hdbg.host.cli.output.Output;
import dev.hdbg.host.client.AgentError;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command of the debugger prompt; each verb is its own picocli command, which shows its results only through
 * picocli's writer ({@link #out()}), so that it can be run with {@code execute()} and a {@code StringWriter}. While the
 * session is disconnected, commands that need an agent fail with {@link DebugSession#NOT_CONNECTED}.
 */
abstract class SessionCommand implements Callable<Integer> {
    protected final DebugSession session;

    @Spec
    CommandSpec spec;

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

    /** Where this command shows its results: picocli's writer, in the session's form (text or JSON lines). */
    protected Output out() {
        return session.outputOn(spec.commandLine().getOut());
    }

    /**
     * Up to {@code wanted} bytes at {@code address}, fewer where mapped memory ends ({@link MemoryReads#upTo}).
     *
     * @throws AgentError UNMAPPED_ADDRESS when {@code address} itself is unmapped
     */
    byte[] readUpTo(long address, long wanted) {
        return MemoryReads.upTo((at, length) -> session.await(session.client().readMemory(at, length)), address, wanted);
    }

    /** False for the commands that work without an agent: .connect, .status, .script, .logopen, .logclose. */
    boolean needsConnection() {
        return true;
    }

    abstract void run() throws Exception;
}
