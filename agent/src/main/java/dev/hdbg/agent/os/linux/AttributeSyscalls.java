package dev.hdbg.agent.os.linux;

import static dev.hdbg.agent.os.linux.PathSyscalls.AT_EMPTY_PATH;
import static dev.hdbg.agent.os.linux.PathSyscalls.AT_FDCWD;
import static dev.hdbg.agent.os.linux.PathSyscalls.AT_SYMLINK_NOFOLLOW;
import static dev.hdbg.agent.os.linux.PathSyscalls.permissions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * A file's mode, owner and times, by path or by descriptor: chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat
 * and utimensat (futimens). A descriptor's file is changed through its name, or through the agent's own descriptor of
 * it when it has none (a memfd, an unlinked file).
 */
final class AttributeSyscalls {
    private static final long UTIME_NOW = (1L << 30) - 1;
    private static final long UTIME_OMIT = (1L << 30) - 2;

    private final LinuxProcess process;
    private final UserMemory user;
    private final FdTable fds;
    private final WriteAccess writeAccess;
    private final FileWatches watches;

    AttributeSyscalls(LinuxProcess process) {
        this.process = process;
        this.user = process.user();
        this.fds = process.fds();
        this.writeAccess = new WriteAccess(process);
        this.watches = process.table().fileWatches();
    }

    void register(Map<Integer, Handler> table) {
        table.put(90, a -> fchmodat(AT_FDCWD, a.a0(), a.i(1)));
        table.put(268, a -> fchmodat(a.i(0), a.a1(), a.i(2)));
        table.put(91, a -> fchmod(a.i(0), a.i(1)));
        table.put(92, a -> chown(process.resolve(AT_FDCWD, user.cString(a.a0()), true), a.i(1), a.i(2)));
        table.put(93, a -> chownFile(openedToChange(a.i(0)), a.i(1), a.i(2)));
        table.put(94, a -> chown(process.resolve(AT_FDCWD, user.cString(a.a0()), false), a.i(1), a.i(2)));
        table.put(260, a -> fchownat(a.i(0), a.a1(), a.i(2), a.i(3), a.i(4)));
        table.put(280, a -> utimensat(a.i(0), a.a1(), a.a2(), a.i(3)));
    }

    private long fchmodat(int dirfd, long pathAddress, int mode) throws IOException {
        Path host = writeAccess.existingToChange(process.resolve(dirfd, user.cString(pathAddress), true));
        Files.setPosixFilePermissions(host, permissions(mode));
        watches.onPath(host, false, FileWatches.IN_ATTRIB);
        return 0;
    }

    /** fchmod; a memfd sealed with F_SEAL_EXEC keeps its execute bits (EPERM). */
    private long fchmod(int fd, int mode) throws IOException {
        Path host = openedToChange(fd);
        if (fds.get(fd) instanceof HostFile file && file.seals() != null) {
            file.seals().requireMode(Stat.permissions(file.stat()), mode);
        }
        Files.setPosixFilePermissions(host, permissions(mode));
        watches.onPath(host, true, FileWatches.IN_ATTRIB);
        return 0;
    }

    /**
     * The file open on {@code fd}, as a host path to change (fchmod, fchown, futimens), which the host follows to the
     * file: its name, or for a file without one (a memfd, a file unlinked since) the agent's own descriptor of it. It
     * must be where the program may write (EROFS elsewhere), but a memfd is the program's own memory, as its
     * /dev/shm, and may always be changed.
     */
    private Path openedToChange(int fd) throws IOException {
        if (!(fds.get(fd) instanceof HostFile file)) {
            throw new SyscallException(Errno.EBADF); // a pipe, a socket or a directory stream: no file to change
        }
        Path host = file.livePath();
        return file.seals() != null ? host : writeAccess.existingToChange(new Sandbox.Resolved(host, file.guestPath(), null));
    }

