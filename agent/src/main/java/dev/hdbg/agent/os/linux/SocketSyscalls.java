package dev.hdbg.agent.os.linux;

import java.util.Map;

/**
 * Sockets, as far as a program that uses none still meets them: glibc's name service asks nscd over a Unix socket
 * ({@code ls -l} looking up user names) and falls back to the files when nothing listens. A Unix socket can be
 * created and its connect finds nothing listening (ENOENT when the path does not exist beneath the root, else
 * ECONNREFUSED), as on a machine without nscd. Other families are refused: networking is not emulated.
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

    private final LinuxProcess process;
    private boolean told;

    SocketSyscalls(LinuxProcess process) {
        this.process = process;
    }

    void register(Map<Integer, Handler> table) {
        table.put(41, a -> socket(a.i(0), a.i(1)));
        table.put(42, a -> connect(a.i(0), a.a1(), a.i(2)));
        table.put(51, a -> getsockname(a.i(0), a.a1(), a.a2()));
        // bash asks whether its standard input is a network connection (run by sshd: then it reads ~/.bashrc even for
        // bash -c); ENOSYS read as "yes".
        table.put(52, a -> {
            socket(a.i(0));
            throw new SyscallException(ENOTCONN);
        });
        table.put(48, a -> { // shutdown
            socket(a.i(0));
            throw new SyscallException(ENOTCONN);
        });
    }

    /** The socket {@code fd} names: EBADF when none is open, ENOTSOCK when it is not a socket. */
    private UnixSocket socket(int fd) {
        if (!(process.fds().get(fd) instanceof UnixSocket socket)) {
            throw new SyscallException(ENOTSOCK);
        }
        return socket;
    }

    /** An unnamed Unix socket's address: its family alone (socklen 2), cut to the room the caller gives. */
    private long getsockname(int fd, long address, long lengthAddress) {
        socket(fd);
        int room = process.user().readInt(lengthAddress);
        if (room < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        byte[] family = {AF_UNIX, 0};
        process.user().write(address, java.util.Arrays.copyOf(family, Math.min(room, family.length)));
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
    private long connect(int fd, long address, int length) throws java.io.IOException {
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
        boolean exists = resolved.isVirtual() ? resolved.node() != null : java.nio.file.Files.exists(resolved.host());
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
