package dev.hdbg.host.gdb;

import dev.hdbg.host.client.CallerDrivenLoop;
import dev.hdbg.host.client.DebuggerClient;
import dev.hdbg.host.client.ReadyWatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A GDB remote-protocol server in front of one hdbg connection: gdb ({@code target remote HOST:PORT}), IDA, Ghidra
 * or radare2 connect here and drive the target through {@link DebuggerClient}. One front end at a time (all-stop,
 * like gdbserver without {@code --multi}); another that connects meanwhile waits in the listen backlog. Listens on
 * loopback unless {@code anyAddress}: the remote protocol has no authentication.
 *
 * <p>A plain socket rather than Netty: one client, one packet at a time, answered in order, and each answer waits for
 * the agent. Made on a thread that drives the client's I/O itself ({@code hdbg --gdb}), the bridge waits for gdb in
 * that thread's selector ({@link DrivenSocket}): one thread takes gdb's packets, the agent's replies and its records.
 * Otherwise (the prompt's {@code .gdb}) a blocking socket, with a reader thread while the target runs (Ctrl-C).
 */
public final class GdbBridge implements AutoCloseable {
    private final ServerSocket server;
    /** The listening channel when the bridge was made on a thread that drives the client's I/O, else null. */
    private final ServerSocketChannel driven;
    /** The listening channel watched in the driven loop, once a front end was first waited for. */
    private ReadyWatch acceptWatch;
    private final DebuggerClient client;
    private final Monitor monitor;
    private final Consumer<String> log;
    private volatile boolean closed;
    private volatile Socket current;
    private volatile GdbSession session;
    /** Why the agent's connection ended, once it did: the bridge then serves no one (every request would fail). */
    private volatile String agentGone;

    private GdbBridge(ServerSocket server, ServerSocketChannel driven, DebuggerClient client, Monitor monitor,
                      Consumer<String> log) {
        this.server = server;
        this.driven = driven;
        this.client = client;
        this.monitor = monitor;
        this.log = log;
    }

    /**
     * On the client's record thread: the agent went away. The session, if any, ends and closes gdb's connection; no
     * one else is accepted.
     */
    private void onAgentGone(String reason) {
        agentGone = reason;
        closed = true;
        closeQuietly(server);
        GdbSession serving = session;
        if (serving != null) {
            serving.agentGone(reason);
        }
    }

    /** Why the agent disconnected, when it did: the bridge stopped listening then. */
    public Optional<String> agentGone() {
        return Optional.ofNullable(agentGone);
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one).
     *
     * @param anyAddress whether an address other than loopback is allowed
     * @param log        what the operator is told: where it listens, sessions starting and ending, hostile input
     * @throws IllegalArgumentException when {@code host} is not a loopback address and {@code anyAddress} is false
     * @throws IOException              when the address cannot be bound
     */
    public static GdbBridge listen(String host, int port, boolean anyAddress, DebuggerClient client, Monitor monitor,
                                   Consumer<String> log) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            if (!anyAddress) {
                throw new IllegalArgumentException("the gdb bridge listens on loopback only (the remote protocol has no "
                        + "authentication): use 127.0.0.1:PORT, or add --gdb-any-address to listen on " + host);
            }
            log.accept("WARNING: the gdb bridge listens on " + host + ":" + port
                    + " without authentication: anyone who reaches it controls the target");
        }
        ServerSocketChannel driven = CallerDrivenLoop.drivesIo() ? ServerSocketChannel.open() : null;
        if (driven != null) {
            // gdb's stop reply before the step's line on the bridge's screen and its acknowledgement.
            CallerDrivenLoop.answersBeforeDeliveries();
        }
        ServerSocket server = driven != null ? driven.socket() : new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(address, port), 1);
        GdbBridge bridge = new GdbBridge(server, driven, client, monitor, log);
        client.onDisconnect(bridge::onAgentGone);
        return bridge;
    }

    /** The port it listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} as the front end is told to connect. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /**
     * Serves one front end, from its connection to its end ({@code detach}, {@code kill}, a closed connection, the
     * agent gone).
     *
     * @return false when the bridge was closed instead, or the agent disconnected ({@link #agentGone()})
     */
    public boolean serveOne() throws InterruptedException {
        Socket socket;
        SocketChannel channel = null;
        try {
            if (driven != null) {
                channel = acceptDriven();
                if (channel == null) {
                    agentGone().ifPresent(why -> log.accept("gdb: the agent disconnected (" + why + "): the bridge stops listening"));
                    return false;
                }
                socket = channel.socket();
            } else {
                socket = server.accept();
            }
        } catch (SocketException | ClosedChannelException e) {
            if (closed) {
                agentGone().ifPresent(why -> log.accept("gdb: the agent disconnected (" + why + "): the bridge stops listening"));
                return false;
            }
            log.accept("gdb: accepting failed: " + e.getMessage());
            return !closed;
        } catch (IOException e) {
            log.accept("gdb: accepting failed: " + e.getMessage());
            return !closed;
        }
        log.accept("gdb: front end connected from " + socket.getRemoteSocketAddress());
        current = socket;
        if (closed) {
            closeQuietly(socket);
        }
        try {
            GdbSession serving = channel != null
                    ? new GdbSession(socket, DrivenSocket.on(channel), client, monitor, log)
                    : new GdbSession(socket, client, monitor, log);
            session = serving;
            agentGone().ifPresent(serving::agentGone); // gone before the session was there to hear it
            serving.run();
        } catch (IOException e) {
            log.accept("gdb: session failed: " + e.getMessage());
        }
        session = null;
        current = null;
        log.accept("gdb: session ended");
        return !closed && agentGone == null;
    }

    /**
     * The next front end, waited for in the selector of the loop this thread drives (the agent's records, pings and
     * disconnect are handled meanwhile); null when the bridge was closed or the agent went away first.
     */
    private SocketChannel acceptDriven() throws IOException {
        if (acceptWatch == null) {
            driven.configureBlocking(false);
            acceptWatch = ReadyWatch.on(driven).orElseThrow(() -> new IllegalStateException(
                    "the bridge was made on a thread that drives the client's I/O, and serves on another"));
        }
        while (!closed) {
            SocketChannel accepted = driven.accept();
            if (accepted != null) {
                return accepted;
            }
            acceptWatch.await(SelectionKey.OP_ACCEPT, () -> closed, System.nanoTime() + TimeUnit.DAYS.toNanos(365));
        }
        return null;
    }

    /** Serves front ends one after the other until {@link #close()}, or until the agent disconnects. */
    public void serveUntilClosed() throws InterruptedException {
        while (serveOne()) {
            // next front end
        }
    }

    /** Stops listening and ends the current session (its points are removed, the target is left as it is). */
    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        Socket session = current;
        if (session != null) {
            closeQuietly(session);
        }
    }

    private void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            log.accept("gdb: closing failed: " + e.getMessage());
        }
    }
}
