package dev.hdbg.host.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 between the hosts and an agent on 127.0.0.1, for a user without the rights to make
 * network namespaces. Down, it is a black hole: it forwards nothing in either direction and closes nothing, so the
 * sockets stay open and each side's writes pile up unread, as behind a pulled cable; up, it forwards what waited,
 * in order. An end of stream or a reset waits for the link too, as a FIN or an RST would on the wire.
 */
final class ProxyLink implements Link {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile int agentPort;
    /** Guarded by this. */
    private boolean down;
    /** Guarded by this. */
    private boolean closed;

    ProxyLink() throws IOException {
        listener = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::acceptHosts);
    }

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public AgentProcess startAgent(String... agentOptions) throws IOException {
        AgentProcess agent = AgentProcess.start(agentOptions);
        agentPort = agent.port();
        return agent;
    }

    @Override
    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    @Override
    public String token() {
        return null;
    }

    @Override
    public synchronized void down() {
        down = true;
    }

    @Override
    public synchronized void up() {
        down = false;
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        closeQuietly(listener);
        sockets.forEach(ProxyLink::closeQuietly);
    }

    private void acceptHosts() {
        while (true) {
            Socket host;
            try {
                host = listener.accept();
            } catch (IOException e) {
                return; // the proxy was closed
            }
            sockets.add(host);
            Thread.ofPlatform().daemon().name("proxy-connect").start(() -> connectToAgent(host));
        }
    }

    /** A connection made while the link is down reaches the agent once it is up, as a retransmitted SYN would. */
    private void connectToAgent(Socket host) {
        try {
            awaitUp();
            Socket agent = new Socket(LOOPBACK, agentPort);
            sockets.add(agent);
            Thread.ofPlatform().daemon().name("proxy-to-agent").start(() -> forward(host, agent));
            Thread.ofPlatform().daemon().name("proxy-to-host").start(() -> forward(agent, host));
        } catch (IOException e) {
            closeQuietly(host);
        }
    }

    /** Copies {@code from} to {@code to}, holding each chunk read while the link is down until it is up. */
    private void forward(Socket from, Socket to) {
        byte[] chunk = new byte[16 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(chunk)) >= 0) {
                awaitUp();
                out.write(chunk, 0, n);
            }
            awaitUp();
            to.shutdownOutput();
        } catch (IOException e) {
            // A reset, a write to a closed peer, or the proxy closing: pass the failure on as a close, once up.
            try {
                awaitUp();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private synchronized void awaitUp() throws IOException {
        while (down && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the link was down", e);
            }
        }
        if (closed) {
            throw new IOException("the proxy is closed");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing what a test set up: a socket already closed by its peer has nothing left to release.
        }
    }
}
