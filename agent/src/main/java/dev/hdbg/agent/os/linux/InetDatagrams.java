package dev.hdbg.agent.os.linux;

/**
 * A UDP socket's sends ({@link MessagePair.Route}): each datagram goes to the socket of the machine bound at its
 * destination's port and address, found again at each send as Linux routes it, carrying the address it was sent
 * from. What Linux's UDP does on the loopback, not what a Unix datagram socket does: a datagram no socket is bound to
 * receive is dropped, and a connected sender's next call fails with ECONNREFUSED (the ICMP error Linux gets back);
 * a receiver connected to another address drops it; a full receive buffer drops it; a sender never waits.
 */
final class InetDatagrams implements MessagePair.Route {
    /** The longest UDP datagram over IPv4: 65,535 bytes less the IP and UDP headers. */
    static final int MAX_DATAGRAM4 = 65_507;
    /** Over IPv6, whose header's length field does not count the header. */
    static final int MAX_DATAGRAM6 = 65_527;

    private final GuestSocket socket;
    private final InetPorts ports;

    InetDatagrams(GuestSocket socket, InetPorts ports) {
        this.socket = socket;
        this.ports = ports;
    }

    @Override
    public int maxDatagram() {
        return socket.domain == InetEndpoint.AF_INET ? MAX_DATAGRAM4 : MAX_DATAGRAM6;
    }

    @Override
    public int send(MessagePair.End sender, InetEndpoint destination, byte[] data) {
        InetSockets.autobind(socket, ports); // before anything can fail, as Linux's
        InetEndpoint to = destination;
        if (to == null) {
            if (socket.peerAddress() == null) {
                throw new SyscallException(Errno.EDESTADDRREQ);
            }
            to = InetEndpoint.parse(socket.peerAddress(), socket.domain);
        }
        InetEndpoint from = InetSockets.source(socket, to);
        GuestSocket target = ports.find(false, to);
        if (target == null) {
            if (socket.peerAddress() != null) {
                sender.failNextCall(Errno.ECONNREFUSED); // port unreachable: only a connected socket hears of it
            }
            return data.length;
        }
        byte[] sentFrom = from.sockaddr(target.domain);
        byte[] heard = target.peerAddress();
        if (heard != null && !java.util.Arrays.equals(heard, sentFrom)) {
            return data.length; // it hears only its peer
        }
        target.datagrams().arrive(data, sentFrom);
        return data.length;
    }
}
