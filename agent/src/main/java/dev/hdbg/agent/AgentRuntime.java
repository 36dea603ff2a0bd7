package dev.hdbg.agent;

import dev.hdbg.agent.debugger.Debugger;
import dev.hdbg.agent.debugger.Delivery;
import dev.hdbg.agent.debugger.Limits;
import dev.hdbg.agent.debugger.TargetInfo;
import dev.hdbg.agent.machine.Machine;
import dev.hdbg.agent.os.linux.LinuxProcess;
import dev.hdbg.agent.server.AgentServer;
import dev.hdbg.agent.server.ServerOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A whole agent: the machine with its target loaded, the debugger and the server. Used by
 * {@link AgentMain} and by the host's demo, which runs an agent in its own process.
 */
public final class AgentRuntime implements AutoCloseable {
    private final Machine machine;
    private final Debugger debugger;
    private final AgentServer server;
    private final InetSocketAddress address;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AgentRuntime(Machine machine, Debugger debugger, AgentServer server, InetSocketAddress address) {
        this.machine = machine;
        this.debugger = debugger;
        this.server = server;
        this.address = address;
    }

    /** Loads the target, starts the debugger paused at the entry, and listens. */
    public static AgentRuntime start(Target target, ServerOptions serverOptions, Limits limits, Delivery delivery)
            throws IOException, InterruptedException {
        Machine machine = new Machine();
        Debugger debugger = null;
        AgentServer server = new AgentServer();
        try {
            // A raw image is loaded before the debugger exists; a program's system calls need the debugger's queue.
            TargetInfo raw = switch (target) {
                case Target.Raw image -> image.loadInto(machine);
                case Target.Sample sample -> sample.loadInto(machine);
                case ElfTarget elf -> null;
            };
            debugger = new Debugger(machine, limits, delivery.newQueue());
            LinuxProcess process = null;
            if (target instanceof ElfTarget elf) {
                process = elf.load(machine, debugger);
            } else {
                debugger.setTarget(raw);
            }
            debugger.setStarter(new TargetReload(machine, target, process));
            InetSocketAddress bound = server.start(debugger, serverOptions);
            return new AgentRuntime(machine, debugger, server, bound);
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            // An Error too (a heap exhausted while loading): the debugger's execution thread must end with the start.
            server.close();
            if (debugger != null) {
                debugger.close();
            }
            machine.close();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Blocks until a --once session ends or {@link #close} is called. */
    public void awaitStop() throws InterruptedException {
        server.awaitStop();
    }

    /** Stops serving and frees the machine; idempotent (a shutdown hook may call it again). */
    @Override
    public void close() throws InterruptedException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop();
        server.close();
        debugger.close();
        debugger.records().close();
        machine.close();
    }
}
