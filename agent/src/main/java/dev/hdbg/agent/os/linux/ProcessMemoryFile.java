package dev.hdbg.agent.os.linux;

/**
 * {@code /proc/PID/mem} opened: a process's memory as a file whose offsets are its addresses, as debuggers (gdb reads
 * and writes a tracee's memory there), memory scanners and self-patching programs use it. A read or write reaches
 * the process as a tracer's PTRACE_PEEKDATA and POKEDATA do ({@link TraceeMemory}): a write to read-only code
 * succeeds, as Linux's FOLL_FORCE writes it; a range that is not mapped fails with EIO (a read of it that got
 * nothing), as Linux's mem_rw does. The size reads as 0.
 */
final class ProcessMemoryFile extends OpenFile {
    private final LinuxProcess target;
    private final byte[] stat;
    private long position;

    ProcessMemoryFile(LinuxProcess target, byte[] stat, int statusFlags) {
        super(statusFlags);
        this.target = target;
        this.stat = stat;
    }

    @Override
    boolean writable() {
        return (statusFlags() & O_ACCMODE) != O_RDONLY;
    }

    @Override
    int read(byte[] buffer) {
        int n = pread(buffer, position);
        position += n;
        return n;
    }

    @Override
    int write(byte[] data) {
        int n = pwrite(data, position);
        position += n;
        return n;
    }

    @Override
    int pread(byte[] buffer, long offset) {
        byte[] bytes = memory().read(live(), offset, buffer.length);
        if (bytes == null) {
            throw new SyscallException(Errno.EIO);
        }
        System.arraycopy(bytes, 0, buffer, 0, bytes.length);
        return bytes.length;
    }

    @Override
    int pwrite(byte[] data, long offset) {
        if (!memory().write(live(), offset, data)) {
            throw new SyscallException(Errno.EIO);
        }
        return data.length;
    }

    @Override
    long seek(long offset, int whence) {
        position = switch (whence) {
            case HostFile.SEEK_SET -> offset;
            case HostFile.SEEK_CUR -> position + offset;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        return position;
    }

    @Override
    byte[] stat() {
        return stat.clone();
    }

    /** The process whose memory this is, while it has any (an ended one has none: a read gets nothing). */
    private LinuxProcess live() {
        if (target.ended()) {
            throw new SyscallException(Errno.EIO);
        }
        return target;
    }

    /** The memory as the caller reaches it: the process whose thread is on the CPU now, which holds the file. */
    private TraceeMemory memory() {
        return new TraceeMemory(target.table().current());
    }
}
