package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * flock (73): advisory whole-file locks between the program's processes ({@link FileLocks}); and fcntl's record locks
 * (F_GETLK, F_SETLK, F_SETLKW), which {@link FileSyscalls}' fcntl hands here ({@link RecordLocks}).
 */
final class LockSyscalls {
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int LOCK_UN = 8;

    static final int F_GETLK = 5;
    static final int F_SETLK = 6;
    static final int F_SETLKW = 7;
    private static final short F_RDLCK = 0;
    private static final short F_WRLCK = 1;
    private static final short F_UNLCK = 2;
    /** struct flock: l_type, l_whence (shorts), l_start, l_len (longs, at 8 and 16), l_pid (int, at 24). */
    private static final int FLOCK_SIZE = 32;

    private final LinuxProcess process;
    private final FdTable fds;
    private final FileLocks locks;

    LockSyscalls(LinuxProcess process) {
        this.process = process;
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

    /**
     * fcntl's F_GETLK, F_SETLK and F_SETLKW on {@code file} (descriptor {@code fd}), the struct flock at
     * {@code address}: regular files only (EINVAL otherwise); a read lock needs the file open for reading, a write
     * lock open for writing (EBADF).
     */
    long recordLock(int fd, OpenFile file, int command, long address) throws IOException {
        if (!(file instanceof HostFile host)) {
            throw new SyscallException(Errno.EINVAL);
        }
        ByteBuffer flock = UserMemory.struct(FLOCK_SIZE).put(process.user().read(address, FLOCK_SIZE)).flip();
        short type = flock.getShort(0);
        long base = switch (flock.getShort(2)) {
            case HostFile.SEEK_SET -> 0;
            case HostFile.SEEK_CUR -> host.position();
            case HostFile.SEEK_END -> host.size();
            default -> throw new SyscallException(Errno.EINVAL);
        };
        long start = base + flock.getLong(8);
        long length = flock.getLong(16);
        long end = length == 0 ? RecordLocks.TO_END : start + length;
        if (length < 0) {
            end = start;
            start += length;
        }
        if (start < 0 || end < start || type < F_RDLCK || type > F_UNLCK) {
            throw new SyscallException(Errno.EINVAL);
        }
        RecordLocks records = process.table().recordLocks();
        Object key = host.fileKey();
        long pid = process.pid();
        if (command == F_GETLK) {
            RecordLocks.Range conflict = type == F_UNLCK ? null : records.conflict(key, pid, start, end, type == F_WRLCK);
            ByteBuffer answer = UserMemory.struct(FLOCK_SIZE);
            if (conflict == null) {
                answer.put(process.user().read(address, FLOCK_SIZE)).putShort(0, F_UNLCK);
            } else {
                answer.putShort(0, conflict.write() ? F_WRLCK : F_RDLCK).putShort(2, (short) HostFile.SEEK_SET)
                        .putLong(8, conflict.start())
                        .putLong(16, conflict.end() == RecordLocks.TO_END ? 0 : conflict.end() - conflict.start())
                        .putInt(24, (int) conflict.pid());
            }
            process.user().write(address, answer.array());
            return 0;
        }
        if (type == F_RDLCK && !file.readable() || type == F_WRLCK && !file.writable()) {
            throw new SyscallException(Errno.EBADF);
        }
        records.set(key, pid, start, end, type == F_WRLCK, type == F_UNLCK, command == F_SETLKW);
        return 0;
    }

    /** A host file by its device and inode ({@link HostFile#fileKey}), anything else by its description. */
    private static Object identity(OpenFile file) {
        return file instanceof HostFile host ? host.fileKey() : file;
    }

    private static String name(OpenFile file, int fd) {
        return file instanceof HostFile host ? host.guestPath() : "descriptor " + fd;
    }
}
