package dev.hdbg.host.cli.commands;

import dev.hdbg.host.cli.DebugSession;
import dev.hdbg.host.cli.GdbAddress;
import dev.hdbg.host.cli.GdbMonitor;
import dev.hdbg.host.gdb.GdbBridge;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = ".gdb", description = {"Serves GDB's remote protocol on HOST:PORT beside the prompt: gdb, IDA, Ghidra or radare2",
        "connect there (gdb: target remote HOST:PORT), one at a time, while the prompt observes; monitor CMD in gdb runs",
        "an hdbg command. Loopback only unless --any-address. '.gdb stop' ends it; '.gdb' says where it listens.",
        "Example: .gdb 127.0.0.1:1234"})
final class GdbCommand extends SessionCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST:PORT|stop")
    String where;

    @Option(names = "--any-address", description = "allow an address other than loopback (no authentication: anyone who "
            + "reaches the port controls the target)")
    boolean anyAddress;

    /** The bridge this prompt runs; one at a time. */
    private GdbBridge bridge;

    GdbCommand(DebugSession session) {
        super(session);
    }

    @Override
    boolean needsConnection() {
        return where != null && !where.equals("stop");
    }

    @Override
    void run() throws IOException {
        if (bridge != null && bridge.agentGone().isPresent()) {
            // It stopped itself when the agent went (GdbBridge.onAgentGone): say so once, and let a new one start.
            out().note("gdb bridge: stopped when the agent disconnected (" + bridge.agentGone().get() + ")");
            bridge.close();
            bridge = null;
            if (where == null || where.equals("stop")) {
                return;
            }
        }
        if (where == null) {
            out().note(bridge == null ? "gdb bridge: not running" : "gdb bridge: listening on " + bridge.address());
            return;
        }
        if (where.equals("stop")) {
            if (bridge == null) {
                throw new IllegalArgumentException("the gdb bridge is not running");
            }
            bridge.close();
            bridge = null;
            out().note("gdb bridge: stopped");
            return;
        }
        if (bridge != null) {
            throw new IllegalArgumentException("the gdb bridge already listens on " + bridge.address() + " (.gdb stop first)");
        }
        GdbAddress address = GdbAddress.parse(where);
        GdbBridge started = GdbBridge.listen(address.host(), address.port(), anyAddress, session.client(),
                new GdbMonitor(session.client()), session.output()::note);
        Thread.ofPlatform().name("hdbg-gdb-bridge").daemon().start(() -> {
            try {
                started.serveUntilClosed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        bridge = started;
        out().note("gdb bridge: listening on " + started.address() + " (in gdb: target remote " + started.address() + ")");
    }
}
