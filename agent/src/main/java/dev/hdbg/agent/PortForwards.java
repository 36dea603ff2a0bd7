package dev.hdbg.agent;

import dev.hdbg.agent.os.linux.HostPeer;
import dev.hdbg.agent.os.linux.OutsideWorld;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --forward HOSTPORT:PORT}: a port of the host's loopback whose connections reach the program's socket
 * listening at TCP port PORT of the machine, as qemu's {@code hostfwd} and Qiling's forwarded ports do, so that a
 * browser, curl or a fuzzer on the host can talk to a server being debugged. Host loopback only: the forwarded
 * service has no authentication of hdbg's, so nothing beyond this machine reaches it. Each host connection has a
 * reader and a writer (virtual threads), at most {@link #IN_FLIGHT} bytes read from it that the machine has not taken
 * yet, and as many from the machine it has not sent yet; the machine's side runs on the execution thread
 * ({@link OutsideWorld}).
 */
public final class PortForwards implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwards.class);
    /** What one host connection may have read ahead of the machine. */
    static final int IN_FLIGHT = 1 << 20;
    private static final int READ_CHUNK = 65_536;

    /** One forward: a host port (0: one the host picks) and the machine's TCP port it reaches. */
    public record Forward(int hostPort, int port) {
        /** {@code HOSTPORT:PORT}, each 0-65535 (PORT 1-65535). */
        public static Forward parse(String text) {
            String[] parts = text.split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--forward takes HOSTPORT:PORT (the host's loopback port, 0 for a "
                        + "free one, and the machine's TCP port), not '" + text + "'");
            }
            int hostPort = port(parts[0], text, 0);
            int port = port(parts[1], text, 1);
            return new Forward(hostPort, port);
        }

        private static int port(String text, String whole, int lowest) {
            try {
                int value = Integer.parseInt(text);
                if (value >= lowest && value <= 65_535) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException("--forward " + whole + ": '" + text + "' is not a port (" + lowest
                    + "-65535)");
        }
    }

    /** No forwards: the machine stays closed. */
    public static final PortForwards NONE = new PortForwards(List.of());

    private final List<Forward> forwards;
    private final List<ServerSocketChannel> listeners = new ArrayList<>();
    private volatile OutsideWorld world = OutsideWorld.open(List.of());

    public PortForwards(List<Forward> forwards) {
        this.forwards = List.copyOf(forwards);
    }

    /**
     * Binds each forward's host port on the loopback and starts taking its connections; each is logged with the port
     * bound (a host port of 0 is the host's choice).
     *
     * @throws IllegalArgumentException when a host port cannot be bound (taken, say), naming it
     */
    public void bind() throws IOException {
        try {
            for (Forward forward : forwards) {
                ServerSocketChannel listener = ServerSocketChannel.open();
                listeners.add(listener);
                try {
                    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), forward.hostPort()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("--forward " + forward.hostPort() + ":" + forward.port()
                            + ": cannot listen on 127.0.0.1:" + forward.hostPort() + " (" + e.getMessage() + ")", e);
                }
                int hostPort = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                LOG.info("forwarding 127.0.0.1:{} to the machine's TCP port {}", hostPort, forward.port());
                Thread.ofVirtual().name("hdbg-forward-" + hostPort).start(() -> accept(listener, forward.port()));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Whether any port is forwarded: only then is the machine open to the outside. */
    public boolean any() {
        return !forwards.isEmpty();
    }

    /** The outside world of the program starting now (each start of the target has its own machine). */
    public OutsideWorld newWorld() {
        world.end(); // the last start's connections
        world = OutsideWorld.open(forwards.stream().map(Forward::port).toList());
        return world;
    }

    private void accept(ServerSocketChannel listener, int port) {
        while (listener.isOpen()) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                int clientPort = ((InetSocketAddress) client.getRemoteAddress()).getPort();
                Peer peer = new Peer(client);
                OutsideWorld.Arrival arrival = world.connect(port, clientPort, peer);
                Thread.ofVirtual().name("hdbg-forward-read").start(() -> peer.read(arrival));
                Thread.ofVirtual().name("hdbg-forward-write").start(peer::write);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** A host connection: its reader hands bytes to the machine, its writer sends the machine's. */
    private static final class Peer implements HostPeer {
        private static final byte[] END = new byte[0];
        private static final byte[] CLOSE = new byte[0];
        private static final byte[] REFUSE = new byte[0];
        private final SocketChannel channel;
        private final Semaphore room = new Semaphore(IN_FLIGHT);
        private final LinkedBlockingQueue<byte[]> out = new LinkedBlockingQueue<>();
        /** Bytes of {@code out} not written yet. */
        private final AtomicLong unsent = new AtomicLong();

        Peer(SocketChannel channel) {
            this.channel = channel;
        }

        void read(OutsideWorld.Arrival arrival) {
            ByteBuffer buffer = ByteBuffer.allocate(READ_CHUNK);
            try {
                while (true) {
                    room.acquire(READ_CHUNK); // the machine takes what it was given before more is read
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    room.release(READ_CHUNK - n);
                    byte[] data = new byte[n];
                    buffer.flip().get(data);
                    arrival.data(data);
                }
            } catch (IOException e) {
                // the host program reset the connection, or it was closed: the program reads end of file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            arrival.ended();
        }

        void write() {
            try {
                while (true) {
                    byte[] data = out.take();
                    if (data == CLOSE) {
                        break;
                    }
                    if (data == REFUSE) {
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close with a reset, not end of file
                        break;
                    }
                    if (data == END) {
                        channel.shutdownOutput();
                        continue;
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(data);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    unsent.addAndGet(-data.length);
                }
            } catch (IOException e) {
                // the host program went away: what the program sends is dropped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(channel);
        }

        @Override
        public void send(byte[] data) {
            unsent.addAndGet(data.length);
            out.add(data);
        }

        @Override
        public boolean canSend() {
            return unsent.get() < IN_FLIGHT;
        }

        @Override
        public void endOfStream() {
            out.add(END);
        }

        @Override
        public void close() {
            out.add(CLOSE);
        }

        @Override
        public void refuse() {
            out.add(REFUSE);
        }

        @Override
        public void taken(int bytes) {
            room.release(bytes);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to free
        }
    }

    @Override
    public void close() {
        for (ServerSocketChannel listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // nothing to free
            }
        }
    }
}
