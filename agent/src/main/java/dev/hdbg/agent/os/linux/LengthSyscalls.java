package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** A file's length: truncate, ftruncate (truncate, shred, databases sizing their files) and fallocate. */
final class LengthSyscalls {
    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;
    private final WriteAccess writeAccess;

    LengthSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
        this.writeAccess = new WriteAccess(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(76, a -> truncate(a.a0(), a.a1()));
        table.put(77, a -> {
            OpenFile file = fds.get(a.i(0));
            if (file instanceof HostFile host && host.writable()) {
                host.cut(process.machine().memory(), a.a1());
            } else {
                file.setLength(a.a1());
            }
            return 0;
        });
        table.put(285, a -> fallocate(a.i(0), a.i(1), a.a2(), a.a3()));
    }

    private long truncate(long pathAddress, long length) throws IOException {
        Sandbox.Resolved resolved = process.resolve(PathSyscalls.AT_FDCWD, user.cString(pathAddress), true);
        if (length < 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        // Linux's order: the file found, then what it is, then whether its file system is writable.
        if (!resolved.isVirtual() && Files.isDirectory(resolved.host())) {
            throw new SyscallException(Errno.EISDIR);
        }
        writeAccess.existingToChange(resolved);
        if (!Files.isRegularFile(resolved.host())) {
            throw new SyscallException(Errno.EINVAL);
        }
        FileCuts.before(process.machine().memory(), resolved.host(), length);
        HostLengths.truncate(resolved.host(), length); // grown with a hole, as Linux's
        process.table().fileWatches().onPath(resolved.host(), true, FileWatches.IN_MODIFY);
        return 0;
    }

    /**
     * Mode 0 only (posix_fallocate's): the range's blocks are allocated, the file grows to {@code offset + length}
     * when shorter. The other modes
     * (keeping the size, punching or zeroing a range) are EOPNOTSUPP, as on a file system without them; glibc's
     * posix_fallocate then writes the range itself.
     */
    private long fallocate(int fd, int mode, long offset, long length) throws IOException {
        OpenFile file = fds.get(fd);
        if (offset < 0 || length <= 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (offset + length < 0) {
            throw new SyscallException(Errno.EFBIG);
        }
        if (mode != 0) {
            throw new SyscallException(Errno.EOPNOTSUPP);
        }
        file.allocate(offset, length);
        return 0;
    }
}
