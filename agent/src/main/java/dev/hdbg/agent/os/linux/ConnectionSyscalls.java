package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.Map;

/**
 * Connections between the machine's processes, over Unix sockets and over the machine's loopback ({@link
 * InetSockets}): {@code bind} names a socket (a socket file beneath the root, where the program may write, or an
 * abstract name; an address and port), {@code listen} queues the connections {@code connect} makes, {@code accept}
 * and {@code accept4} take them; {@code getsockname} and {@code getpeername} give the names. A stream connection
 * (TCP's too) is a {@link SocketPair}, a seqpacket one a {@link MessagePair}; a datagram socket's connect names where
 * its sends go and the only socket it hears. Nothing reaches the host's sockets: a connect to a path no socket of the
 * machine listens on finds nothing (ECONNREFUSED when the file exists, ENOENT when not), as a program without nscd
 * sees it; glibc's name service then reads the files.
 */
final class ConnectionSyscalls {
    private static final int AF_UNIX = UnixAddresses.AF_UNIX;
    private static final int ECONNREFUSED = UnixAddresses.ECONNREFUSED;
    private static final int EADDRINUSE = UnixAddresses.EADDRINUSE;
    private static final int EISCONN = 106;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOCK_NONBLOCK = 04000;

    private final LinuxProcess process;
    private final UnixAddresses addresses;
    private final InetSockets inet;

    ConnectionSyscalls(LinuxProcess process, UnixAddresses addresses, InetSockets inet) {
        this.process = process;
        this.addresses = addresses;
        this.inet = inet;
    }

    void register(Map<Integer, Handler> table) {
        table.put(49, a -> bind(a.i(0), a.a1(), a.i(2)));
        table.put(50, a -> listen(a.i(0), a.i(1)));
        table.put(42, a -> connect(a.i(0), a.a1(), a.i(2)));
        table.put(43, a -> accept(a.i(0), a.a1(), a.a2(), 0));
        table.put(288, a -> accept(a.i(0), a.a1(), a.a2(), a.i(3)));
        table.put(51, a -> giveAddress(socket(a.i(0)), false, a.a1(), a.a2()));
        // bash asks getpeername whether its standard input is a network connection (run by sshd: then it reads
        // ~/.bashrc even for bash -c); ENOTSOCK says no, where ENOSYS read as yes.
        table.put(52, a -> giveAddress(socket(a.i(0)), true, a.a1(), a.a2()));
    }

    private OpenFile socket(int fd) {
        return SocketSyscalls.socketOf(process.fds(), fd);
    }

    /** The sockaddr_nl bytes at {@code address} (EINVAL when shorter than one: {@link NetlinkSocket#bind}). */
    private byte[] netlinkAddress(long address, int length) {
        return process.user().read(address, Math.clamp(length, 0, NetlinkSocket.ADDRESS_SIZE));
    }

    /** The socket {@code fd} names; a socketpair end has no name to set (EINVAL for the naming calls). */
    private GuestSocket guestSocket(int fd) {
        if (!(socket(fd) instanceof GuestSocket s)) {
            throw new SyscallException(Errno.EINVAL); // a socketpair end is connected and unnamed for good
        }
        return s;
    }

    /**
     * bind: a name, or with the family alone (autobind) an abstract name of five hex digits the machine chooses, as
     * Linux does; an autobind of a socket already named changes nothing, where a second name is EINVAL.
     */
    private long bind(int fd, long address, int length) throws IOException {
        if (socket(fd) instanceof NetlinkSocket netlink) {
            netlink.bind(netlinkAddress(address, length), length);
            return 0;
        }
        GuestSocket socket = guestSocket(fd);
        if (socket.inet()) {
            inet.bind(socket, address, length);
            return 0;
        }
        UnixSocketNames names = process.table().sockets().unix();
        if (addresses.familyOnly(address, length)) {
            if (socket.address() == null) {
                String key = names.unusedAbstractKey();
                bindName(socket, UnixAddresses.abstractAddress(key), names, key);
            }
            return 0;
        }
        if (socket.address() != null) {
            throw new SyscallException(Errno.EINVAL);
        }
        UnixAddresses.Name name = addresses.name(address, length, true);
        if (name.file() == null) {
            if (names.taken(name.key())) {
                throw new SyscallException(EADDRINUSE);
            }
        } else {
            HostNodes.make(name.file(), Stat.S_IFSOCK | 0777 & ~process.umask());
        }
        bindName(socket, name.address(), names, name.key());
        return 0;
    }

    private static void bindName(GuestSocket socket, byte[] address, UnixSocketNames names, String key) {
        socket.bind(address, () -> names.forget(key, socket));
        names.register(key, socket);
    }

