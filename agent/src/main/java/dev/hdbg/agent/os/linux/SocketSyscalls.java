package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;

/**
 * Sockets, as far as a program that uses no network still meets them: glibc's name service asks nscd over a Unix socket
 * ({@code ls -l} looking up user names) and falls back to the files when nothing listens. A Unix socket can be
 * created and its connect finds nothing listening (ENOENT when the path does not exist beneath the root, else
 * ECONNREFUSED), as on a machine without nscd. socketpair's connected pair ({@link SocketPair}) carries bytes both
 * ways (asyncio's self-pipe). Other families are refused: networking is not emulated.
 */
final class SocketSyscalls {
    private static final int AF_UNIX = 1;
    private static final int SOCK_TYPE_MASK = 0xf;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int ECONNREFUSED = 111;
    private static final int EAFNOSUPPORT = 97;
    private static final int ENOTSOCK = 88;
    private static final int ENOTCONN = 107;
    private static final int EISCONN = 106;
    private static final int SOCK_STREAM = 1;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    private final LinuxProcess process;
    private boolean told;

    SocketSyscalls(LinuxProcess process) {
        this.process = process;
    }

    void register(Map<Integer, Handler> table) {
        table.put(41, a -> socket(a.i(0), a.i(1)));
        table.put(42, a -> connect(a.i(0), a.a1(), a.i(2)));
        table.put(53, a -> socketpair(a.i(0), a.i(1), a.a3()));
        table.put(44, a -> sendto(a.i(0), a.a1(), a.a2(), a.i(3), a.a4()));
        table.put(45, a -> recvfrom(a.i(0), a.a1(), a.a2(), a.i(3), a.a5()));
        table.put(51, a -> unnamedAddress(a.i(0), a.a1(), a.a2()));
        // bash asks whether its standard input is a network connection (run by sshd: then it reads ~/.bashrc even for
        // bash -c); ENOSYS read as "yes".
        table.put(52, a -> {
            if (!(socket(a.i(0)) instanceof SocketPair.End)) {
                throw new SyscallException(ENOTCONN);
            }
            return unnamedAddress(a.i(0), a.a1(), a.a2()); // the peer is as unnamed as the socket
        });
        table.put(48, a -> {
            if (!(socket(a.i(0)) instanceof SocketPair.End end)) {
                throw new SyscallException(ENOTCONN);
            }
            end.shutdown(a.i(1));
            return 0;
        });
    }

    /** The socket {@code fd} names: EBADF when none is open, ENOTSOCK when it is not a socket. */
    private OpenFile socket(int fd) {
        OpenFile file = process.fds().get(fd);
        if (!(file instanceof UnixSocket) && !(file instanceof SocketPair.End)) {
            throw new SyscallException(ENOTSOCK);
        }
        return file;
    }

    /** Two connected Unix stream sockets ({@link SocketPair}); the other types are not emulated (EOPNOTSUPP). */
    private long socketpair(int family, int type, long pair) {
        if (family != AF_UNIX) {
            throw new SyscallException(EAFNOSUPPORT);
        }
        if ((type & ~(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((type & SOCK_TYPE_MASK) != SOCK_STREAM) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        boolean cloexec = (type & SOCK_CLOEXEC) != 0;
        SocketPair sockets = new SocketPair(process.scheduler(), (type & SOCK_NONBLOCK) != 0 ? OpenFile.O_NONBLOCK : 0);
        FdTable fds = process.fds();
        int first = fds.install(sockets.first, 0, cloexec);
        int second;
        try {
            second = fds.install(sockets.second, 0, cloexec);
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
     * send and sendto on a connected socket: a write, without SIGPIPE under MSG_NOSIGNAL, without waiting under
     * MSG_DONTWAIT; a destination address on a connected socket is EISCONN.
     */
    private long sendto(int fd, long buffer, long length, int flags, long destination) throws IOException {
        if (!(socket(fd) instanceof SocketPair.End end)) {
            throw new SyscallException(ENOTCONN);
        }
        if ((flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL)) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        if (destination != 0) {
            throw new SyscallException(EISCONN);
        }
        byte[] data = process.user().read(buffer, (int) Math.min(length, Pipe.CAPACITY));
        try {
            return end.write(data);
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

    /** recv and recvfrom on a connected socket: a read (MSG_DONTWAIT: without waiting); no address to give back. */
    private long recvfrom(int fd, long buffer, long length, int flags, long addressLength) throws IOException {
        if (!(socket(fd) instanceof SocketPair.End end)) {
            throw new SyscallException(ENOTCONN);
        }
        if ((flags & ~MSG_DONTWAIT) != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        byte[] data = new byte[(int) Math.min(length, Pipe.CAPACITY)];
        int got;
        try {
            got = end.read(data);
        } catch (Blocked wait) {
            if ((flags & MSG_DONTWAIT) != 0) {
                throw new SyscallException(Errno.EAGAIN);
            }
            throw wait;
        }
        process.user().write(buffer, Arrays.copyOf(data, got));
        if (addressLength != 0) {
            process.user().write(addressLength, new byte[4]);
        }
        return got;
    }

    /** An unnamed Unix socket's address: its family alone (socklen 2), cut to the room the caller gives. */
    private long unnamedAddress(int fd, long address, long lengthAddress) {
        socket(fd);
        int room = process.user().readInt(lengthAddress);
        if (room < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] family = {AF_UNIX, 0};
        process.user().write(address, Arrays.copyOf(family, Math.min(room, family.length)));
        process.user().write(lengthAddress, new byte[] {(byte) family.length, 0, 0, 0});
        return 0;
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
        int kind = type & SOCK_TYPE_MASK;
        if (kind < 1 || kind > 5 || (type & ~(SOCK_TYPE_MASK | SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        return process.fds().install(new UnixSocket(), 0, (type & SOCK_CLOEXEC) != 0);
    }

    /** struct sockaddr_un: sun_family, then the path (a leading NUL: the abstract namespace, empty here). */
    private long connect(int fd, long address, int length) throws IOException {
        socket(fd);
        if (length < 3 || length > 110) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] raw = process.user().read(address, length);
        if ((raw[0] | raw[1] << 8) != AF_UNIX) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (raw[2] == 0) {
            throw new SyscallException(ECONNREFUSED);
        }
        String path = process.user().cString(address + 2);
        Sandbox.Resolved resolved = process.sandbox().resolve(process.cwd(), path, true);
        boolean exists = resolved.isVirtual() ? resolved.node() != null : Files.exists(resolved.host());
        throw new SyscallException(exists ? ECONNREFUSED : Errno.ENOENT);
    }

    /** A Unix socket that never connects. */
    private static final class UnixSocket extends OpenFile {
        UnixSocket() {
            super(O_RDWR);
        }

        @Override
        int read(byte[] buffer) {
            throw new SyscallException(ENOTCONN);
        }

        @Override
        int write(byte[] data) {
            throw new SyscallException(ENOTCONN);
        }

        @Override
        byte[] stat() {
            return Stat.synthetic(Stat.S_IFSOCK | 0777, 0, 0x20000, Credentials.UID, Credentials.GID);
        }
    }
}
