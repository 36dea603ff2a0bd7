package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The copies the kernel makes from one descriptor to another without the program's memory in between: sendfile (busybox
 * cat sends its files with it) and copy_file_range (cp).
 */
final class CopySyscalls {
    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;

    CopySyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(40, a -> sendfile(a.i(0), a.i(1), a.a2(), a.a3()));
        table.put(326, a -> copyFileRange(a.i(0), a.a1(), a.i(2), a.a3(), a.a4(), a.i(5)));
    }

    /**
     * copy_file_range: sendfile's copy between two regular files, each at its own offset when one is given (the
     * descriptor's offset then stays). Anything but two host files is EINVAL, on which cp falls back to read and write.
     */
    private long copyFileRange(int inFd, long inOffset, int outFd, long outOffset, long count, int flags)
            throws IOException {
        if (flags != 0 || !(fds.get(inFd) instanceof HostFile) || !(fds.writable(outFd) instanceof HostFile out)) {
            throw new SyscallException(Errno.EINVAL);
        }
        if ((out.statusFlags() & OpenFile.O_APPEND) != 0) {
            throw new SyscallException(Errno.EBADF);
        }
        if (outOffset == 0) {
            return sendfile(outFd, inFd, inOffset, count);
        }
        long kept = out.seek(0, HostFile.SEEK_CUR);
        long at = user.readLong(outOffset);
        out.seek(at, HostFile.SEEK_SET);
        try {
            long copied = sendfile(outFd, inFd, inOffset, count);
            user.writeLong(outOffset, at + copied);
            return copied;
        } finally {
            out.seek(kept, HostFile.SEEK_SET);
        }
    }

    /**
     * sendfile: copies what the output takes, and moves the input's offset by that much. A pipe takes what it has room
     * for (busybox cat sends a 4 MiB file into a pipe of 64 KiB), so the input is read no further than the room, and
     * bytes read but not taken (a socket's short write, a failed write) are given back to the input: none is lost. A
     * full pipe ends the call short, or waits before the first byte (EAGAIN when the output is non-blocking).
     */
    private long sendfile(int outFd, int inFd, long offsetAddress, long count) throws IOException {
        OpenFile in = fds.readable(inFd);
        OpenFile out = fds.writable(outFd);
        if ((out.statusFlags() & OpenFile.O_APPEND) != 0) {
            throw new SyscallException(Errno.EINVAL); // "not currently supported", says Linux; busybox then writes
        }
        boolean positioned = offsetAddress != 0;
        long start = positioned ? user.readLong(offsetAddress) : seekableOffset(in);
        long wanted = FileSyscalls.rwCount(count);
        long total = 0;
        try {
            while (total < wanted) {
                int chunk = chunkFor(out, wanted - total, total == 0);
                if (chunk == 0) {
                    break; // a pipe full after some bytes: a short count, as Linux returns it
                }
                byte[] data = new byte[chunk];
                int got = in.pread(data, start + total);
                if (got <= 0) {
                    break;
                }
                int taken;
                try {
                    taken = FileSyscalls.writeTo(process, out, got == data.length ? data : Arrays.copyOf(data, got));
                } catch (SyscallException e) { // a wait, EAGAIN, EPIPE: the call's own only before the first byte
                    if (total == 0) {
                        throw e;
                    }
                    break;
                }
                total += taken;
                if (taken < got) {
                    break;
                }
            }
        } finally {
            if (positioned) {
                user.writeLong(offsetAddress, start + total);
            } else {
                in.seek(start + total, HostFile.SEEK_SET);
            }
        }
        return total;
    }

    /** The input's own offset, where a sendfile without one starts; EINVAL for what has none (a pipe, a socket). */
    private static long seekableOffset(OpenFile in) throws IOException {
        try {
            return in.seek(0, HostFile.SEEK_CUR);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESPIPE) {
                throw new SyscallException(Errno.EINVAL);
            }
            throw e;
        }
    }

    /**
     * How much of {@code left} to read for one write to {@code out}: a pipe's free room, a chunk for anything else. A
     * full pipe gets one byte on the call's first write, so that it waits or fails as a write would, and none after.
     */
    private static int chunkFor(OpenFile out, long left, boolean first) {
        Pipe pipe = out.pipe();
        long room = pipe != null ? pipe.room() : FileSyscalls.CHUNK;
        if (room <= 0) {
            return first ? 1 : 0;
        }
        return (int) Math.min(Math.min(room, FileSyscalls.CHUNK), left);
    }
}
