package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.RouteNetlink;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A NETLINK_ROUTE socket ({@code socket(AF_NETLINK, SOCK_RAW or SOCK_DGRAM, 0)}): what the program sends goes to the
 * kernel, which is {@link RouteNetlink} here, and its answers wait as datagrams from port 0 in the socket's own
 * {@link MessagePair.End}, received as any datagram socket's are (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, poll). Named by
 * a port id ({@link NetlinkPorts}): the one bind asks, or the machine's choice at bind, connect or the first send,
 * the process's pid for its first socket, as Linux's autobind. Multicast groups may be joined (bind's nl_groups,
 * NETLINK_ADD_MEMBERSHIP); the emulated network never changes, so nothing is ever sent to them. Messages to another
 * program's netlink socket are not emulated: a port id other than the kernel's is ECONNREFUSED.
 */
final class NetlinkSocket extends SocketFile {
    static final int AF_NETLINK = 16;
    static final int NETLINK_ROUTE = 0;
    /** struct sockaddr_nl: family, padding, port id, groups. */
    static final int ADDRESS_SIZE = 12;
    /** SOL_NETLINK and its options that change what the kernel sends. */
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    /** The longest message the kernel takes: the send buffer less its overhead, as Linux's netlink_sendmsg. */
    private static final int MAX_SEND = 212_992 - 32;

    /** SOCK_RAW or SOCK_DGRAM, as socket asked: the same socket either way, SO_TYPE gives it back. */
    final int type;
    private final MessagePair.End end;
    private final NetlinkPorts ports;
    private final long pid;
    /** Its port id; 0 until bound. */
    private int portId;
    private int groups;

    NetlinkSocket(int type, int statusFlags, Scheduler scheduler, NetlinkPorts ports, RouteNetlink kernel, long pid) {
        super(statusFlags);
        this.type = type;
        this.ports = ports;
        this.pid = pid;
        this.end = MessagePair.unconnected(scheduler, statusFlags);
        byte[] fromKernel = address(0, 0);
        end.routeThrough(new MessagePair.Route() {
            @Override
            public int send(MessagePair.End sender, InetEndpoint destination, byte[] data) {
                autobind();
                boolean capAcks = option(SOL_NETLINK, NETLINK_CAP_ACK, 0) != 0;
                for (byte[] datagram : kernel.answer(data, portId, capAcks, Credentials.UID)) {
                    sender.arrive(datagram, fromKernel);
                }
                return data.length;
            }

            @Override
            public int maxDatagram() {
                return MAX_SEND;
            }
        });
    }

    /** A sockaddr_nl of {@code portId} and {@code groups}. */
    static byte[] address(int portId, int groups) {
        return UserMemory.struct(ADDRESS_SIZE).putShort((short) AF_NETLINK).putShort((short) 0).putInt(portId)
                .putInt(groups).array();
    }

    /** What it sends through and receives in. */
    MessagePair.End end() {
        return end;
    }

    /** Its name for getsockname: its port id (0 before it has one) and groups. */
    byte[] name() {
        return address(portId, groups);
    }

    /**
     * bind of a sockaddr_nl: the port id asked (0: the machine's choice; EADDRINUSE when another socket has it,
     * EINVAL when this one has another) and the multicast groups to join.
     */
    void bind(byte[] sockaddr, int length) {
        ByteBuffer address = parse(sockaddr, length);
        int asked = address.getInt(4);
        if (portId != 0 && asked != 0 && asked != portId) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (portId == 0) {
            if (asked != 0) {
                ports.bind(this, asked);
                portId = asked;
            } else {
                autobind();
            }
        }
        groups = address.getInt(8);
    }

    /**
     * connect, and sendto's destination: only the kernel (port id 0) answers; AF_UNSPEC forgets a connect. A
     * connect binds a socket that has no port id yet.
     */
    void checkDestination(byte[] sockaddr, int length) {
        ByteBuffer address = parse(sockaddr, length);
        if (address.getInt(4) != 0) {
            throw new SyscallException(Errno.ECONNREFUSED); // no other program's socket is reached
        }
    }

    /** The machine's choice of a port id, once: the pid if free, as Linux's netlink_autobind. */
    void autobind() {
        if (portId == 0) {
            portId = ports.autobind(this, (int) pid);
        }
    }

    private static ByteBuffer parse(byte[] sockaddr, int length) {
        if (length < ADDRESS_SIZE || family(sockaddr) != AF_NETLINK) {
            throw new SyscallException(Errno.EINVAL);
        }
        return UserMemory.struct(ADDRESS_SIZE).put(sockaddr, 0, ADDRESS_SIZE);
    }

    @Override
    void setStatusFlags(int flags) {
        super.setStatusFlags(flags);
        end.setStatusFlags(flags);
    }

    @Override
    int read(byte[] buffer) throws IOException {
        return end.read(buffer);
    }

    @Override
    int write(byte[] data) throws IOException {
        return end.write(data);
    }

    @Override
    int available() {
        return end.available();
    }

    @Override
    boolean readReady() {
        return end.readReady();
    }

    @Override
    boolean keepsMessages() {
        return true;
    }

    @Override
    int takeError() {
        return end.takeError();
    }

    @Override
    void release() throws IOException {
        end.release();
        if (portId != 0) {
            ports.forget(portId, this);
        }
    }
}
