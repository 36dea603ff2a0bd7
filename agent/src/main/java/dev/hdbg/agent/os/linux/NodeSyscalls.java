package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mknod} and {@code mknodat}: named pipes ({@code mkfifo}, which the machine's processes then meet through:
 * {@link NamedPipes}), regular files and socket files, where the program may write. Device files need a privilege the
 * program does not have (EPERM).
 */
final class NodeSyscalls {
    private static final int AT_FDCWD = -100;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private final LinuxProcess process;
    private final WriteAccess writeAccess;

    NodeSyscalls(LinuxProcess process) {
        this.process = process;
        this.writeAccess = new WriteAccess(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(133, a -> mknodat(AT_FDCWD, a.a0(), a.i(1)));
        table.put(259, a -> mknodat(a.i(0), a.a1(), a.i(2)));
    }

    private long mknodat(int dirfd, long pathAddress, int mode) throws IOException {
        int type = mode & S_IFMT;
        if (type == S_IFCHR || type == S_IFBLK) {
            throw new SyscallException(Errno.EPERM);
        }
        if (type != 0 && type != S_IFREG && type != Stat.S_IFIFO && type != Stat.S_IFSOCK) {
            throw new SyscallException(Errno.EINVAL);
        }
        Sandbox.Resolved resolved = process.resolve(dirfd, process.user().cString(pathAddress), false);
        if (!resolved.isVirtual() && Files.exists(resolved.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.EEXIST);
        }
        writeAccess.require(resolved);
        HostNodes.make(resolved.host(), (type == 0 ? S_IFREG : type) | mode & 07777 & ~process.umask());
        process.table().fileWatches().created(resolved.host(), false);
        return 0;
    }

    /** The key of a FIFO on the host (its device and inode), or empty when {@code host} is not one. */
    static Optional<String> fifoKey(Path host) throws IOException {
        Map<String, Object> facts = Files.readAttributes(host, "unix:mode,dev,ino");
        if (((int) facts.get("mode") & S_IFMT) != Stat.S_IFIFO) {
            return Optional.empty();
        }
        return Optional.of(facts.get("dev") + ":" + facts.get("ino"));
    }
}
