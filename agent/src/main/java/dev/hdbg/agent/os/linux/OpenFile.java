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
    /** What goes with the description when its last descriptor closes (its flock lock); null when nothing. */
    private Runnable onRelease;

    OpenFile(int statusFlags) {
        this.statusFlags = statusFlags;
    }

    int statusFlags() {
        return statusFlags;
    }

    /** O_NONBLOCK: a call that would wait fails with EAGAIN instead ({@link Blocked#unlessNonBlocking}). */
    boolean nonBlocking() {
        return (statusFlags & O_NONBLOCK) != 0;
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

    /** ftruncate: only a regular file open for writing has a length to set (EINVAL otherwise, as Linux says). */
    void setLength(long length) throws IOException {
        throw new SyscallException(Errno.EINVAL);
    }

    /** fallocate, mode 0: only a regular file's space can be allocated (ENODEV otherwise). */
    void allocate(long offset, long length) throws IOException {
        throw new SyscallException(Errno.ENODEV);
    }

    /** The {@code struct stat} bytes. */
    abstract byte[] stat() throws IOException;

    /** poll's view: whether a read would not block. */
    boolean readReady() {
        return true;
    }

    /**
     * poll's and epoll's POLLIN: what {@link #readReady} says, but for a pipe, whose end of file is POLLHUP alone:
     * Linux reports POLLIN there only while data waits (select counts either as readable).
     */
    boolean hasInput() {
        return readReady();
    }

    /** Whether an error waits for the next call (a refused connect's, for SO_ERROR): poll's POLLERR. */
    boolean hasError() {
        return false;
    }

    /** Whether the other side is gone for good (a pipe's writers all closed): epoll's EPOLLHUP. */
    boolean hungUp() {
        return false;
    }

    /**
     * An ioctl request beyond the generic ones every descriptor takes (FileSyscalls): a terminal's. ENOTTY for a file
     * that is not a terminal, as for a pipe or a regular file.
     */
    long ioctl(LinuxProcess process, int request, long argument) {
        throw new SyscallException(Errno.ENOTTY);
    }

    /** FIONREAD: the bytes a read would get now; ENOTTY for a file that cannot say, as for a device. */
    int available() throws IOException {
        throw new SyscallException(Errno.ENOTTY);
    }

    /**
     * Whether each write is one message and each read takes one (a datagram or seqpacket socket): readv then reads
     * once across its vectors, and a writev too long for one message fails whole.
     */
    boolean keepsMessages() {
        return false;
    }

    /** The pipe it is an end of (fcntl's F_GETPIPE_SZ and F_SETPIPE_SZ), or null. */
    Pipe pipe() {
        return null;
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
            if (onRelease != null) {
                onRelease.run();
            }
            release();
        }
    }

    /** Has {@code action} run when the last descriptor of this description closes (one action: a flock lock's). */
    final void whenReleased(Runnable action) {
        this.onRelease = action;
    }
}
