package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * socketpair's two connected stream sockets (Python's asyncio wakes its event loop through one), each end reading the
 * pipe the other writes: what one sends the other receives, in order, with the pipes' waits, end of file once the
 * other end is closed or shut for writing, and EPIPE to a writer whose reader is gone. Open files sent with the bytes
 * ({@code SCM_RIGHTS}: {@link MessageSyscalls}) travel beside them, each set with the byte it came with.
 *
 * <p>A TCP connection on the machine's loopback is such a pair with TCP's resets, as Linux's: a first write to a
 * peer that closed succeeds and draws a reset (POLLERR, then EPIPE), and a close with bytes unread resets the peer
 * (its next read is ECONNRESET, then end of file; its writes EPIPE).
 */
final class SocketPair {
    final End first;
    final End second;

    SocketPair(Scheduler scheduler, int statusFlags) {
        this(scheduler, statusFlags, false);
    }

    /** {@code tcp}: the two ends of a TCP connection, with TCP's resets. */
    SocketPair(Scheduler scheduler, int statusFlags, boolean tcp) {
        Pipe ab = new Pipe(scheduler);
        Pipe ba = new Pipe(scheduler);
        ArrayDeque<Passed> abFiles = new ArrayDeque<>();
        ArrayDeque<Passed> baFiles = new ArrayDeque<>();
        first = new End(ba, ab, baFiles, abFiles, statusFlags, tcp);
        second = new End(ab, ba, abFiles, baFiles, statusFlags, tcp);
        first.peer = second;
        second.peer = first;
    }

    /**
     * Open files in flight, sent with the {@code length} bytes from {@code position} of the stream (counted from its
     * first byte): each holds a reference until it is received or dropped.
     */
    record Passed(long position, long length, List<OpenFile> files) {
        void drop() throws IOException {
            for (OpenFile file : files) {
                file.drop();
            }
        }
    }

    /** One end: it reads {@code in} and writes {@code out}; O_NONBLOCK (SOCK_NONBLOCK, F_SETFL) reaches both. */
    static final class End extends Connection {
        private final Pipe in;
        private final Pipe out;
        /** The files sent with bytes of {@code in} and not received yet, and those this end sent with {@code out}. */
        private final ArrayDeque<Passed> inFiles;
        private final ArrayDeque<Passed> outFiles;
        /** Bytes this end has read from {@code in} and written to {@code out}: where a passed set belongs. */
        private long received;
        private long sent;
        private boolean readShut;
        private boolean writeShut;
        private final boolean tcp;
        private End peer;
        /** A TCP end its peer reset: its writes fail with EPIPE. */
        private boolean reset;
        /** The reset's error for the next call (and SO_ERROR), EPIPE or ECONNRESET; 0: none. */
        private int resetError;

        private End(Pipe in, Pipe out, ArrayDeque<Passed> inFiles, ArrayDeque<Passed> outFiles, int statusFlags,
                boolean tcp) {
            super(statusFlags);
            this.tcp = tcp;
            this.in = in;
            this.out = out;
            this.inFiles = inFiles;
            this.outFiles = outFiles;
            in.readEnd.setStatusFlags(statusFlags);
            out.writeEnd.setStatusFlags(statusFlags);
        }

        @Override
        void setStatusFlags(int flags) {
            super.setStatusFlags(flags);
            in.readEnd.setStatusFlags(flags);
            out.writeEnd.setStatusFlags(flags);
        }

        @Override
        int type() {
            return SocketSyscalls.SOCK_STREAM;
        }

        /**
         * A read that takes the files sent with the first message whose first byte it reaches, and ends with that
         * message, as Linux's Unix stream sockets read: bytes without files before it come along; the next message
         * with files waits for the next read.
         */
        @Override
        Received receive(byte[] buffer, boolean waitAll) throws IOException {
            if (resetError == Errno.ECONNRESET) {
                throw new SyscallException(takeError());
            }
            if (readShut) {
                return new Received(0, 0, null, null);
            }
            // MSG_WAITALL: nothing is taken until all of it is there, the writer is gone, or the pipe is full (a
            // buffer past its capacity comes back short rather than never); a wait is made again from the start.
            int wanted = Math.min(buffer.length, in.capacity());
            if (waitAll && in.buffered() > 0 && in.buffered() < wanted && !in.readEnd.hungUp()
                    && !nonBlocking()) {
                throw new Blocked(in);
            }
            Passed next = inFiles.peekFirst();
            byte[] into = buffer;
            if (next != null && next.position() < received + buffer.length) {
                into = new byte[(int) Math.min(buffer.length, next.position() + next.length() - received)];
            }
            int n = in.readEnd.read(into);
            if (into != buffer) {
                System.arraycopy(into, 0, buffer, 0, n);
            }
            received += n;
            Passed files = next != null && next.position() < received ? inFiles.pollFirst() : null;
            return new Received(n, n, files == null ? null : files.files(), null);
        }

        /**
         * {@code data} written, as much as the pipe takes, and {@code files} (SCM_RIGHTS) sent with its first byte:
         * a stream sends no files without a byte to carry them.
         */
        @Override
        int send(byte[] data, List<OpenFile> files) throws IOException {
            if (writeShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            if (reset) {
                int errno = takeError();
                throw new SyscallException(errno != 0 ? errno : Errno.EPIPE);
            }
            if (tcp && out.writeEnd.hungUp()) { // the peer is gone: the bytes go, and a reset comes back
                reset = true;
                resetError = Errno.EPIPE;
                return data.length;
            }
            long first = sent;
            int n = out.writeEnd.write(data);
            sent += n;
            if (n > 0 && !files.isEmpty()) {
                files.forEach(OpenFile::retain);
                outFiles.addLast(new Passed(first, n, List.copyOf(files)));
            }
            return n;
        }

        @Override
        boolean readReady() {
            return readShut || resetError != 0 || in.readEnd.readReady();
        }

        @Override
        boolean hasError() {
            return resetError != 0;
        }

        @Override
        int takeError() {
            int errno = resetError;
            resetError = 0;
            return errno;
        }

        @Override
        Received peek(byte[] buffer) {
            int n = readShut ? 0 : in.peek(buffer, in.readEnd);
            return new Received(n, n, null, null);
        }

        @Override
        int sendLength(long length) {
            return (int) Math.min(unsigned(length), Pipe.CAPACITY);
        }

        @Override
        int receiveLength(long length) {
            return (int) Math.min(unsigned(length), Pipe.CAPACITY);
        }

        @Override
        int available() {
            return readShut ? 0 : in.buffered();
        }

        /** POLLHUP: shut both ways, by its own shutdown or its peer's (a peer's close shuts both). */
        @Override
        boolean hungUp() {
            return (readShut || in.readEnd.hungUp()) && (writeShut || out.writeEnd.hungUp());
        }

        /** shutdown: SHUT_WR makes the other end read end of file. */
        @Override
        void shutdown(int how) throws IOException {
            if (how < 0 || how > 2) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (how != 1 && !readShut) {
                readShut = true;
                in.readEnd.release();
                while (!inFiles.isEmpty()) {
                    inFiles.pollFirst().drop(); // files no one will receive are closed
                }
            }
            if (how != 0 && !writeShut) {
                writeShut = true;
                out.writeEnd.release();
            }
        }

        /** Its last descriptor closed: a TCP end with bytes unread resets its peer, as Linux's close does. */
        @Override
        void release() throws IOException {
            if (tcp && !readShut && in.buffered() > 0 && peer != null) {
                peer.reset = true;
                peer.resetError = Errno.ECONNRESET;
            }
            shutdown(2);
        }
    }
}
