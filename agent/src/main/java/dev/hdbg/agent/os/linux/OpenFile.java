package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file description: what one or more descriptors refer to after {@code dup}. It holds the status flags
 * and the offset, so they are shared between duplicates as on Linux. Operations a kind of file does not have fail
 * with the errno Linux gives for them.
 */
abstract class OpenFile {
    static final int O_ACCMODE = 3;
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_APPEND = 02000;
    static final int O_NONBLOCK = 04000;

    private int statusFlags;
    private int references;

    OpenFile(int statusFlags) {
        this.statusFlags = statusFlags;
    }

    int statusFlags() {
        return statusFlags;
    }

    /** F_SETFL: only O_APPEND and O_NONBLOCK change, as on Linux. */
    void setStatusFlags(int flags) {
        int changeable = O_APPEND | O_NONBLOCK;
        statusFlags = statusFlags & ~changeable | flags & changeable;
    }

    boolean readable() {
        return (statusFlags & O_ACCMODE) != O_WRONLY;
    }

    boolean writable() {
        return (statusFlags & O_ACCMODE) != O_RDONLY;
    }

    /** Reads up to {@code buffer.length} bytes; 0 at end of file. */
    int read(byte[] buffer) throws IOException {
        throw new SyscallException(Errno.EINVAL);
    }

    /** Writes {@code data}, returning how much was taken. */
    int write(byte[] data) throws IOException {
        throw new SyscallException(Errno.EINVAL);
    }

    /** Reads at {@code offset} without moving the file offset. */
    int pread(byte[] buffer, long offset) throws IOException {
        throw new SyscallException(Errno.ESPIPE);
    }

    /** Writes {@code data} at {@code offset} without moving the file offset; all of it. */
    int pwrite(byte[] data, long offset) throws IOException {
        throw new SyscallException(Errno.ESPIPE);
    }

    /**
     * {@link #read(byte[])} into {@code into}, from its position up to its limit: guest memory itself, for a read
     * system call ({@link dev.hdbg.agent.machine.GuestMemory#fill}). Through an array here; a host file reads straight
     * into it.
     */
    int read(ByteBuffer into) throws IOException {
        byte[] data = new byte[into.remaining()];
        int got = read(data);
        into.put(data, 0, got);
        return got;
    }

    /** {@link #pread(byte[], long)} into {@code into}, as {@link #read(ByteBuffer)}. */
    int pread(ByteBuffer into, long offset) throws IOException {
        byte[] data = new byte[into.remaining()];
        int got = pread(data, offset);
        into.put(data, 0, got);
        return got;
    }

    /** lseek: the new offset. */
    long seek(long offset, int whence) throws IOException {
        throw new SyscallException(Errno.ESPIPE);
    }

    /** The {@code struct stat} bytes. */
    abstract byte[] stat() throws IOException;

    /** poll's view: whether a read would not block. */
    boolean readReady() {
        return true;
    }

    /** Frees host resources when the last descriptor is closed. */
    void release() throws IOException {
    }

    final void retain() {
        references++;
    }

    /** Drops one descriptor's reference; releases on the last. */
    final void drop() throws IOException {
        if (--references == 0) {
            release();
        }
    }
}
