package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A host program's connection to a forwarded port ({@code --forward}), inside the machine: a TCP connection to the
 * program's socket listening at the forwarded port, which accept takes as any client's, from 127.0.0.1 at the host
 * program's own port. Its machine-side end is the agent's: at each safe point ({@link OutsideWorld#drain}) the bytes
 * the host sent go in, as far as the connection's pipe has room, and what the program sent goes out. Execution thread
 * only.
 */
final class ForwardedConnection {
    /** The most one look takes from the program for the host. */
    private static final int CHUNK = 65_536;

    private final HostPeer host;
    private final Connection end;
    private final ArrayDeque<byte[]> fromHost = new ArrayDeque<>();
    private boolean hostEnded;
    private boolean shutForHost;
    private boolean programEnded;

    private ForwardedConnection(HostPeer host, Connection end) {
        this.host = host;
        this.end = end;
    }

    /**
     * A host program connected to the port forwarded to the machine's TCP port {@code port}, from its own port
     * {@code clientPort}: a connection waits in the queue of the socket listening there, or, when none listens or its
     * queue is full, the host's socket is reset, as a refused connection is. Returns it, or null when refused.
     */
    static ForwardedConnection open(ProcessTable table, int port, int clientPort, HostPeer host) {
        InetEndpoint to = InetEndpoint.loopback(InetEndpoint.AF_INET, port);
        GuestSocket listener = table.sockets().inet().find(true, to);
        if (listener == null || !listener.hasRoom()) {
            host.refuse();
            return null;
        }
        Connection[] ends = Connection.tcpPair(table.scheduler());
        ends[0].setStatusFlags(OpenFile.O_NONBLOCK); // the agent's end: its calls never wait
        InetEndpoint from = InetEndpoint.loopback(InetEndpoint.AF_INET, clientPort);
        listener.enqueue(new GuestSocket.Pending(ends[1], to.sockaddr(listener.domain),
                from.sockaddr(listener.domain)));
        table.scheduler().wakeAll(listener, ReadyWait.CHANNEL); // an accept waiting, a poll on the listener
        return new ForwardedConnection(host, ends[0]);
    }

    /** Bytes the host program sent. */
    void fromHost(byte[] data) {
        fromHost.add(data);
    }

    /** The host program sends no more: once its bytes are in, the program reads end of file. */
    void hostEnded() {
        hostEnded = true;
    }

    /**
     * Moves the bytes both ways as far as they go now: the host's into the connection, the program's out to the host.
     *
     * @return true when the connection is over both ways and its ends are closed
     */
    boolean pump() {
        try {
            intoMachine();
            outOfMachine();
        } catch (SyscallException | IOException e) { // a reset (the program closed with bytes unread) or a refusal
            fromHost.clear();
            programEnded = true;
            hostEnded = true;
        }
        if (programEnded && hostEnded && fromHost.isEmpty()) {
            try {
                end.release();
            } catch (IOException e) {
                // a socket's close frees memory only
            }
            host.close();
            return true;
        }
        return false;
    }

    private void intoMachine() throws IOException {
        while (!fromHost.isEmpty()) {
            byte[] chunk = fromHost.peek();
            int taken;
            try {
                taken = end.write(chunk);
            } catch (SyscallException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return; // the pipe is full: the program reads, and a later look goes on
                }
                throw e;
            }
            host.taken(taken);
            fromHost.poll();
            if (taken < chunk.length) {
                fromHost.addFirst(Arrays.copyOfRange(chunk, taken, chunk.length));
                return;
            }
        }
        if (hostEnded && !shutForHost) {
            shutForHost = true;
            end.shutdown(1); // SHUT_WR: the program reads end of file after the host's last byte
        }
    }

    private void outOfMachine() throws IOException {
        while (!programEnded && host.canSend()) {
            byte[] buffer = new byte[CHUNK];
            int count;
            try {
                count = end.receive(buffer, false).count();
            } catch (SyscallException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return;
                }
                throw e;
            }
            if (count == 0) {
                programEnded = true;
                host.endOfStream();
                return;
            }
            host.send(Arrays.copyOf(buffer, count));
        }
    }
}
