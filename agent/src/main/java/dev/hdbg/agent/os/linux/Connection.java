package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.List;

/**
 * One end of two connected Unix sockets of the machine, what the socket calls send on and receive from: a stream
 * pair's ({@link SocketPair}: socketpair's SOCK_STREAM, and every connection {@code connect} makes) or a message
 * pair's ({@link MessagePair}: socketpair's SOCK_DGRAM and SOCK_SEQPACKET).
 */
abstract class Connection extends SocketFile {
    /**
     * The process SO_PEERCRED names: socketpair's creator for both its ends, the connecting process for a server's
     * end, the listening one for a client's, as Linux records them; 0 when none was (an unconnected datagram socket).
     */
    private long peerPid;

    Connection(int statusFlags) {
        super(statusFlags);
    }

    /**
     * The two ends of a new connected pair of Unix sockets of {@code type}: a {@link SocketPair}'s for SOCK_STREAM, a
     * {@link MessagePair}'s for SOCK_DGRAM and SOCK_SEQPACKET (socketpair's, and a connect's to a listener).
     */
    static Connection[] pair(Scheduler scheduler, int type, int statusFlags) {
        if (type == SocketSyscalls.SOCK_STREAM) {
            SocketPair sockets = new SocketPair(scheduler, statusFlags);
            return new Connection[] {sockets.first, sockets.second};
        }
        MessagePair sockets = new MessagePair(scheduler, type, statusFlags);
        return new Connection[] {sockets.first, sockets.second};
    }

    /** The two ends of a new TCP connection: a {@link SocketPair}'s, with TCP's resets. */
    static Connection[] tcpPair(Scheduler scheduler) {
        SocketPair sockets = new SocketPair(scheduler, 0, true);
        return new Connection[] {sockets.first, sockets.second};
    }

    long peerPid() {
        return peerPid;
    }

    void setPeerPid(long pid) {
        this.peerPid = pid;
    }

    /** SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET: what getsockopt's SO_TYPE says. */
    abstract int type();

    /**
     * What a receive took: {@code count} bytes into the caller's buffer, of a message {@code length} bytes long (a
     * stream's: the count), the open files sent with them, or null, and the sender's name (a sockaddr_un's bytes), or
     * null when it has none.
     */
    record Received(int count, int length, List<OpenFile> files, byte[] from) {
        /** Whether bytes of the message did not fit the buffer and were dropped: recvmsg's MSG_TRUNC. */
        boolean truncated() {
            return length > count;
        }
    }

    /**
     * A receive: it takes the files sent with what it reads, which the caller installs or drops. A stream takes what is
     * there, or with {@code waitAll} (MSG_WAITALL, blocking) waits until the whole buffer can be filled or no more can
     * come; a message socket takes one message either way.
     */
    abstract Received receive(byte[] buffer, boolean waitAll) throws IOException;

    /** recv with MSG_PEEK: what a receive would get, left to be received (without its files). */
    abstract Received peek(byte[] buffer) throws IOException;

    /**
     * A send of {@code data} with {@code files} (SCM_RIGHTS, possibly none), each holding a reference in flight until
     * received; nothing is sent when the send waits or fails. Returns the bytes taken.
     */
    abstract int send(byte[] data, List<OpenFile> files) throws IOException;

    /** shutdown: SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2); EINVAL for anything else. */
    abstract void shutdown(int how) throws IOException;

    /**
     * How many of the {@code length} bytes a send asked for the call reads from the guest: a stream takes what fits
     * one pipe and sends the rest by later calls; a message goes whole or not at all (EMSGSIZE when it is too long).
     */
    abstract int sendLength(long length);

    /** How big a buffer a receive of {@code length} bytes needs at most. */
    abstract int receiveLength(long length);

    /** FIONREAD: what a receive would find now; a socket always knows. */
    @Override
    abstract int available();

    /** A length the guest passed as a size_t: past Long.MAX_VALUE, as large as can be. */
    static long unsigned(long length) {
        return length < 0 ? Long.MAX_VALUE : length;
    }

    @Override
    int write(byte[] data) throws IOException {
        return send(data, List.of());
    }

    /** A read: files sent with what it takes are dropped (closed), as a plain read on Linux discards them. */
    @Override
    int read(byte[] buffer) throws IOException {
        return receiveDroppingFiles(buffer, false).count();
    }

    /** {@link #receive(byte[], boolean)} for a call that takes no files (read, recv): they are dropped (closed). */
    Received receiveDroppingFiles(byte[] buffer, boolean waitAll) throws IOException {
        Received got = receive(buffer, waitAll);
        dropAll(got.files());
        return got;
    }

    /** Drops the in-flight reference of each of {@code files} (null: none). */
    static void dropAll(List<OpenFile> files) throws IOException {
        if (files != null) {
            for (OpenFile file : files) {
                file.drop();
            }
        }
    }
}