    /** listen: an unnamed Internet socket gets a port the machine chooses first, as Linux's does. */
    private long listen(int fd, int backlog) {
        if (socket(fd) instanceof NetlinkSocket) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        GuestSocket socket = guestSocket(fd);
        if (socket.inet() && socket.type == SocketSyscalls.SOCK_STREAM && socket.connection() == null) {
            inet.beforeListen(socket);
        }
        socket.listen(backlog, process.config().pid());
        return 0;
    }

    /**
     * connect: to a socket of the machine that listens there, through a new pair whose other end waits in the
     * listener's queue. A full queue makes the caller wait for an accept (EAGAIN when non-blocking, as Linux says for
     * a Unix socket). A listener of another type is EPROTOTYPE at a path and, since Linux keeps abstract names apart
     * by type, no one (ECONNREFUSED) at an abstract name. A datagram socket connects to a bound datagram socket.
     */
    private long connect(int fd, long address, int length) throws IOException {
        if (socket(fd) instanceof NetlinkSocket netlink) {
            if (!addresses.unspecified(address, length)) { // AF_UNSPEC: sends go to the kernel, as they did
                netlink.checkDestination(netlinkAddress(address, length), length);
                netlink.autobind();
            }
            return 0;
        }
        GuestSocket socket = guestSocket(fd);
        // A datagram socket's connect only names where its sends go and whom it hears, again at each call;
        // AF_UNSPEC forgets it, whatever the socket's family.
        if (socket.type == MessagePair.SOCK_DGRAM && addresses.unspecified(address, length)) {
            socket.disconnectDatagrams();
            return 0;
        }
        if (socket.inet()) {
            if (socket.type == MessagePair.SOCK_DGRAM) {
                inet.connectDatagrams(socket, address, length);
            } else {
                inet.connectStream(socket, address, length);
            }
            return 0;
        }
        if (socket.type == MessagePair.SOCK_DGRAM) {
            socket.connectDatagrams(addresses.bound(address, length, MessagePair.SOCK_DGRAM));
            return 0;
        }
        if (socket.connection() != null) {
            throw new SyscallException(EISCONN);
        }
        if (socket.listening()) {
            throw new SyscallException(Errno.EINVAL);
        }
        GuestSocket listener = addresses.bound(address, length, socket.type);
        if (!listener.listening()) {
            throw new SyscallException(ECONNREFUSED);
        }
        if (!listener.hasRoom()) {
            throw Blocked.unlessNonBlocking(socket, listener);
        }
        Scheduler scheduler = process.scheduler();
        Connection[] ends = Connection.pair(scheduler, socket.type, 0);
        socket.connectTo(listener, ends[0], new GuestSocket.Pending(ends[1], null, null), listener.address(),
                process.config().pid());
        scheduler.wakeAll(listener, ReadyWait.CHANNEL); // an accept waiting, a poll on the listener
        return 0;
    }

    /**
     * accept and accept4: the oldest connection waiting, as a new descriptor, with its peer's address: a TCP
     * client's, a Unix client's unnamed.
     */
    private long accept(int fd, long address, long lengthAddress, int flags) {
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (socket(fd) instanceof NetlinkSocket) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        GuestSocket listener = guestSocket(fd);
        if (!listener.listening()) {
            throw new SyscallException(Errno.EINVAL);
        }
        GuestSocket.Pending waiting = listener.take();
        if (waiting == null) {
            throw Blocked.unlessNonBlocking(listener, listener);
        }
        process.scheduler().wakeAll(listener); // a connect waiting for room
        int statusFlags = (flags & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0;
        GuestSocket accepted = GuestSocket.accepted(waiting, listener, statusFlags);
        int newFd = process.fds().install(accepted, 0, (flags & SOCK_CLOEXEC) != 0);
        addresses.giveBack(waiting.peer() != null ? waiting.peer() : new byte[] {AF_UNIX, 0}, address, lengthAddress);
        return newFd;
    }

    /**
     * getsockname ({@code peer} false) and getpeername: the name bound, or the family alone for an unnamed socket;
     * getpeername of a socket that has no connection is ENOTCONN.
     */
    private long giveAddress(OpenFile file, boolean peer, long address, long lengthAddress) {
        byte[] name = null;
        if (file instanceof NetlinkSocket netlink) {
            name = peer ? NetlinkSocket.address(0, 0) : netlink.name(); // its peer is the kernel
        } else if (file instanceof GuestSocket socket) {
            if (peer && !socket.hasPeer()) {
                throw new SyscallException(SocketSyscalls.ENOTCONN);
            }
            name = peer ? socket.peerAddress() : socket.address();
            if (name == null && socket.inet()) {
                name = InetEndpoint.unnamed(socket.domain).sockaddr(socket.domain);
            }
        }
        addresses.giveBack(name != null ? name : new byte[] {AF_UNIX, 0}, address, lengthAddress);
        return 0;
    }
}
