package dev.hdbg.agent.os.linux;

import java.io.IOException;

/**
 * socketpair's two connected stream sockets (Python's asyncio wakes its event loop through one), each end reading the
 * pipe the other writes: what one sends the other receives, in order, with the pipes' waits, end of file once the
 * other end is closed or shut for writing, and EPIPE to a writer whose reader is gone.
 */
final class SocketPair {
    final End first;
    final End second;

    SocketPair(Scheduler scheduler, int statusFlags) {
        Pipe ab = new Pipe(scheduler);
        Pipe ba = new Pipe(scheduler);
        first = new End(ba, ab, statusFlags);
        second = new End(ab, ba, statusFlags);
    }

    /** One end: it reads {@code in} and writes {@code out}; O_NONBLOCK (SOCK_NONBLOCK, F_SETFL) reaches both. */
    static final class End extends OpenFile {
        private final Pipe in;
        private final Pipe out;
        private boolean readShut;
        private boolean writeShut;

        private End(Pipe in, Pipe out, int statusFlags) {
            super(O_RDWR | statusFlags);
            this.in = in;
            this.out = out;
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
        int read(byte[] buffer) throws IOException {
            return readShut ? 0 : in.readEnd.read(buffer);
        }

        @Override
        int write(byte[] data) throws IOException {
            if (writeShut) {
                throw new SyscallException(Errno.EPIPE);
            }
            return out.writeEnd.write(data);
        }

        @Override
        boolean readReady() {
            return readShut || in.readEnd.readReady();
        }

        /** recv with MSG_PEEK: what a read would get, left to be read. */
        int peek(byte[] buffer) {
            return readShut ? 0 : in.peek(buffer, in.readEnd);
        }

        @Override
        int available() {
            return readShut ? 0 : in.buffered();
        }

        @Override
        boolean hungUp() {
            return in.readEnd.hungUp() && (writeShut || out.writeEnd.hungUp());
        }

        /** shutdown: SHUT_RD (0), SHUT_WR (1: the other end reads end of file) or SHUT_RDWR (2). */
        void shutdown(int how) throws IOException {
            if (how < 0 || how > 2) {
                throw new SyscallException(Errno.EINVAL);
            }
            if (how != 1 && !readShut) {
                readShut = true;
                in.readEnd.release();
            }
            if (how != 0 && !writeShut) {
                writeShut = true;
                out.writeEnd.release();
            }
        }

        @Override
        byte[] stat() {
            return Stat.synthetic(Stat.S_IFSOCK | 0777, 0, 0x20001, Credentials.UID, Credentials.GID);
        }

        @Override
        void release() throws IOException {
            shutdown(2);
        }
    }
}
