package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Sockets, as far as programs that use no network meet them: Unix sockets ({@code socket}; naming and connecting them
 * is {@link ConnectionSyscalls}'), socketpair's connected pairs (a stream one, {@link SocketPair}: asyncio's
 * self-pipe; datagram and seqpacket ones, {@link MessagePair}), sending and receiving on a connected one or, for a
 * datagram socket, to a name ({@link #sendTo}), {@code shutdown}, and the socket options programs set on them. Other
 * families are refused: networking is not emulated.
 */
final class SocketSyscalls {
    private static final int AF_UNIX = 1;
    private static final int SOCK_TYPE_MASK = 0xf;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int EAFNOSUPPORT = 97;
    static final int ENOTSOCK = 88;
    static final int ENOTCONN = 107;
    private static final int ENOPROTOOPT = 92;
    static final int SOCK_STREAM = 1;
    private static final int SOCK_RAW = 3;
    /** Linux's count of socket types: a type at or past it is EINVAL, before the family is asked. */
    private static final int SOCK_MAX = 11;
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ERROR = 4;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_PEERCRED = 17;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    /** Linux's default socket buffer size, which getsockopt reports for both directions. */
    private static final int BUFFER_SIZE = 212_992;
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
    private boolean told;

    SocketSyscalls(LinuxProcess process, UnixAddresses addresses) {
        this.process = process;
        this.addresses = addresses;
    }

    void register(Map<Integer, Handler> table) {
        table.put(41, a -> socket(a.i(0), a.i(1)));
        table.put(53, a -> socketpair(a.i(0), a.i(1), a.a3()));
        table.put(44, a -> sendto(a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.i(5)));
        table.put(45, a -> recvfrom(a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.a5()));
        table.put(48, a -> {
            connected(a.i(0)).shutdown(a.i(1));
            return 0;
        });
        table.put(54, a -> setsockopt(a.i(0), a.i(1), a.i(2), a.i(4)));
        table.put(55, a -> getsockopt(a.i(0), a.i(1), a.i(2), a.a3(), a.a4()));
    }

    /** The connection of socket {@code fd}: ENOTCONN when it has none. */
    private Connection connected(int fd) {
        return connectedOf(process.fds(), fd);
    }

    /** The connection of socket {@code fd} of {@code fds}: EBADF, ENOTSOCK, or ENOTCONN when it has none. */
    static Connection connectedOf(FdTable fds, int fd) {
        return switch (socketOf(fds, fd)) {
            case Connection end -> end;
            case UnixSocket socket -> socket.connected();
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

    /**
     * setsockopt: the SOL_SOCKET options servers set (SO_REUSEADDR, buffer sizes, keep-alive, SO_PASSCRED ...) are
     * taken and change nothing a pair of in-memory pipes has; other levels are ENOPROTOOPT, as for a Unix socket.
     */
    private long setsockopt(int fd, int level, int option, int length) {
        socket(fd);
        if (level != SOL_SOCKET) {
            throw new SyscallException(ENOPROTOOPT);
        }
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return 0;
    }

    /**
     * getsockopt: a socket's type, domain, protocol, pending error (none), listening state, buffers and peer
     * credentials.
     */
    private long getsockopt(int fd, int level, int option, long value, long lengthAddress) {
        OpenFile file = socket(fd);
        if (level != SOL_SOCKET) {
            throw new SyscallException(ENOPROTOOPT);
        }
        java.nio.ByteBuffer answer = UserMemory.struct(option == SO_PEERCRED ? 12 : 4);
        switch (option) {
            case SO_TYPE -> answer.putInt(switch (file) {
                case UnixSocket s -> s.type;
                case Connection c -> c.type();
                default -> SOCK_STREAM;
            });
            case SO_DOMAIN -> answer.putInt(AF_UNIX);
            case SO_PROTOCOL -> answer.putInt(0); // a Unix socket's only protocol (Python's socket(fileno=) asks)
            case SO_ERROR -> answer.putInt(0);
            case SO_ACCEPTCONN -> answer.putInt(file instanceof UnixSocket s && s.listening() ? 1 : 0);
            case SO_SNDBUF, SO_RCVBUF -> answer.putInt(BUFFER_SIZE);
            case SO_PEERCRED -> peerCredentials(file, answer);
            default -> throw new SyscallException(ENOPROTOOPT);
        }
        int room = process.user().readInt(lengthAddress);
        if (room < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] bytes = answer.array();
        process.user().write(value, Arrays.copyOf(bytes, Math.min(room, bytes.length)));
        process.user().writeInt(lengthAddress, Math.min(room, bytes.length));
        return 0;
    }

    /**
     * SO_PEERCRED's struct ucred: the peer's pid ({@link Connection#peerPid}), running as the same user as every
     * process of the machine; a socket with no peer recorded gives pid 0 and ids -1, as Linux's.
     */
    private static void peerCredentials(OpenFile file, java.nio.ByteBuffer answer) {
        Connection connection = switch (file) {
            case Connection c -> c;
            case UnixSocket s -> s.connection();
            default -> null;
        };
        long pid = connection == null ? 0 : connection.peerPid();
        if (pid == 0) {
            answer.putInt(0).putInt(-1).putInt(-1);
        } else {
            answer.putInt((int) pid).putInt(Credentials.UID).putInt(Credentials.GID);
        }
    }

    /** The socket {@code fd} names: EBADF when none is open, ENOTSOCK when it is not a socket. */
    private OpenFile socket(int fd) {
        return socketOf(process.fds(), fd);
    }

    /** The socket {@code fd} of {@code fds}: EBADF when none is open, ENOTSOCK when it is not a socket. */
    static OpenFile socketOf(FdTable fds, int fd) {
        OpenFile file = fds.get(fd);
        if (!(file instanceof UnixSocket) && !(file instanceof Connection)) {
            throw new SyscallException(ENOTSOCK);
        }
        return file;
    }

    /**
     * The Unix socket type that socket's or socketpair's {@code type} (with its flags) makes: SOCK_STREAM, SOCK_DGRAM
     * (also for SOCK_RAW, as Linux's Unix family makes it) or SOCK_SEQPACKET; ESOCKTNOSUPPORT for SOCK_RDM and the
     * types Unix sockets do not have, EINVAL for unknown flags or a type past Linux's last, as Linux says.
     */
    private static int unixType(int type) {
        int kind = type & SOCK_TYPE_MASK;
        if ((type & ~(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0 || kind >= SOCK_MAX) {
            throw new SyscallException(Errno.EINVAL);
        }
        return switch (kind) {
            case SOCK_STREAM, MessagePair.SOCK_DGRAM, MessagePair.SOCK_SEQPACKET -> kind;
            case SOCK_RAW -> MessagePair.SOCK_DGRAM;
            default -> throw new SyscallException(Errno.ESOCKTNOSUPPORT);
        };
    }

    /** Two connected Unix sockets: a {@link SocketPair}'s stream ones, or a {@link MessagePair}'s. */
    private long socketpair(int family, int type, long pair) {
        if (family != AF_UNIX) {
            throw new SyscallException(EAFNOSUPPORT);
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
            return sendTo(process, addresses, end, destination, destinationLength, data, List.of(), flags);
        }
        return sending(process, flags, () -> end.write(data));
    }

    /**
     * A send with a destination (sendto's, sendmsg's): a datagram socket's goes to the datagram socket bound there,
     * whatever it is connected to (ECONNREFUSED when none is); a seqpacket socket's goes to its peer, as Linux ignores
     * the address there; a stream socket's is EISCONN.
     */
    static long sendTo(LinuxProcess process, UnixAddresses addresses, Connection end, long destination,
            int destinationLength, byte[] data, List<OpenFile> files, int flags) throws IOException {
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

    private long socket(int family, int type) {
        if (family != AF_UNIX) {
            if (!told) {
                told = true;
                process.io().notice("socket was asked for address family " + family + ": networking is not emulated, "
                        + "so it returned EAFNOSUPPORT");
            }
            throw new SyscallException(EAFNOSUPPORT);
        }
        int statusFlags = (type & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0;
        return process.fds().install(UnixSocket.of(unixType(type), statusFlags, process.scheduler()), 0,
                (type & SOCK_CLOEXEC) != 0);
    }
}
