package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * New names for files: link, linkat, symlink and symlinkat (ln, ln -s, tar and cp -a extracting links), beneath the
 * sandbox root and only where the program may write.
 *
 * <p>A hard link's file must itself be where the program may write: a second name in a writable directory for a file
 * of the read-only tree would let the program write that file through it. Linux refuses a link between two file
 * systems with EXDEV, and the writable directories are to the program what another file system would be, so that is
 * the answer (ln says "Invalid cross-device link"; cp -l and tar fall back to copying). A symbolic link holds the
 * program's text as it is; the sandbox follows it beneath the root like any other link.
 */
final class LinkSyscalls {
    private static final int AT_SYMLINK_FOLLOW = 0x400;
    private static final int AT_EMPTY_PATH = 0x1000;

    private final LinuxProcess process;
    private final UserMemory user;
    private final WriteAccess writeAccess;

    LinkSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.writeAccess = new WriteAccess(process);
    }

    void register(Map<Integer, Handler> table) {
        table.put(86, a -> linkat(PathSyscalls.AT_FDCWD, a.a0(), PathSyscalls.AT_FDCWD, a.a1(), 0));
        table.put(265, a -> linkat(a.i(0), a.a1(), a.i(2), a.a3(), a.i(4)));
        table.put(88, a -> symlinkat(a.a0(), PathSyscalls.AT_FDCWD, a.a1()));
        table.put(266, a -> symlinkat(a.a0(), a.i(1), a.a2()));
    }

    /** Linux's linkat does not follow a last link of the existing name unless AT_SYMLINK_FOLLOW says so. */
    private long linkat(int fromDir, long fromAddress, int toDir, long toAddress, int flags) throws IOException {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Sandbox.Resolved from = process.resolve(fromDir, user.cString(fromAddress), (flags & AT_SYMLINK_FOLLOW) != 0);
        Sandbox.Resolved to = process.resolve(toDir, user.cString(toAddress), false);
        if (from.isVirtual()) {
            throw new SyscallException(Errno.EXDEV);
        }
        if (!Files.exists(from.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.ENOENT);
        }
        writeAccess.require(to);
        if (Files.isDirectory(from.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.EPERM);
        }
        if (!writeAccess.allows(from)) {
            throw new SyscallException(Errno.EXDEV);
        }
        if (Files.exists(to.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.EEXIST);
        }
        Files.createLink(to.host(), from.host());
        process.table().fileWatches().linked(to.host(), from.host());
        return 0;
    }

    private long symlinkat(long targetAddress, int dir, long linkAddress) throws IOException {
        String target = user.cString(targetAddress);
        Sandbox.Resolved link = process.resolve(dir, user.cString(linkAddress), false);
        if (target.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        writeAccess.require(link);
        if (Files.exists(link.host(), LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.EEXIST);
        }
        Path text;
        try {
            text = Path.of(target);
        } catch (InvalidPathException e) {
            throw new SyscallException(Errno.EINVAL);
        }
        Files.createSymbolicLink(link.host(), text);
        process.table().fileWatches().created(link.host(), false);
        return 0;
    }
}
