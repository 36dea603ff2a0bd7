package dev.hdbg.agent.os.linux;

/**
 * A made-up regular file ({@code /proc/self/maps} and the like) opened for reading: its bytes, taken when it was
 * opened, read like a file's, with an offset.
 */
final class MemoryFile extends OpenFile {
    private final byte[] content;
    private final byte[] stat;
    private long position;

    MemoryFile(byte[] content, byte[] stat, int statusFlags) {
        super(statusFlags);
        this.content = content;
        this.stat = stat;
    }

    @Override
    int read(byte[] buffer) {
        int n = pread(buffer, position);
        position += n;
        return n;
    }

    @Override
    int pread(byte[] buffer, long offset) {
        if (offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset >= content.length) {
            return 0;
        }
        int n = (int) Math.min(buffer.length, content.length - offset);
        System.arraycopy(content, (int) offset, buffer, 0, n);
        return n;
    }

    @Override
    long seek(long offset, int whence) {
        long base = switch (whence) {
            case HostFile.SEEK_SET -> 0;
            case HostFile.SEEK_CUR -> position;
            case HostFile.SEEK_END -> content.length;
            default -> throw new SyscallException(Errno.EINVAL);
        };
        if (base + offset < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        position = base + offset;
        return position;
    }

    @Override
    byte[] stat() {
        return stat.clone();
    }
}
