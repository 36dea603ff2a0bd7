package dev.hdbg.agent.os.linux;

import java.util.Map;

/** flock (73): advisory whole-file locks between the program's processes ({@link FileLocks}). */
final class LockSyscalls {
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;

    private final FdTable fds;
    private final FileLocks locks;

    LockSyscalls(LinuxProcess process) {
        this.fds = process.fds();
        this.locks = process.table().locks();
    }

    void register(Map<Integer, Handler> table) {
        table.put(73, a -> flock(a.i(0), a.i(1)));
    }

    private long flock(int fd, int operation) {
        OpenFile file = fds.get(fd);
        int kind = operation & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
            throw new SyscallException(Errno.EINVAL);
        }
        Object key = identity(file);
        if (kind == LOCK_UN) {
            locks.unlock(key, file);
        } else {
            locks.lock(key, name(file, fd), file, kind == LOCK_EX, (operation & LOCK_NB) == 0);
        }
        return 0;
    }

    /** A host file by its device and inode ({@link HostFile#lockKey}), anything else by its description. */
    private static Object identity(OpenFile file) {
        return file instanceof HostFile host ? host.lockKey() : file;
    }

    private static String name(OpenFile file, int fd) {
        return file instanceof HostFile host ? host.guestPath() : "descriptor " + fd;
    }
}
