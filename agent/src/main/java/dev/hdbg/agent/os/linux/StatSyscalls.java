package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * What files are, by path or by descriptor: stat, lstat, fstat, newfstatat, statx, statfs and fstatfs, and the
 * extended attributes (none). A host file's come from the host's kernel ({@link HostStat}), a made-up one's from
 * {@link VirtualFiles}.
 */
final class StatSyscalls {
    private static final int AT_FDCWD = PathSyscalls.AT_FDCWD;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_NO_AUTOMOUNT = 0x800;
    /** AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC: about network file systems, nothing to do here. */
    private static final int AT_STATX_SYNC_TYPE = 0x6000;
    private static final long PROC_MAGIC = 0x9fa0;
    private static final long SYSFS_MAGIC = 0x62656572;
    private static final long TMPFS_MAGIC = 0x01021994;
    private static final long PIPEFS_MAGIC = 0x50495045;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;

    StatSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(4, a -> newfstatat(AT_FDCWD, a.a0(), a.a1(), 0));
        table.put(5, a -> copyStat(a.a1(), fds.get(a.i(0)).stat()));
        // Extended attributes: none, as on a file system without them; ls and cp ask for ACLs and SELinux labels.
        for (int call : new int[] {191, 192, 193}) { // getxattr, lgetxattr, fgetxattr
            table.put(call, a -> {
                if (call == 193) {
                    fds.get(a.i(0));
                } else {
                    statOf(AT_FDCWD, a.a0(), call == 192 ? AT_SYMLINK_NOFOLLOW : 0);
                }
                throw new SyscallException(Errno.ENODATA);
            });
        }
        for (int call : new int[] {194, 195, 196}) { // listxattr, llistxattr, flistxattr
            table.put(call, a -> {
                if (call == 196) {
                    fds.get(a.i(0));
                } else {
                    statOf(AT_FDCWD, a.a0(), call == 195 ? AT_SYMLINK_NOFOLLOW : 0);
                }
                return 0;
            });
        }
        // setxattr, lsetxattr, fsetxattr, removexattr, lremovexattr, fremovexattr: not supported by such a file
        // system (cp -p sets an ACL through fsetxattr, and falls back to the mode when told so).
        for (int call : new int[] {188, 189, 190, 197, 198, 199}) {
            table.put(call, a -> {
                if (call == 190 || call == 199) {
                    fds.get(a.i(0));
                } else {
                    statOf(AT_FDCWD, a.a0(), call == 189 || call == 198 ? AT_SYMLINK_NOFOLLOW : 0);
                }
                throw new SyscallException(Errno.EOPNOTSUPP);
            });
        }
        table.put(6, a -> newfstatat(AT_FDCWD, a.a0(), a.a1(), AT_SYMLINK_NOFOLLOW));
        table.put(262, a -> newfstatat(a.i(0), a.a1(), a.a2(), a.i(3)));
        table.put(332, a -> statx(a.i(0), a.a1(), a.i(2), a.a4()));
        table.put(137, a -> statfs(process.resolve(AT_FDCWD, user.cString(a.a0()), true), a.a1()));
        table.put(138, a -> {
            OpenFile file = fds.get(a.i(0));
            return switch (file) {
                case HostFile f -> statfs(new Sandbox.Resolved(f.host(), f.guestPath(), null), a.a1());
                case DirectoryFile d -> statfs(new Sandbox.Resolved(d.host(), d.guestPath(),
                        d.host() == null ? VirtualNode.Directory.of(List.of()) : null), a.a1());
                default -> copyStatfs(a.a1(), PIPEFS_MAGIC);
            };
        });
    }

    private long newfstatat(int dirfd, long pathAddress, long buffer, int flags) throws IOException {
        user.requireMapped(buffer, Stat.SIZE);
        return copyStat(buffer, statOf(dirfd, pathAddress, flags));
    }

    /** The struct stat fstatat would give: of a path, or of {@code dirfd} itself with AT_EMPTY_PATH and "". */
    private byte[] statOf(int dirfd, long pathAddress, int flags) throws IOException {
        String path = pathAddress == 0 && (flags & AT_EMPTY_PATH) != 0 ? "" : user.cString(pathAddress);
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            return dirfd == AT_FDCWD ? stat(process.resolve(AT_FDCWD, ".", true), true) : fds.get(dirfd).stat();
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        return stat(process.resolve(dirfd, path, follow), follow);
    }

    private byte[] stat(Sandbox.Resolved resolved, boolean follow) throws IOException {
        if (resolved.isVirtual()) {
            if (resolved.node() == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            return process.virtualFiles().stat(resolved.guestPath(), resolved.node(), follow);
        }
        return Stat.of(resolved.host(), follow);
    }

    /** The file system holding a path: the host's, or for the made-up files the kind Linux mounts there. */
    private long statfs(Sandbox.Resolved resolved, long buffer) {
        user.requireMapped(buffer, HostStat.STATFS_SIZE);
        if (resolved.isVirtual()) {
            if (resolved.node() == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            String top = resolved.guestPath().split("/")[1];
            return copyStatfs(buffer, top.equals("proc") ? PROC_MAGIC : top.equals("sys") ? SYSFS_MAGIC : TMPFS_MAGIC);
        }
        byte[] statfs = HostStat.statfs(resolved.host());
        if (process.sandbox().onTmpfs(resolved.guestPath())) { // the host's sizes, the type a tmpfs mount has
            ByteBuffer.wrap(statfs).order(ByteOrder.LITTLE_ENDIAN).putLong(0, TMPFS_MAGIC);
        }
        user.write(buffer, statfs);
        return 0;
    }

    /** A struct statfs of a file system that is not the host's: its type, 4 KiB blocks, nothing free. */
    private long copyStatfs(long buffer, long type) {
        user.requireMapped(buffer, HostStat.STATFS_SIZE);
        user.write(buffer, UserMemory.struct(HostStat.STATFS_SIZE).putLong(0, type).putLong(8, 4096).putLong(64, 255)
                .putLong(72, 4096).array());
        return 0;
    }

    /** statx, filled from the struct stat every other call gives: the basic fields, no birth time. */
    private long statx(int dirfd, long pathAddress, int flags, long buffer) throws IOException {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        user.requireMapped(buffer, Stat.STATX_SIZE);
        user.write(buffer, Stat.statx(statOf(dirfd, pathAddress, flags)));
        return 0;
    }

    private long copyStat(long buffer, byte[] stat) {
        user.write(buffer, stat);
        return 0;
    }

}
