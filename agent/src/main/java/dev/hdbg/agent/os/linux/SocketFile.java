package dev.hdbg.agent.os.linux;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every socket of the machine has, a {@link GuestSocket} that {@code socket} made or a {@link Connection} end
 * that socketpair made: an inode number of its own (fstat's st_ino, /proc/self/fd's {@code socket:[ino]}), the options
 * setsockopt set, for getsockopt to give back, and its SO_RCVTIMEO and SO_SNDTIMEO ({@link SocketTimeouts}).
 */
abstract class SocketFile extends OpenFile {
    /** Sockets' inode numbers: from 0x20000, apart from pipes' (sockfs counts its own natively). */
    private static final AtomicLong INODES = new AtomicLong(0x20000);

    private final long ino = INODES.getAndIncrement();
    private final Map<Long, Integer> options = new HashMap<>();
    /** SO_RCVTIMEO and SO_SNDTIMEO in jiffies ({@link SocketTimeouts}): 0 waits for ever, -1 not at all. */
    private long receiveTimeout;
    private long sendTimeout;

    SocketFile(int statusFlags) {
        super(O_RDWR | statusFlags);
    }

    /** sa_family: a sockaddr's first two bytes, little-endian (every family's address begins with it). */
    static int family(byte[] sockaddr) {
        return sockaddr[0] & 0xff | (sockaddr[1] & 0xff) << 8;
    }

    /** setsockopt's {@code value} for option {@code name} at {@code level}, given back by {@link #option}. */
    final void setOption(int level, int name, int value) {
        options.put((long) level << 32 | name & 0xffffffffL, value);
    }

    /** The value setsockopt last set for the option, or {@code otherwise}. */
    final int option(int level, int name, int otherwise) {
        return options.getOrDefault((long) level << 32 | name & 0xffffffffL, otherwise);
    }

    /**
     * SO_ERROR: an error waiting for the next call (a refused connect's, a TCP reset's, a UDP socket's refused
     * datagram), taken; 0 when none.
     */
    int takeError() {
        return 0;
    }

    /** SO_RCVTIMEO ({@code receive}) or SO_SNDTIMEO, in jiffies. */
    final long timeout(boolean receive) {
        return receive ? receiveTimeout : sendTimeout;
    }

    final void setTimeout(boolean receive, long jiffies) {
        if (receive) {
            receiveTimeout = jiffies;
        } else {
            sendTimeout = jiffies;
        }
    }

    /** The network-interface requests every socket takes ({@link InterfaceRequests}); ENOTTY for the rest. */
    @Override
    long ioctl(LinuxProcess process, int request, long argument) {
        if (InterfaceRequests.handles(request)) {
            return InterfaceRequests.answer(process.user(), request, argument,
                    this instanceof GuestSocket s && s.domain == InetEndpoint.AF_INET);
        }
        return super.ioctl(process, request, argument);
    }

    @Override
    final byte[] stat() {
        return Stat.synthetic(Stat.S_IFSOCK | 0777, 0, ino, Credentials.UID, Credentials.GID);
    }
}
