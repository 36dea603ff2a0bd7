package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sendmsg and recvmsg on a Unix socket: the bytes of an iovec array, and open files passed beside them
 * ({@code SCM_RIGHTS}), which the receiver gets as new descriptors of its own to the same open files, as Linux does.
 * On a stream socket a set of files goes with the bytes it was sent with ({@link SocketPair.End#send}): the read that
 * reaches their first byte takes them and ends there ({@link SocketPair.End#receive}); on a datagram or seqpacket
 * socket they go with their message ({@link MessagePair}), which recvmsg takes whole, setting MSG_TRUNC when the
 * buffers cut it short, and a datagram socket's sendmsg may name where the message goes (msg_name). A plain read drops
 * (closes) them. What Python's multiprocessing passes with {@code reduction.sendfds} (its {@code forkserver} start
 * method), and what privilege-separated programs hand each other. {@code SCM_CREDENTIALS} is taken and sends nothing;
 * MSG_PEEK reads the bytes without their files.
 */
final class MessageSyscalls {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int SCM_CREDENTIALS = 2;
    private static final int MSG_PEEK = SocketSyscalls.MSG_PEEK;
    private static final int MSG_TRUNC = SocketSyscalls.MSG_TRUNC;
    private static final int MSG_CTRUNC = 0x8;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    /** struct msghdr: name, namelen, iov, iovlen, control, controllen, flags. */
    private static final int MSGHDR_SIZE = 56;
    /** struct cmsghdr's header: cmsg_len (8), cmsg_level, cmsg_type. */
    private static final int CMSG_HEADER = 16;
    /** Linux's SCM_MAX_FD: files one message may carry. */
    private static final int MAX_FILES = 253;
    /** struct mmsghdr: a msghdr and its msg_len, padded to 8 bytes. */
    private static final int MMSGHDR_SIZE = 64;
    /** recvmmsg's flag: wait for the first message only. */
    private static final int MSG_WAITFORONE = 0x10000;
    /** UIO_MAXIOV. */
    private static final int MAX_IOV = 1024;

    private final LinuxProcess process;
    private final UnixAddresses addresses;
    private final InetSockets inet;

    MessageSyscalls(LinuxProcess process, UnixAddresses addresses, InetSockets inet) {
        this.process = process;
        this.addresses = addresses;
        this.inet = inet;
    }

    void register(Map<Integer, Handler> table) {
        table.put(46, a -> sendmsg(a.i(0), a.a1(), a.i(2)));
        table.put(47, a -> recvmsg(a.i(0), a.a1(), a.i(2)));
        table.put(307, a -> many(a.a1(), a.i(2), flags -> sendmsg(a.i(0), flags.message(), a.i(3))));
        table.put(299, a -> many(a.a1(), a.i(2), flags -> recvmsg(a.i(0), flags.message(),
                a.i(3) & ~MSG_WAITFORONE | (flags.index() > 0 && (a.i(3) & MSG_WAITFORONE) != 0
                        ? SocketSyscalls.MSG_DONTWAIT : 0))));
    }

    /** One message of sendmmsg's or recvmmsg's array: its msghdr's address and its index. */
    private record Entry(long message, int index) {
    }

    /** sendmsg or recvmsg on one entry of the array. */
    @FunctionalInterface
    private interface EachMessage {
        long call(Entry entry) throws IOException;
    }

    /**
     * sendmmsg and recvmmsg: the call on each struct mmsghdr of the {@code count} at {@code vector} (at most
     * UIO_MAXIOV), its result written to the entry's msg_len, until one fails or would wait: the messages done so
     * far, or that first failure (or wait) when none is. recvmmsg's MSG_WAITFORONE waits for the first message only;
     * without it, where Linux would wait for more once one came, the call returns what it has, as a later call may
     * take the rest (its timeout, which Linux checks only after a message, is not looked at).
     */
    private long many(long vector, int count, EachMessage each) throws IOException {
        int done = 0;
        for (int i = 0; i < Math.min(Integer.toUnsignedLong(count), MAX_IOV); i++) {
            long entry = vector + (long) MMSGHDR_SIZE * i;
            long length;
            try {
                length = each.call(new Entry(entry, i));
            } catch (SyscallException e) { // a wait (Blocked) too: the first one's is the call's
                if (done == 0) {
                    throw e;
                }
                break;
            }
            process.user().writeInt(entry + MSGHDR_SIZE, (int) length);
            done++;
        }
        return done;
    }

    private Connection connected(int fd) {
        return SocketSyscalls.connectedOf(process.fds(), fd);
    }

    private long sendmsg(int fd, long message, int flags) throws IOException {
        Connection end = connected(fd);
        SocketSyscalls.checkSendFlags(flags);
        ByteBuffer header = header(message);
        byte[] data = gather(header.getLong(16), header.getLong(24), end);
        List<OpenFile> files = filesOf(header.getLong(32), header.getLong(40));
        if (!files.isEmpty() && process.fds().get(fd) instanceof GuestSocket socket && socket.inet()) {
            throw new SyscallException(Errno.EINVAL); // only Unix sockets carry open files
        }
        if (header.getLong(0) != 0) { // msg_name: a datagram socket's destination
            return SocketSyscalls.sendTo(process, addresses, inet, fd, header.getLong(0), header.getInt(8), data,
                    files, flags);
        }
        if (data.length == 0 && !end.keepsMessages()) {
            return 0; // a stream socket sends no files without a byte to carry them
        }
        return SocketSyscalls.sending(process, flags, () -> end.send(data, files));
    }

    private long recvmsg(int fd, long message, int flags) throws IOException {
        Connection end = connected(fd);
        SocketSyscalls.checkReceiveFlags(end, flags);
        ByteBuffer header = header(message);
        long[][] iovecs = iovecs(header.getLong(16), header.getLong(24));
        byte[] data = new byte[end.receiveLength(UserMemory.totalLength(iovecs))];
        Connection.Received received = SocketSyscalls.receiving(flags, () -> (flags & MSG_PEEK) != 0
                ? end.peek(data) : end.receive(data, SocketSyscalls.waitsForAll(flags)));
        int got = received.count();
        process.user().scatter(iovecs, data, got);
        int outFlags = deliver(received.files(), header.getLong(32), header.getLong(40), message,
                (flags & MSG_CMSG_CLOEXEC) != 0);
        if (received.truncated()) {
            outFlags |= MSG_TRUNC;
        }
        // The sender's name (a named datagram socket's), else a length of 0, as for Linux's unnamed peers.
        addresses.giveBack(received.from() != null ? received.from() : new byte[0], header.getLong(0), message + 8);
        process.user().writeInt(message + 48, outFlags);
        return (flags & MSG_TRUNC) != 0 ? received.length() : got;
    }

    /**
     * Installs the files of {@code passed} as new descriptors and writes their SCM_RIGHTS message into the control
     * buffer; the ones that do not fit are closed and MSG_CTRUNC is set, as Linux does. Returns msg_flags.
     */
    private int deliver(List<OpenFile> files, long control, long room, long message, boolean cloexec)
            throws IOException {
        if (files == null) {
            process.user().writeLong(message + 40, 0);
            return 0;
        }
        int fit = control == 0 || room < CMSG_HEADER ? 0 : (int) Math.min(files.size(), (room - CMSG_HEADER) / 4);
        List<Integer> fds = new ArrayList<>();
        try {
            for (int i = 0; i < fit; i++) {
                fds.add(process.fds().install(files.get(i), 0, cloexec));
            }
        } catch (SyscallException full) {
            fit = fds.size(); // EMFILE: the rest are closed, as Linux truncates the message
        }
        Connection.dropAll(files); // the in-flight references: installed descriptors hold their own
        if (fit == 0) {
            process.user().writeLong(message + 40, 0);
            return MSG_CTRUNC;
        }
        ByteBuffer cmsg = UserMemory.struct(CMSG_HEADER + 4 * fit);
        cmsg.putLong(0, CMSG_HEADER + 4L * fit).putInt(8, SOL_SOCKET).putInt(12, SCM_RIGHTS);
        for (int i = 0; i < fit; i++) {
            cmsg.putInt(CMSG_HEADER + 4 * i, fds.get(i));
        }
        process.user().write(control, cmsg.array());
        process.user().writeLong(message + 40, Math.min(room, (CMSG_HEADER + 4L * fit + 7) & -8));
        return fit < files.size() ? MSG_CTRUNC : 0;
    }

    private ByteBuffer header(long message) {
        return UserMemory.struct(MSGHDR_SIZE).put(process.user().read(message, MSGHDR_SIZE));
    }

    /** msghdr's iovec array: {base, length} each (UserMemory.iovecs), its count a size_t here. */
    private long[][] iovecs(long iov, long count) {
        if (count < 0 || count > MAX_IOV) {
            throw new SyscallException(Errno.EINVAL);
        }
        return process.user().iovecs(iov, (int) count);
    }

    /**
     * The bytes of the iovec array that one send to {@code end} takes: a stream socket's at most a pipe's capacity (it
     * sends the rest by a later call), a message socket's all of them (EMSGSIZE past its longest message).
     */
    private byte[] gather(long iov, long count, Connection end) {
        long[][] entries = iovecs(iov, count);
        int limit = end.sendLength(UserMemory.totalLength(entries));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (long[] entry : entries) {
            int room = limit - bytes.size();
            if (room <= 0) {
                break;
            }
            bytes.writeBytes(process.user().read(entry[0], (int) Math.min(entry[1], room)));
        }
        return bytes.toByteArray();
    }

    /** The open files an SCM_RIGHTS control message names (EBADF for one that is not open); SCM_CREDENTIALS ignored. */
    private List<OpenFile> filesOf(long control, long length) {
        List<OpenFile> files = new ArrayList<>();
        if (control == 0 || length == 0) {
            return files;
        }
        if (length < CMSG_HEADER || length > 1 << 16) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer all = UserMemory.struct((int) length).put(process.user().read(control, length));
        for (int at = 0; at + CMSG_HEADER <= length; ) {
            long cmsgLength = all.getLong(at);
            if (cmsgLength < CMSG_HEADER || at + cmsgLength > length) {
                throw new SyscallException(Errno.EINVAL);
            }
            int level = all.getInt(at + 8);
            int type = all.getInt(at + 12);
            if (level == SOL_SOCKET && type == SCM_RIGHTS) {
                for (int i = at + CMSG_HEADER; i + 4 <= at + cmsgLength; i += 4) {
                    files.add(process.fds().get(all.getInt(i)));
                }
            } else if (level != SOL_SOCKET || type != SCM_CREDENTIALS) {
                throw new SyscallException(Errno.EINVAL);
            }
            at += (int) ((cmsgLength + 7) & -8);
        }
        if (files.size() > MAX_FILES) {
            throw new SyscallException(Errno.EINVAL);
        }
        return files;
    }
}
