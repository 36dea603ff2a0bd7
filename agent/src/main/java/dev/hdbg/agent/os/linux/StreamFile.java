package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A standard stream with no host file: fd 1 and 2 feeding {@link ProcessIo}, or an empty stdin. Their
 * {@code st_mode} is what a native run under a harness sees, so glibc picks the same buffering.
 */
final class StreamFile extends OpenFile {
    /** makedev(1, 3): /dev/null, what an empty stdin is natively. */
    private static final long DEV_NULL = 0x103;

    private final Consumer<byte[]> sink;
    private final int mode;
    private final long ino;

    private StreamFile(Consumer<byte[]> sink, int statusFlags, int mode, long ino) {
        super(statusFlags);
        this.sink = sink;
        this.mode = mode;
        this.ino = ino;
    }

    /** An stdin that is at end of file at once, a character device like /dev/null. */
    static StreamFile emptyInput() {
        return new StreamFile(null, O_RDONLY, Stat.S_IFCHR | 0666, 1);
    }

    /** The guest's /dev/null, which needs no device node beneath the root. */
    static StreamFile nullDevice(int statusFlags) {
        return new StreamFile(null, statusFlags, Stat.S_IFCHR | 0666, 4);
    }

    /** An output stream; {@code mode} is its file type and permissions for fstat. */
    static StreamFile output(Consumer<byte[]> sink, int mode, long ino) {
        return new StreamFile(sink, O_WRONLY, mode, ino);
    }

    @Override
    int read(byte[] buffer) {
        return 0;
    }

    @Override
    int write(byte[] data) {
        if (sink == null) {
            return data.length; // like /dev/null
        }
        sink.accept(data);
        return data.length;
    }

    /** Whether this is /dev/null (the device, or an empty stdin, which natively is /dev/null too). */
    boolean isNullDevice() {
        return (mode & Stat.S_IFMT) == Stat.S_IFCHR;
    }

    @Override
    long seek(long offset, int whence) throws IOException {
        if (isNullDevice()) {
            return 0; // Linux's /dev/null seeks anywhere and stays at 0
        }
        return super.seek(offset, whence);
    }

    @Override
    byte[] stat() {
        return Stat.synthetic(mode, (mode & Stat.S_IFMT) == Stat.S_IFCHR ? DEV_NULL : 0, ino, Credentials.UID,
                Credentials.GID);
    }
}
