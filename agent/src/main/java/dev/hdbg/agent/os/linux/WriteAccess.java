package dev.hdbg.agent.os.linux;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether a call may change a file of the tree: every change needs --writable, or a path beneath one of the
 * --writable-dir directories or beneath the program's own directories (/dev/shm and the --tmpfs ones); Linux says EROFS
 * for a read-only file system, and the made-up files cannot be changed at all (EACCES).
 */
final class WriteAccess {
    private final LinuxProcess process;

    WriteAccess(LinuxProcess process) {
        this.process = process;
    }

    /** @throws SyscallException EACCES for a made-up file, EROFS outside the writable places */
    void require(Sandbox.Resolved resolved) {
        if (resolved.isVirtual()) {
            throw new SyscallException(Errno.EACCES);
        }
        if (!allows(resolved)) {
            process.table().privateDirectories().firstRefusedTemporaryDirectory(resolved.guestPath()).ifPresent(dir ->
                    process.io().notice("the program was refused a write to " + resolved.guestPath() + " (EROFS: the "
                            + "root is read-only); --tmpfs " + dir + " gives it a directory of its own there, "
                            + "--writable-dir the host's"));
            throw new SyscallException(Errno.EROFS);
        }
    }

    /** For a file made in {@code directory} (O_TMPFILE's, nameless): EROFS unless a file named there could be made. */
    void requireInside(Sandbox.Resolved directory) {
        require(new Sandbox.Resolved(directory.host(), Sandbox.child(directory.guestPath(), "."), null));
    }

    /** Whether a call may change {@code resolved}: a host file beneath the root with --writable, or a --writable-dir. */
    boolean allows(Sandbox.Resolved resolved) {
        if (resolved.isVirtual()) {
            return false;
        }
        ProcessConfig config = process.config();
        if (config.writable()) {
            return true;
        }
        String path = resolved.guestPath();
        if (process.sandbox().isPrivate(path)) {
            return true; // the program's own /dev/shm or --tmpfs directory, as a tmpfs every process may write
        }
        for (String dir : config.writableDirs()) {
            String prefix = dir.endsWith("/") ? dir : dir + "/";
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A file a call is about to change: ENOENT when it does not exist, then EROFS when it is read-only. */
    Path existingToChange(Sandbox.Resolved resolved, LinkOption... options) {
        if (!resolved.isVirtual() && !Files.exists(resolved.host(), options)) {
            throw new SyscallException(Errno.ENOENT);
        }
        require(resolved);
        return resolved.host();
    }
}
