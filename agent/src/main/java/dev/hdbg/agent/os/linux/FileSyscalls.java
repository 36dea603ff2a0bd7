package dev.hdbg.agent.os.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/** System calls on descriptors: reading, writing, seeking, duplicating, pipes, directories read by descriptor. */
final class FileSyscalls {
    private static final int FIONBIO = 0x5421;
    private static final int FIONREAD = 0x541b;
    private static final int FIONCLEX = 0x5450;
    private static final int FIOCLEX = 0x5451;
    /** linux/fs.h MAX_RW_COUNT: the most one read or write moves. */
    static final long MAX_RW_COUNT = 0x7fff_f000L;
    static final int CHUNK = 1 << 20;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_DIRECT = 040000;
    private static final int F_DUPFD = 0;
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;
    private static final int F_SETFL = 4;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int F_GETPIPE_SZ = 1032;
    private static final int F_DUPFD_CLOEXEC = 1030;
    private static final int FD_CLOEXEC = 1;
    private static final int CLOSE_RANGE_UNSHARE = 1 << 1;
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;
    private final LockSyscalls locks;

    FileSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
        this.locks = new LockSyscalls(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(0, a -> read(a.i(0), a.a1(), a.a2()));
        table.put(1, a -> write(a.i(0), a.a1(), a.a2()));
        table.put(3, a -> {
            fds.close(a.i(0));
            return 0;
        });
        table.put(436, a -> { // close_range; CLOSE_RANGE_UNSHARE needs nothing, the table is the process's alone
            if ((a.i(2) & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0
                    || Integer.compareUnsigned(a.i(0), a.i(1)) > 0) {
                throw new SyscallException(Errno.EINVAL);
            }
            fds.closeRange(a.i(0), a.i(1), (a.i(2) & CLOSE_RANGE_CLOEXEC) != 0);
            return 0;
        });
        table.put(8, a -> fds.get(a.i(0)).seek(a.a1(), a.i(2)));
        table.put(16, a -> ioctl(a.i(0), a.i(1), a.a2()));
        // Writes reach the host file at once; there is nothing more to flush.
        table.put(74, a -> {
            fds.get(a.i(0));
            return 0;
        });
        table.put(75, a -> {
            fds.get(a.i(0));
            return 0;
        });
        table.put(162, a -> 0); // sync
        table.put(306, a -> { // syncfs
            fds.get(a.i(0));
            return 0;
        });
        table.put(19, a -> readv(a.i(0), a.a1(), a.i(2)));
        table.put(20, a -> writev(a.i(0), a.a1(), a.i(2)));
        table.put(22, a -> pipe(a.a0(), 0));
        table.put(293, a -> pipe(a.a0(), a.i(1)));
        table.put(32, a -> fds.install(fds.get(a.i(0)), 0, false));
        table.put(33, a -> dup3(a.i(0), a.i(1), 0, true));
        table.put(292, a -> dup3(a.i(0), a.i(1), a.i(2), false));
        table.put(72, a -> fcntl(a.i(0), a.i(1), a.a2()));
        table.put(217, a -> getdents64(a.i(0), a.a1(), a.a2()));
        table.put(221, a -> { // fadvise64: advice needs no action, but a pipe or stream has no page cache
            OpenFile file = fds.get(a.i(0));
            if (!(file instanceof HostFile || file instanceof DirectoryFile)) {
                throw new SyscallException(Errno.ESPIPE);
            }
            return 0;
        });
    }

    /**
     * Reads chunk by chunk into the guest; a regular file is read until {@code count} or its end, anything else
     * once, as a pipe returns what it has. The buffer is checked before each chunk is consumed.
     */
    private long read(int fd, long buffer, long count) throws IOException {
        OpenFile file = fds.readable(fd);
        long wanted = rwCount(count);
        long total = 0;
        while (total < wanted) {
            int n = (int) Math.min(CHUNK, wanted - total);
            if (!process.machine().memory().isMapped(buffer + total, n)) {
                if (total > 0) {
                    break;
                }
                throw new SyscallException(Errno.EFAULT);
            }
            // Straight into the guest's pages: a host file's read copies once, the kernel's copy.
            int got = process.machine().memory().fill(buffer + total, n, file::read);
            total += got;
            if (got < n || !(file instanceof HostFile)) {
                break;
            }
        }
        return total;
    }

    /** What one read or write of {@code count} bytes (unsigned, as the kernel takes it) moves at most. */
    static long rwCount(long count) {
        return Long.compareUnsigned(count, MAX_RW_COUNT) > 0 ? MAX_RW_COUNT : count;
    }

    private long write(int fd, long buffer, long count) throws IOException {
        OpenFile file = fds.writable(fd);
        long n = rwCount(count);
        if (n == 0 && file.keepsMessages()) {
            return writeTo(file, new byte[0]); // an empty message is sent, as Linux sends one
        }
        return writeChunked(file, buffer, n, 0);
    }

    /**
     * Writes {@code length} bytes from guest memory a chunk at a time: a 2 GiB write costs the agent a chunk of
     * memory, not 2 GiB, and reaches the host as records that fit in a frame. Like Linux, a fault, a wait or an error
     * after some bytes were written ends the write short; before any, it is the call's.
     *
     * @param done bytes of the same system call already written (writev's earlier vectors)
     */
    private long writeChunked(OpenFile file, long buffer, long length, long done) throws IOException {
        long total = 0;
        while (total < length) {
            int n = (int) Math.min(CHUNK, length - total);
            if (done + total > 0 && !process.machine().memory().isMapped(buffer + total, n)) {
                break;
            }
            int written;
            try {
                written = writeTo(file, user.read(buffer + total, n));
            } catch (SyscallException stopped) {
                if (done + total == 0) {
                    throw stopped;
                }
                // A short write: what was written is the result, as Linux returns it when a signal or an error (a
                // sealed memfd's end, a pipe's reader gone, which still sends SIGPIPE) stops the rest.
                break;
            }
            total += written;
            if (written < n) {
                break;
            }
        }
        return total;
    }

    /**
     * The generic requests every descriptor takes: FIONBIO (what Python's setblocking does), FIOCLEX and FIONCLEX, and
     * FIONREAD of a pipe, socket or file (the bytes a read would get now). The rest go to the file: a pseudo-terminal
     * answers the terminal requests ({@link TerminalEnd}); anything else fails with ENOTTY, as a pipe does.
     */
    private long ioctl(int fd, int request, long argument) throws IOException {
        OpenFile file = fds.get(fd);
        switch (request) {
            case FIONBIO -> {
                int on = user.readInt(argument);
                file.setStatusFlags(on != 0 ? file.statusFlags() | OpenFile.O_NONBLOCK
                        : file.statusFlags() & ~OpenFile.O_NONBLOCK);
            }
            case FIONREAD -> user.writeInt(argument, file.available());
            case FIOCLEX -> fds.setCloseOnExec(fd, true);
            case FIONCLEX -> fds.setCloseOnExec(fd, false);
            default -> {
                return file.ioctl(process, request, argument); // a terminal's requests; ENOTTY elsewhere
            }
        }
        return 0;
    }

    private int writeTo(OpenFile file, byte[] data) throws IOException {
        return writeTo(process, file, data);
    }

    /** A write to a pipe nobody reads any more fails with EPIPE and sends the writer SIGPIPE, as Linux does. */
    static int writeTo(LinuxProcess process, OpenFile file, byte[] data) throws IOException {
        try {
            return file.write(data);
        } catch (SyscallException e) {
            if (e.errno() == Errno.EPIPE) {
                // To the writing thread, as Linux sends it.
                process.signals().sendTo(process.scheduler().current(), SignalInfo.sentBy(Signals.SIGPIPE,
                        SignalInfo.SI_USER, process.config().pid(), Credentials.UID));
            }
            throw e;
        }
    }

    private long readv(int fd, long iov, int count) throws IOException {
        long[][] vectors = user.iovecs(iov, count);
        OpenFile file = fds.readable(fd);
        if (file.keepsMessages()) {
            return readMessage(file, vectors);
        }
        long total = 0;
        for (long[] v : vectors) {
            long got = read(fd, v[0], v[1]);
            total += got;
            if (got < v[1]) {
                break;
            }
        }
        return total;
    }

    /**
     * readv of a datagram or seqpacket socket: one message, scattered across the vectors (a read per vector would
     * take a message each). The buffers are checked before the message is taken, so a fault loses none.
     */
    private long readMessage(OpenFile file, long[][] vectors) throws IOException {
        long room = Math.min(UserMemory.totalLength(vectors), CHUNK);
        for (long[] v : vectors) {
            user.requireMapped(v[0], v[1]);
        }
        byte[] data = new byte[(int) room];
        int got = file.read(data);
        user.scatter(vectors, data, got);
        return got;
    }

    /** One write of the concatenation, so the bytes reach {@link ProcessIo} together as a pipe would. */
    private long writev(int fd, long iov, int count) throws IOException {
        OpenFile file = fds.writable(fd);
        long[][] vectors = user.iovecs(iov, count);
        long sum = UserMemory.totalLength(vectors);
        long total = 0;
        if (sum > CHUNK && file.keepsMessages()) {
            throw new SyscallException(Errno.EMSGSIZE); // one message, longer than any a socket takes
        }
        if (sum <= CHUNK) {
            // Small (the usual printf): one write, so a pipe or the host sees the vectors together, as writev promises.
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (long[] v : vectors) {
                joined.writeBytes(user.read(v[0], v[1]));
            }
            return writeTo(file, joined.toByteArray());
        }
        for (long[] v : vectors) {
            long wanted = Math.min(v[1], MAX_RW_COUNT - total);
            long written = writeChunked(file, v[0], wanted, total);
            total += written;
            if (written < v[1] || total >= MAX_RW_COUNT) {
                break;
            }
        }
        return total;
    }

    private long pipe(long fdsAddress, int flags) throws IOException {
        if ((flags & ~(O_CLOEXEC | OpenFile.O_NONBLOCK | O_DIRECT)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        user.requireMapped(fdsAddress, 8);
        Pipe pipe = new Pipe(process.scheduler());
        if ((flags & OpenFile.O_NONBLOCK) != 0) {
            pipe.readEnd.setStatusFlags(OpenFile.O_NONBLOCK);
            pipe.writeEnd.setStatusFlags(OpenFile.O_NONBLOCK);
        }
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        int readFd = fds.install(pipe.readEnd, 0, cloexec);
        int writeFd;
        try {
            writeFd = fds.install(pipe.writeEnd, 0, cloexec);
        } catch (SyscallException full) {
            fds.close(readFd);
            throw full;
        }
        user.write(fdsAddress, UserMemory.struct(8).putInt(readFd).putInt(writeFd).array());
        return 0;
    }

    /** dup2 when {@code legacy} (same descriptors: a no-op), dup3 otherwise (same descriptors: EINVAL). */
    private long dup3(int oldFd, int newFd, int flags, boolean legacy) throws IOException {
        OpenFile file = fds.get(oldFd);
        if ((flags & ~O_CLOEXEC) != 0 || !legacy && oldFd == newFd) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (oldFd != newFd) {
            fds.installAt(newFd, file, (flags & O_CLOEXEC) != 0);
        }
        return newFd;
    }

    private long fcntl(int fd, int command, long argument) throws IOException {
        OpenFile file = fds.get(fd);
        return switch (command) {
            case F_DUPFD -> fds.install(file, (int) argument, false);
            case F_DUPFD_CLOEXEC -> fds.install(file, (int) argument, true);
            case F_GETFD -> fds.closeOnExec(fd) ? FD_CLOEXEC : 0;
            case F_SETFD -> {
                fds.setCloseOnExec(fd, (argument & FD_CLOEXEC) != 0);
                yield 0;
            }
            case F_GETFL -> file.statusFlags();
            case F_SETFL -> {
                file.setStatusFlags((int) argument);
                yield 0;
            }
            case LockSyscalls.F_GETLK, LockSyscalls.F_SETLK, LockSyscalls.F_SETLKW ->
                    locks.recordLock(fd, file, command, argument);
            case F_SETPIPE_SZ -> pipeOf(file).resize(argument);
            case F_GETPIPE_SZ -> pipeOf(file).capacity();
            case F_ADD_SEALS -> {
                addSeals(file, (int) argument);
                yield 0;
            }
            case F_GET_SEALS -> sealsOf(file).get();
            default -> throw new SyscallException(Errno.EINVAL);
        };
    }

    /**
     * F_ADD_SEALS: Linux asks for a description open for writing before it asks whether the file can be sealed at all,
     * then {@link MemfdSeals#add}; a new {@code F_SEAL_WRITE} waits for no shared mapping that may write the file.
     */
    private void addSeals(OpenFile file, int seals) throws IOException {
        if (!file.writable()) {
            throw new SyscallException(Errno.EPERM);
        }
        MemfdSeals sealed = sealsOf(file);
        HostFile sealable = (HostFile) file; // sealsOf took no other
        sealed.add(seals, Stat.permissions(sealable.stat()), () -> process.table().mapsForWriting(sealable.fileKey()));
    }

    /**
     * A memfd's seals. A file of the program's /dev/shm, a tmpfs on Linux (shm_open's), answers as a memfd made
     * without MFD_ALLOW_SEALING does, sealed against seals; any other file cannot be sealed (EINVAL).
     */
    private static MemfdSeals sealsOf(OpenFile file) {
        if (file instanceof HostFile host && host.seals() != null) {
            return host.seals();
        }
        if (file instanceof HostFile host && host.guestPath().startsWith("/dev/shm/")) {
            return new MemfdSeals(MemfdSeals.F_SEAL_SEAL); // nothing added to it is kept: F_SEAL_SEAL refuses all
        }
        throw new SyscallException(Errno.EINVAL);
    }

    /** The pipe {@code file} is an end of: EBADF for anything else, as Linux answers the pipe commands. */
    private static Pipe pipeOf(OpenFile file) {
        Pipe pipe = file.pipe();
        if (pipe == null) {
            throw new SyscallException(Errno.EBADF);
        }
        return pipe;
    }

    private long getdents64(int fd, long buffer, long count) throws IOException {
        if (!(fds.get(fd) instanceof DirectoryFile directory)) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        int capacity = (int) Math.min(Long.compareUnsigned(count, CHUNK) > 0 ? CHUNK : count, CHUNK);
        user.requireMapped(buffer, capacity);
        byte[] records = directory.nextEntries(capacity);
        user.write(buffer, records);
        return records.length;
    }
}
