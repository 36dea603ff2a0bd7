package dev.hdbg.agent.os.linux;

import dev.hdbg.agent.os.linux.net.RouteNetlink;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sockets of the machine: Unix sockets, and IPv4 and IPv6 ones on its loopback ({@code socket}; naming and connecting
 * them is {@link ConnectionSyscalls}' and {@link InetSockets}'), socketpair's connected pairs (a stream one,
 * {@link SocketPair}: asyncio's self-pipe; datagram and seqpacket ones, {@link MessagePair}), sending and receiving on
 * a connected one or, for a datagram socket, to an address ({@link #sendTo}), {@code shutdown}, and the socket options
 * ({@link SocketOptions}); netlink's NETLINK_ROUTE, which describes the machine's network ({@link NetlinkSocket}).
 * Other families are refused: the machine has no other network.
 */
final class SocketSyscalls {
    private static final int AF_UNIX = 1;
    private static final int SOCK_TYPE_MASK = 0xf;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOCK_NONBLOCK = 04000;
    static final int ENOTSOCK = 88;
    static final int ENOTCONN = 107;
    static final int SOCK_STREAM = 1;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_ICMP = 1;
    private static final int IPPROTO_ICMPV6 = 58;
    /** Linux's count of socket types: a type at or past it is EINVAL, before the family is asked. */
    private static final int SOCK_MAX = 11;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_PEEK = 0x2;
    static final int MSG_NOSIGNAL = 0x4000;
    /** recv's flag (a message socket's whole length is the result) and recvmsg's msg_flags bit (a message was cut). */
    static final int MSG_TRUNC = 0x20;
    static final int MSG_OOB = 0x1;
    static final int MSG_WAITALL = 0x100;
    static final int EISCONN = 106;

    private final LinuxProcess process;
    private final UnixAddresses addresses;
    private final InetSockets inet;
    private final SocketOptions options;
    private final RouteNetlink routeNetlink;
    private boolean told;

    SocketSyscalls(LinuxProcess process, UnixAddresses addresses, InetSockets inet) {
        this.process = process;
        this.addresses = addresses;
        this.inet = inet;
        this.options = new SocketOptions(process);
        this.routeNetlink = new RouteNetlink(process.io()::notice);
    }

    void register(Map<Integer, Handler> table) {
        table.put(41, a -> socket(a.i(0), a.i(1), a.i(2)));
        table.put(53, a -> socketpair(a.i(0), a.i(1), a.a3()));
        table.put(44, a -> sendto(a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.i(5)));
        table.put(45, a -> recvfrom(a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.a5()));
        table.put(48, a -> {
            if (socket(a.i(0)) instanceof NetlinkSocket) {
                throw new SyscallException(Errno.EOPNOTSUPP); // Linux's netlink has no shutdown
            }
            connected(a.i(0)).shutdown(a.i(1));
            return 0;
        });
        table.put(54, a -> options.set(a.i(0), a.i(1), a.i(2), a.a3(), a.i(4)));
        table.put(55, a -> options.get(a.i(0), a.i(1), a.i(2), a.a3(), a.a4()));
    }

    /** The connection of socket {@code fd}: ENOTCONN when it has none. */
    private Connection connected(int fd) {
        return connectedOf(process.fds(), fd);
    }

    /** The connection of socket {@code fd} of {@code fds}: EBADF, ENOTSOCK, or ENOTCONN when it has none. */
    static Connection connectedOf(FdTable fds, int fd) {
        return switch (socketOf(fds, fd)) {
            case Connection end -> end;
            case GuestSocket socket -> socket.connected();
            case NetlinkSocket socket -> socket.end();
            default -> throw new SyscallException(ENOTCONN);
        };
    }

    /** A write to a connected socket, for {@link #sending}. */
    @FunctionalInterface
    interface Send {
        int send() throws IOException;
    }

    /** A read of a connected socket, for {@link #receiving}. */
    @FunctionalInterface
    interface Receive<T> {
        T receive() throws IOException;
    }

    /** Runs a receive with its flags' meaning: EAGAIN instead of a wait under MSG_DONTWAIT. */
    static <T> T receiving(int flags, Receive<T> receive) throws IOException {
        try {
            return receive.receive();
        } catch (Blocked wait) {
            if ((flags & MSG_DONTWAIT) != 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
            throw wait;
        }
    }

    /**
     * send's flags, as Linux's Unix sockets take them: MSG_DONTWAIT and MSG_NOSIGNAL act ({@link #sending}), the rest
     * (MSG_MORE, MSG_EOR, MSG_CONFIRM ...) change nothing for a Unix socket and are taken; MSG_OOB, out-of-band data,
     * is not emulated (EOPNOTSUPP, as Linux says for a datagram socket; a stream socket would send it).
     */
    static void checkSendFlags(int flags) {
        if ((flags & MSG_OOB) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
    }

    /**
     * recv's flags, as Linux's Unix sockets take them: MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC and MSG_WAITALL act, the rest
     * (MSG_ERRQUEUE, MSG_CMSG_CLOEXEC on a plain recv ...) are taken and change nothing; MSG_OOB finds no out-of-band
     * data: EINVAL on a stream socket, EOPNOTSUPP on a message socket, as Linux says.
     */
    static void checkReceiveFlags(Connection end, int flags) {
        if ((flags & MSG_OOB) != 0) {
            throw new SyscallException(end.keepsMessages() ? Errno.EOPNOTSUPP : Errno.EINVAL);
        }
    }

    /** Whether a receive with {@code flags} waits for its whole buffer: MSG_WAITALL, unless MSG_DONTWAIT. */
    static boolean waitsForAll(int flags) {
        return (flags & MSG_WAITALL) != 0 && (flags & MSG_DONTWAIT) == 0;
    }

    /**
     * Runs a send with its flags' meaning: EAGAIN instead of a wait under MSG_DONTWAIT, and SIGPIPE with EPIPE unless
     * MSG_NOSIGNAL.
     */
    static long sending(LinuxProcess process, int flags, Send send) throws IOException {
        try {
            return send.send();
        } catch (Blocked wait) {
            if ((flags & MSG_DONTWAIT) != 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
            throw wait;
        } catch (SyscallException e) {
            if (e.errno() == Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) {
                process.signals().sendTo(process.scheduler().current(), SignalInfo.sentBy(Signals.SIGPIPE,
                        SignalInfo.SI_USER, process.config().pid(), Credentials.UID));
            }
            throw e;
        }
    }

    /** The socket {@code fd} names: EBADF when none is open, ENOTSOCK when it is not a socket. */
    private OpenFile socket(int fd) {
        return socketOf(process.fds(), fd);
    }

    /** The socket {@code fd} of {@code fds}: EBADF when none is open, ENOTSOCK when it is not a socket. */
    static SocketFile socketOf(FdTable fds, int fd) {
        if (!(fds.get(fd) instanceof SocketFile socket)) {
            throw new SyscallException(ENOTSOCK);
        }
        return socket;
    }

    /**
     * The Unix socket type that socket's or socketpair's {@code type} (with its flags) makes: SOCK_STREAM, SOCK_DGRAM
     * (also for SOCK_RAW, as Linux's Unix family makes it) or SOCK_SEQPACKET; ESOCKTNOSUPPORT for SOCK_RDM and the
     * types Unix sockets do not have, EINVAL for unknown flags or a type past Linux's last, as Linux says.
     */
    private static int unixType(int type) {
        int kind = kindOf(type);
        return switch (kind) {
            case SOCK_STREAM, MessagePair.SOCK_DGRAM, MessagePair.SOCK_SEQPACKET -> kind;
            case SOCK_RAW -> MessagePair.SOCK_DGRAM;
            default -> throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** socket's {@code type} without its flags: EINVAL for unknown flags or a type past Linux's last, any family. */
    private static int kindOf(int type) {
        int kind = type & SOCK_TYPE_MASK;
        if ((type & ~(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0 || kind >= SOCK_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
        return kind;
    }

    /** Two connected Unix sockets: a {@link SocketPair}'s stream ones, or a {@link MessagePair}'s. */
    private long socketpair(int family, int type, long pair) {
        if (family != AF_UNIX) {
            throw new SyscallException(family == InetEndpoint.AF_INET || family == InetEndpoint.AF_INET6
                    || family == NetlinkSocket.AF_NETLINK ? Errno.EOPNOTSUPP : Errno.EAFNOSUPPORT); // none pairs
        }
        int kind = unixType(type);
        boolean cloexec = (type & SOCK_CLOEXEC) != 0;
        int statusFlags = (type & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0;
        Connection[] ends = Connection.pair(process.scheduler(), kind, statusFlags);
        ends[0].setPeerPid(process.config().pid()); // both name their creator, wherever they go
        ends[1].setPeerPid(process.config().pid());
        FdTable fds = process.fds();
        int first = fds.install(ends[0], 0, cloexec);
        int second;
        try {
            second = fds.install(ends[1], 0, cloexec);
        } catch (SyscallException full) {
            closeQuietly(first);
            throw full;
        }
        try {
            process.user().write(pair, UserMemory.struct(8).putInt(first).putInt(second).array());
        } catch (RuntimeException fault) {
            closeQuietly(first);
            closeQuietly(second);
            throw fault;
        }
        return 0;
    }

    private void closeQuietly(int fd) {
        try {
            process.fds().close(fd);
        } catch (IOException e) {
            // a socket's close frees memory only
        }
    }

    /**
     * send and sendto: a write, without SIGPIPE under MSG_NOSIGNAL, without waiting under MSG_DONTWAIT; with a
     * destination, a datagram socket's message goes there ({@link #sendTo}).
     */
    private long sendto(int fd, long buffer, long length, int flags, long destination, int destinationLength)
            throws IOException {
        Connection end = connected(fd);
        checkSendFlags(flags);
        byte[] data = process.user().read(buffer, end.sendLength(length));
        if (destination != 0) {
            return sendTo(process, addresses, inet, fd, destination, destinationLength, data, List.of(), flags);
        }
        return sending(process, flags, () -> end.write(data));
    }

    /**
     * A send with a destination (sendto's, sendmsg's): a Unix datagram socket's goes to the datagram socket bound
     * there, whatever it is connected to (ECONNREFUSED when none is), a UDP socket's where its route takes it
     * ({@link InetDatagrams}); a seqpacket socket's goes to its peer, as Linux ignores the address there, and so does
     * a TCP socket's; a Unix stream socket's is EISCONN.
     */
    static long sendTo(LinuxProcess process, UnixAddresses addresses, InetSockets inet, int fd, long destination,
            int destinationLength, byte[] data, List<OpenFile> files, int flags) throws IOException {
        Connection end = connectedOf(process.fds(), fd);
        if (socketOf(process.fds(), fd) instanceof NetlinkSocket socket) {
            socket.checkDestination(process.user().read(destination, Math.clamp(destinationLength, 0,
                    NetlinkSocket.ADDRESS_SIZE)), destinationLength);
            return sending(process, flags, () -> end.send(data, List.of())); // to the kernel; files are dropped
        }
        if (socketOf(process.fds(), fd) instanceof GuestSocket socket && socket.inet()) {
            if (socket.type == SOCK_STREAM) {
                return sending(process, flags, () -> end.send(data, files)); // TCP ignores the address
            }
            InetEndpoint to = inet.destination(socket, destination, destinationLength);
            return sending(process, flags, () -> socket.datagrams().routed(to, data));
        }
        if (end.type() == MessagePair.SOCK_SEQPACKET) {
            return sending(process, flags, () -> end.send(data, files)); // connected: Linux drops the address
        }
        if (!(end instanceof MessagePair.End datagrams) || end.type() != MessagePair.SOCK_DGRAM) {
            throw new SyscallException(EISCONN);
        }
        MessagePair.End target = addresses.bound(destination, destinationLength, MessagePair.SOCK_DGRAM).datagrams();
        return sending(process, flags, () -> datagrams.sendTo(target, data, files));
    }

    /**
     * recv and recvfrom on a connected socket: a read (MSG_DONTWAIT: without waiting; MSG_PEEK: leaving the bytes to be
     * read again; MSG_TRUNC, on a message socket: the message's whole length as the result; MSG_WAITALL, on a stream
     * socket: waiting for the whole buffer; {@link #checkReceiveFlags}); the sender's name, when
     * it has one (a named datagram socket's), else an address of length 0, as Linux gives an unnamed peer's.
     */
    private long recvfrom(int fd, long buffer, long length, int flags, long address, long addressLength)
            throws IOException {
        Connection end = connected(fd);
        checkReceiveFlags(end, flags);
        byte[] data = new byte[end.receiveLength(length)];
        Connection.Received got = receiving(flags, () -> (flags & MSG_PEEK) != 0 ? end.peek(data)
                : end.receiveDroppingFiles(data, waitsForAll(flags)));
        process.user().write(buffer, Arrays.copyOf(data, got.count()));
        addresses.giveBack(got.from() != null ? got.from() : new byte[0], address, addressLength);
        return (flags & MSG_TRUNC) != 0 ? got.length() : got.count(); // a stream's length is its count
    }

    /**
     * socket: a Unix socket ({@link #unixType}; protocol 0 or PF_UNIX), or an Internet one of the machine's loopback,
     * IPv4 or IPv6 ({@link #inetType}); other families are EAFNOSUPPORT, with a notice once.
     */
    private long socket(int family, int type, int protocol) {
        int kind;
        if (family == AF_UNIX) {
            kind = unixType(type);
            if (protocol != 0 && protocol != AF_UNIX) {
                throw new SyscallException(Errno.EPROTONOSUPPORT);
            }
        } else if (family == InetEndpoint.AF_INET || family == InetEndpoint.AF_INET6) {
            kind = inetType(type, protocol);
        } else if (family == NetlinkSocket.AF_NETLINK) {
            return netlinkSocket(type, protocol);
        } else {
            tell("socket was asked for address family " + family + ", which the machine does not have (it has Unix "
                    + "sockets, IPv4 and IPv6 on its loopback, and netlink's NETLINK_ROUTE), so it returned "
                    + "EAFNOSUPPORT");
            throw new SyscallException(Errno.EAFNOSUPPORT);
        }
        int statusFlags = (type & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0;
        GuestSocket socket = GuestSocket.of(family, kind, statusFlags, process.scheduler());
        if (socket.inet() && kind == MessagePair.SOCK_DGRAM) {
            inet.route(socket);
        }
        return process.fds().install(socket, 0, (type & SOCK_CLOEXEC) != 0);
    }

    /**
     * A netlink socket: NETLINK_ROUTE ({@link NetlinkSocket}), raw or datagram as Linux takes either; the other
     * netlink protocols (sock_diag, uevents, audit ...) are EPROTONOSUPPORT with a notice, and other types
     * ESOCKTNOSUPPORT.
     */
    private long netlinkSocket(int type, int protocol) {
        int kind = kindOf(type);
        if (kind != SOCK_RAW && kind != MessagePair.SOCK_DGRAM) {
            throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        }
        if (protocol != NetlinkSocket.NETLINK_ROUTE) {
            tell("socket was asked for netlink protocol " + protocol + ", which the machine does not emulate (it has "
                    + "NETLINK_ROUTE, which describes its network), so it returned EPROTONOSUPPORT");
            throw new SyscallException(Errno.EPROTONOSUPPORT);
        }
        int statusFlags = (type & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0;
        NetlinkSocket socket = new NetlinkSocket(kind, statusFlags, process.scheduler(),
                process.table().sockets().netlink(), routeNetlink, process.config().pid());
        return process.fds().install(socket, 0, (type & SOCK_CLOEXEC) != 0);
    }

    private void tell(String notice) {
        if (!told) {
            told = true;
            process.io().notice(notice);
        }
    }

    /**
     * The Internet socket type {@code type} and {@code protocol} make: TCP (SOCK_STREAM, protocol 0 or IPPROTO_TCP)
     * or UDP (SOCK_DGRAM, 0 or IPPROTO_UDP). As Linux says: EPROTONOSUPPORT for another protocol of those types,
     * EACCES for a ping socket (IPPROTO_ICMP, which net.ipv4.ping_group_range's default denies), ESOCKTNOSUPPORT for
     * types the family lacks (SOCK_SEQPACKET without SCTP); raw sockets are not emulated (ESOCKTNOSUPPORT, with a
     * notice).
     */
    private int inetType(int type, int protocol) {
        return switch (kindOf(type)) {
            case SOCK_STREAM -> {
                if (protocol != 0 && protocol != SocketOptions.IPPROTO_TCP) {
                    throw new SyscallException(Errno.EPROTONOSUPPORT);
                }
                yield SOCK_STREAM;
            }
            case MessagePair.SOCK_DGRAM -> {
                if (protocol == IPPROTO_ICMP || protocol == IPPROTO_ICMPV6) {
                    throw new SyscallException(Errno.EACCES);
                }
                if (protocol != 0 && protocol != SocketOptions.IPPROTO_UDP) {
                    throw new SyscallException(Errno.EPROTONOSUPPORT);
                }
                yield MessagePair.SOCK_DGRAM;
            }
            case SOCK_RAW -> {
                tell("socket was asked for a raw Internet socket, which the machine does not emulate, so it returned "
                        + "ESOCKTNOSUPPORT");
                throw new SyscallException(Errno.ESOCKTNOSUPPORT);
            }
            default -> throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        };
    }
}
