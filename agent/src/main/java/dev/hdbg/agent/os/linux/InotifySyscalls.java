package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * inotify_init, inotify_init1, inotify_add_watch and inotify_rm_watch ({@link InotifyFile}, {@link FileWatches}):
 * what tail -f, Node's fs.watch, Python's watchdog and build tools' watch modes wait on. Arguments are checked in
 * Linux's order. A virtual file (under /proc or /dev) can be watched, and never changes.
 */
final class InotifySyscalls {
    private static final int AT_FDCWD = -100;
    private static final int IN_NONBLOCK = OpenFile.O_NONBLOCK;
    private static final int IN_CLOEXEC = 02000000;
    private static final int IN_ONLYDIR = 0x01000000;
    private static final int IN_DONT_FOLLOW = 0x02000000;
    private static final int IN_EXCL_UNLINK = 0x04000000;
    private static final int IN_MASK_CREATE = 0x10000000;
    private static final int IN_MASK_ADD = 0x20000000;
    /** Every bit inotify_add_watch knows; a mask with none is EINVAL. */
    private static final int ALL_BITS = FileWatches.IN_ALL_EVENTS | 0x2000 | InotifyFile.IN_Q_OVERFLOW
            | InotifyFile.IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD
            | FileWatches.IN_ISDIR | InotifyFile.IN_ONESHOT;
    /** What a watch keeps of the mask it was given. */
    private static final int KEPT = FileWatches.IN_ALL_EVENTS | InotifyFile.IN_ONESHOT | IN_EXCL_UNLINK;

    private final LinuxProcess process;
    private final FdTable fds;

    InotifySyscalls(LinuxProcess process) {
        this.process = process;
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(253, a -> init(0));
        table.put(294, a -> init(a.i(0)));
        table.put(254, a -> addWatch(a.i(0), a.a1(), a.i(2)));
        table.put(255, a -> {
            instance(a.i(0)).unwatch(a.i(1));
            return 0;
        });
    }

    private long init(int flags) {
        if ((flags & ~(IN_NONBLOCK | IN_CLOEXEC)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        InotifyFile instance = new InotifyFile(process.scheduler(), process.table().fileWatches(), flags & IN_NONBLOCK);
        return fds.install(instance, 0, (flags & IN_CLOEXEC) != 0);
    }

    private InotifyFile instance(int fd) {
        if (!(fds.get(fd) instanceof InotifyFile instance)) { // EBADF first, from get
            throw new SyscallException(Errno.EINVAL);
        }
        return instance;
    }

    private long addWatch(int fd, long pathAddress, int mask) throws IOException {
        if ((mask & ALL_BITS) == 0 || (mask & IN_MASK_ADD) != 0 && (mask & IN_MASK_CREATE) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        InotifyFile instance = instance(fd);
        Sandbox.Resolved resolved = process.resolve(AT_FDCWD, process.user().cString(pathAddress),
                (mask & IN_DONT_FOLLOW) == 0);
        Object file = identity(resolved);
        if ((mask & IN_ONLYDIR) != 0 && !directory(resolved)) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        int kept = mask & KEPT;
        InotifyFile.Watch watch = instance.watchOn(file);
        if (watch == null) {
            return instance.watch(file, kept).wd;
        }
        if ((mask & IN_MASK_CREATE) != 0) {
            throw new SyscallException(Errno.EEXIST);
        }
        watch.mask = (mask & IN_MASK_ADD) != 0 ? watch.mask | kept : kept;
        return watch.wd;
    }

    /** What a watch on {@code resolved} is found by: the host file's identity, a made-up file's own name. */
    private static Object identity(Sandbox.Resolved resolved) {
        if (resolved.isVirtual()) {
            if (resolved.node() == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            return "virtual:" + resolved.guestPath();
        }
        return Stat.id(Stat.of(resolved.host(), false)); // ENOENT when missing
    }

    private static boolean directory(Sandbox.Resolved resolved) {
        return resolved.isVirtual() ? resolved.node() instanceof VirtualNode.Directory
                : Files.isDirectory(resolved.host());
    }
}