    /** fchownat: AT_EMPTY_PATH with an empty path is fchown of {@code dirfd}. */
    private long fchownat(int dirfd, long pathAddress, int uid, int gid, int flags) throws IOException {
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        String path = user.cString(pathAddress);
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            return chownFile(openedToChange(dirfd), uid, gid);
        }
        return chown(process.resolve(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0), uid, gid);
    }

    /**
     * chown, fchown, lchown and fchownat: the program runs as the agent's user, not as root, so it may only "change"
     * a file of its own to the owner and group it has (-1 keeps one), which programs that copy a file's attributes do
     * (xz, cp -p, tar); anything else is EPERM, as Linux answers a user without CAP_CHOWN. The file must be where the
     * program may write (EROFS elsewhere).
     */
    private long chown(Sandbox.Resolved resolved, int uid, int gid) throws IOException {
        return chownFile(writeAccess.existingToChange(resolved, LinkOption.NOFOLLOW_LINKS), uid, gid,
                LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * chown's check of the host file {@code host}, through a link there unless {@code options} say not (a descriptor's
     * is followed: the agent's own link to a file without a name).
     */
    private long chownFile(Path host, int uid, int gid, LinkOption... options) throws IOException {
        Map<String, Object> ids = Files.readAttributes(host, "unix:uid,gid", options);
        if (uid != -1 && uid != (int) ids.get("uid") || gid != -1 && gid != (int) ids.get("gid")) {
            throw new SyscallException(Errno.EPERM);
        }
        watches.onPath(host, options.length == 0, FileWatches.IN_ATTRIB);
        return 0;
    }

    /**
     * Sets the access and modification times ({@code times} NULL: now; UTIME_NOW / UTIME_OMIT honoured). A NULL
     * path with a descriptor is glibc's futimens.
     */
    private long utimensat(int dirfd, long pathAddress, long times, int flags) throws IOException {
        Path host;
        LinkOption[] follow;
        if (pathAddress == 0) { // futimens: the descriptor's file, through the agent's own link to it when nameless
            host = openedToChange(dirfd);
            follow = new LinkOption[0];
        } else {
            Sandbox.Resolved resolved = process.resolve(dirfd, user.cString(pathAddress), (flags & AT_SYMLINK_NOFOLLOW) == 0);
            host = writeAccess.existingToChange(resolved, LinkOption.NOFOLLOW_LINKS);
            // Without following: a resolved path ends in a link only when the call asked not to follow it, and the
            // host must then not follow it either (a link the program made may name any host file).
            follow = new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        }
        var view = Files.getFileAttributeView(host, BasicFileAttributeView.class, follow);
        var now = FileTime.from(Instant.now());
        if (times == 0) {
            view.setTimes(now, now, null);
            watches.onPath(host, follow.length == 0, FileWatches.IN_ATTRIB);
            return 0;
        }
        ByteBuffer spec = ByteBuffer.wrap(user.read(times, 32)).order(ByteOrder.LITTLE_ENDIAN);
        FileTime modified = fileTime(spec.getLong(16), spec.getLong(24), now);
        FileTime accessed = fileTime(spec.getLong(0), spec.getLong(8), now);
        view.setTimes(modified, accessed, null);
        // Linux's fsnotify_change: both times are IN_ATTRIB, one alone IN_MODIFY or IN_ACCESS
        if (modified != null || accessed != null) { // both omitted: nothing changed, nothing told
            int event = modified != null && accessed != null ? FileWatches.IN_ATTRIB
                    : modified != null ? FileWatches.IN_MODIFY : FileWatches.IN_ACCESS;
            watches.onPath(host, follow.length == 0, event);
        }
        return 0;
    }

    /** A struct timespec as a FileTime; null (leave alone) for UTIME_OMIT. */
    private static FileTime fileTime(long seconds, long nanos, FileTime now) {
        if (nanos == UTIME_OMIT) {
            return null;
        }
        if (nanos == UTIME_NOW) {
            return now;
        }
        if (nanos < 0 || nanos >= 1_000_000_000L) {
            throw new SyscallException(Errno.EINVAL);
        }
        return FileTime.from(Instant.ofEpochSecond(seconds, nanos));
    }
}
