package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A descriptor opened with O_PATH that is no directory: it names a file, or with O_NOFOLLOW a symbolic link itself,
 * without opening it for reading or writing. glibc's fchmodat with AT_SYMLINK_NOFOLLOW (tar extracting a link) opens
 * one, asks fstatat what it is, and refuses a link with EOPNOTSUPP, which tar then passes over.
 */
final class PathFile extends OpenFile {
    private final Path host;
    private final String guestPath;

    PathFile(Path host, String guestPath) {
        super(O_RDONLY);
        this.host = host;
        this.guestPath = guestPath;
    }

    String guestPath() {
        return guestPath;
    }

    @Override
    boolean readable() {
        return false;
    }

    @Override
    boolean writable() {
        return false;
    }

    @Override
    int read(byte[] buffer) {
        throw new SyscallException(Errno.EBADF);
    }

    @Override
    int write(byte[] data) {
        throw new SyscallException(Errno.EBADF);
    }

    @Override
    byte[] stat() throws IOException {
        return Stat.of(host, false);
    }
}
