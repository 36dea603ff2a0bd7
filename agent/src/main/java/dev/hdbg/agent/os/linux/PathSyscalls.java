package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** System calls that name files by path, all resolved beneath the sandbox root by {@link Sandbox}. */
final class PathSyscalls {
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    private static final int O_PATH = 010000000;
    private static final int O_LARGEFILE = 0100000;
    /** O_TMPFILE's own bit; O_TMPFILE is it with O_DIRECTORY, so that an older kernel fails for a directory. */
    private static final int O_TMPFILE_BIT = 020000000;
    private static final int O_TMPFILE = O_TMPFILE_BIT | O_DIRECTORY;
    static final int O_CLOEXEC = 02000000;
    private static final int W_OK = 2;
    private static final int R_OK = 4;
    private static final int X_OK = 1;

    private final LinuxProcess process;
    private final UserMemory user;
    private final Sandbox sandbox;
    private final FdTable fds;
    private final WriteAccess writeAccess;

    PathSyscalls(LinuxProcess process) {
        this.process = process;
        this.writeAccess = new WriteAccess(process);
        this.user = process.user();
        this.sandbox = process.sandbox();
        this.fds = process.fds();
    }

    void register(Map<Integer, Handler> table) {
        table.put(2, a -> openat(AT_FDCWD, a.a0(), a.i(1), a.i(2)));
        table.put(257, a -> openat(a.i(0), a.a1(), a.i(2), a.i(3)));
        table.put(85, a -> openat(AT_FDCWD, a.a0(), O_CREAT | OpenFile.O_WRONLY | O_TRUNC, a.i(1))); // creat
        table.put(21, a -> faccessat(AT_FDCWD, a.a0(), a.i(1), 0));
        table.put(269, a -> faccessat(a.i(0), a.a1(), a.i(2), 0));
        table.put(439, a -> faccessat(a.i(0), a.a1(), a.i(2), a.i(3)));
        table.put(79, a -> getcwd(a.a0(), a.a1()));
        table.put(80, a -> {
            sandbox.chdir(process.resolve(AT_FDCWD, user.cString(a.a0()), true));
            return 0;
        });
        table.put(81, a -> {
            if (!(fds.get(a.i(0)) instanceof DirectoryFile directory)) {
                throw new SyscallException(Errno.ENOTDIR);
            }
            sandbox.chdir(new Sandbox.Resolved(directory.host(), directory.guestPath(),
                    directory.host() == null ? VirtualNode.Directory.of(java.util.List.of()) : null));
            return 0;
        });
        table.put(89, a -> readlinkat(AT_FDCWD, a.a0(), a.a1(), a.a2()));
        table.put(267, a -> readlinkat(a.i(0), a.a1(), a.a2(), a.a3()));
        table.put(95, a -> {
            int old = process.umask();
            process.setUmask(a.i(0));
            return old;
        });
        table.put(83, a -> mkdirat(AT_FDCWD, a.a0(), a.i(1)));
        table.put(258, a -> mkdirat(a.i(0), a.a1(), a.i(2)));
        table.put(87, a -> unlinkat(AT_FDCWD, a.a0(), 0));
        table.put(84, a -> unlinkat(AT_FDCWD, a.a0(), AT_REMOVEDIR));
        table.put(263, a -> unlinkat(a.i(0), a.a1(), a.i(2)));
        table.put(82, a -> renameat(AT_FDCWD, a.a0(), AT_FDCWD, a.a1(), 0));
        table.put(264, a -> renameat(a.i(0), a.a1(), a.i(2), a.a3(), 0));
        table.put(316, a -> renameat(a.i(0), a.a1(), a.i(2), a.a3(), a.i(4)));
    }

    private long openat(int dirfd, long pathAddress, int flags, int mode) throws IOException {
        String path = user.cString(pathAddress);
        int access = flags & OpenFile.O_ACCMODE;
        Sandbox.Resolved resolved = process.resolve(dirfd, path, (flags & O_NOFOLLOW) == 0);
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        if ((flags & O_PATH) != 0 && !resolved.isVirtual()) {
            return fds.install(pathDescriptor(resolved, flags), 0, cloexec);
        }
        // x86-64's open forces O_LARGEFILE, and F_GETFL and fdinfo show it (a pipe's or a socket's ends have none)
        int status = flags & (OpenFile.O_ACCMODE | OpenFile.O_APPEND | OpenFile.O_NONBLOCK) | O_LARGEFILE;
        if ((flags & O_TMPFILE_BIT) != 0) {
            return fds.install(unnamedFile(resolved, flags, mode, status), 0, cloexec);
        }
        Path host = resolved.isVirtual() ? null : resolved.host();
        boolean exists = host != null && Files.exists(host, LinkOption.NOFOLLOW_LINKS);
        // As Linux: O_CREAT writes only when it creates (flock's O_RDONLY|O_CREAT of an existing lock file opens it on
        // a read-only file system), O_TRUNC always, O_APPEND without write access never.
        boolean creates = (flags & O_CREAT) != 0 && !exists;
        boolean writes = access != OpenFile.O_RDONLY || (flags & O_TRUNC) != 0 || creates;
        if (resolved.isVirtual()) {
            return fds.install(process.virtualFiles().open(resolved, flags, status, writes), 0, cloexec);
        }
        if (writes) {
            // Linux looks the path up first: a missing file or directory is ENOENT even on a read-only file system.
            if (!exists && ((flags & O_CREAT) == 0 || host.getParent() == null || !Files.isDirectory(host.getParent()))) {
                throw new SyscallException(Errno.ENOENT);
            }
            writeAccess.require(resolved);
        }
        if ((flags & O_NOFOLLOW) != 0 && Files.isSymbolicLink(host)) {
            throw new SyscallException(Errno.ELOOP);
        }
        if (exists && (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
            throw new SyscallException(Errno.EEXIST);
        }
        if (Files.isDirectory(host)) {
            if (writes || (flags & O_CREAT) != 0) {
                throw new SyscallException(Errno.EISDIR);
            }
            return fds.install(new DirectoryFile(host, resolved.guestPath(), status), 0, cloexec);
        }
        if ((flags & O_DIRECTORY) != 0 || !exists && (flags & O_CREAT) == 0) {
            throw new SyscallException(exists ? Errno.ENOTDIR : Errno.ENOENT);
        }
        if (exists && !Files.isRegularFile(host)) {
            // A named pipe where the program may write is the machine's; host devices and other FIFOs stay out of reach.
            Optional<String> fifo = NodeSyscalls.fifoKey(host);
            if (fifo.isEmpty() || !writeAccess.allows(resolved)) {
                throw new SyscallException(Errno.EACCES);
            }
            return fds.install(process.table().namedPipes().open(fifo.get(), status), 0, cloexec);
        }
        Set<OpenOption> options = new HashSet<>();
        options.add(access == OpenFile.O_WRONLY ? StandardOpenOption.WRITE : StandardOpenOption.READ);
        if (access == OpenFile.O_RDWR) {
            options.add(StandardOpenOption.WRITE);
        }
        if (creates && access == OpenFile.O_RDONLY) {
            // Java ignores CREATE for a channel opened for reading only: the file is made first.
            try {
                Files.createFile(host, PosixFilePermissions.asFileAttribute(permissions(mode & ~process.umask())));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile, as O_CREAT without O_EXCL allows
            }
        } else if ((flags & O_CREAT) != 0) {
            options.add(StandardOpenOption.CREATE);
        }
        if ((flags & O_TRUNC) != 0 && access != OpenFile.O_RDONLY) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
            FileCuts.before(process.machine().memory(), host, 0);
        }
        FileChannel channel = FileChannel.open(host, options,
                PosixFilePermissions.asFileAttribute(permissions(mode & ~process.umask())));
        // inotify's order: IN_CREATE, IN_OPEN, then O_TRUNC's IN_MODIFY
        FileWatches watches = process.table().fileWatches();
        if (creates) {
            watches.created(host, false);
        }
        HostFile file = new HostFile(host, resolved.guestPath(), channel, status).watchedBy(watches);
        if (options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            watches.onOpenFile(file, FileWatches.IN_MODIFY);
        }
        return fds.install(file, 0, cloexec);
    }

    /**
     * O_TMPFILE: a regular file in {@code directory} that has no name, as Linux makes it (glibc's tmpfile, Python's
     * TemporaryFile): Linux's checks first (EINVAL without write access or with O_CREAT, ENOTDIR, EOPNOTSUPP for the
     * made-up directories, EROFS where the program may not write), then a file made in the directory, opened and
     * unlinked at once, so that no name of it is ever seen. Linking it a name afterwards ({@code linkat} through
     * {@code /proc/self/fd}) is EXDEV: the host's file cannot be named again from Java.
     */
    private HostFile unnamedFile(Sandbox.Resolved directory, int flags, int mode, int status) throws IOException {
        if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE || (flags & OpenFile.O_ACCMODE) == OpenFile.O_RDONLY) {
            throw new SyscallException(Errno.EINVAL);
        }
        if (directory.isVirtual()) {
            throw new SyscallException(directory.node() instanceof VirtualNode.Directory ? Errno.EOPNOTSUPP
                    : Errno.ENOTDIR);
        }
        if (!Files.isDirectory(directory.host())) {
            throw new SyscallException(Files.exists(directory.host()) ? Errno.ENOTDIR : Errno.ENOENT);
        }
        writeAccess.requireInside(directory);
        Path made = Files.createTempFile(directory.host(), ".hdbg-tmpfile-", "");
        try {
            FileChannel channel = FileChannel.open(made, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                // Opened before its mode is set, as Linux's open creates it: 0400 and O_RDWR is a writable descriptor.
                Files.setPosixFilePermissions(made, permissions(mode & ~process.umask()));
                long inode = (long) Files.getAttribute(made, "unix:ino");
                String guestPath = Sandbox.child(directory.guestPath(), "#" + inode) + HostFile.DELETED;
                return new HostFile(made, guestPath, channel, status);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(made);
        }
    }

    /** The permission bits of {@code mode} (not set-user-ID, set-group-ID or sticky, which Java cannot set). */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE = 0400 .. 01
        for (int i = 0; i < order.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** O_PATH: a name, not an open file; only O_CLOEXEC, O_DIRECTORY and O_NOFOLLOW count, as on Linux. */
    private static OpenFile pathDescriptor(Sandbox.Resolved resolved, int flags) {
        Path host = resolved.host();
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.ENOENT);
        }
        boolean directory = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
        if ((flags & O_DIRECTORY) != 0 && !directory) {
            throw new SyscallException(Errno.ENOTDIR);
        }
        return directory ? new DirectoryFile(host, resolved.guestPath(), OpenFile.O_RDONLY)
                : new PathFile(host, resolved.guestPath());
    }

    /** The parent must exist; the new name must not. */
    private long mkdirat(int dirfd, long pathAddress, int mode) throws IOException {
        Sandbox.Resolved resolved = process.resolve(dirfd, user.cString(pathAddress), false);
        writeAccess.require(resolved);
        Files.createDirectory(resolved.host(), PosixFilePermissions.asFileAttribute(permissions(mode & ~process.umask())));
        process.table().fileWatches().created(resolved.host(), true);
        return 0;
    }

    private long unlinkat(int dirfd, long pathAddress, int flags) throws IOException {
        if ((flags & ~AT_REMOVEDIR) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Path host = writeAccess.existingToChange(process.resolve(dirfd, user.cString(pathAddress), false),
                LinkOption.NOFOLLOW_LINKS);
        boolean directory = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
        if (directory != ((flags & AT_REMOVEDIR) != 0)) {
            throw new SyscallException(directory ? Errno.EISDIR : Errno.ENOTDIR);
        }
        Runnable told = process.table().fileWatches().removal(host);
        Files.delete(host);
        told.run();
        return 0;
    }

    /** renameat2's flags (RENAME_NOREPLACE, RENAME_EXCHANGE ...) are not emulated: EINVAL, as on a file system without them. */
    private long renameat(int fromDir, long fromAddress, int toDir, long toAddress, int flags) throws IOException {
        if (flags != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        Sandbox.Resolved from = process.resolve(fromDir, user.cString(fromAddress), false);
        Sandbox.Resolved to = process.resolve(toDir, user.cString(toAddress), false);
        writeAccess.existingToChange(from, LinkOption.NOFOLLOW_LINKS);
        writeAccess.require(to);
        Runnable told = process.table().fileWatches().move(from.host(), to.host());
        Files.move(from.host(), to.host(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        told.run();
        return 0;
    }

    private long faccessat(int dirfd, long pathAddress, int mode, int flags) throws IOException {
        if ((mode & ~(R_OK | W_OK | X_OK)) != 0 || (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x200)) != 0) {
            throw new SyscallException(Errno.EINVAL);
        }
        boolean forWrite = (mode & W_OK) != 0;
        Sandbox.Resolved resolved = process.resolve(dirfd, user.cString(pathAddress),
                (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (resolved.isVirtual()) {
            boolean device = resolved.node() instanceof VirtualNode.Device || resolved.node() instanceof VirtualNode.Pty;
            if (resolved.node() == null) {
                throw new SyscallException(Errno.ENOENT);
            }
            if (forWrite && !device || (mode & X_OK) != 0 && !(resolved.node() instanceof VirtualNode.Directory)) {
                throw new SyscallException(Errno.EACCES);
            }
            return 0;
        }
        Path host = resolved.host();
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new SyscallException(Errno.ENOENT);
        }
        if (forWrite) {
            writeAccess.require(resolved);
        }
        boolean allowed = (!forWrite || Files.isWritable(host))
                && ((mode & R_OK) == 0 || Files.isReadable(host))
                && ((mode & X_OK) == 0 || Files.isExecutable(host));
        if (!allowed) {
            throw new SyscallException(Errno.EACCES);
        }
        return 0;
    }

    private long getcwd(long buffer, long size) {
        byte[] path = (sandbox.cwd() + "\0").getBytes(StandardCharsets.UTF_8);
        if (Long.compareUnsigned(size, path.length) < 0) {
            throw new SyscallException(Errno.ERANGE);
        }
        user.write(buffer, path);
        return path.length; // the raw call returns the length with the NUL
    }

    /** /proc/self/fd's link to a file with no path: {@code socket:[ino]} for a socket, {@code pipe:[ino]} else. */
    private static String anonymousName(byte[] stat) {
        String kind = Stat.fileType(stat) == Stat.S_IFSOCK ? "socket" : "pipe";
        return kind + ":[" + Stat.inode(stat) + "]";
    }

    private long readlinkat(int dirfd, long pathAddress, long buffer, long size) throws IOException {
        String path = user.cString(pathAddress);
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new SyscallException(Errno.EINVAL);
        }
        Sandbox.Resolved resolved = process.resolve(dirfd, path, false);
        String target;
        if (resolved.isVirtual()) {
            // instanceof tests, not a pattern switch: static glibc reads /proc/self/exe as every program starts, and
            // a switch's first run spins a class (docs/benchmarks.md, "A program's first milliseconds, stop 43")
            VirtualNode node = resolved.node();
            if (node instanceof VirtualNode.Link l) {
                target = l.target();
            } else if (node instanceof VirtualNode.Descriptor d) {
                java.util.Optional<String> named = d.path();
                target = named.isPresent() ? named.get() : anonymousName(d.file().stat());
            } else {
                throw new SyscallException(node == null ? Errno.ENOENT : Errno.EINVAL);
            }
        } else {
            Path host = resolved.host();
            if (!Files.isSymbolicLink(host)) {
                throw new SyscallException(Files.exists(host, LinkOption.NOFOLLOW_LINKS) ? Errno.EINVAL : Errno.ENOENT);
            }
            target = Files.readSymbolicLink(host).toString();
        }
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(size, bytes.length); // readlink truncates silently and writes no NUL
        user.write(buffer, Arrays.copyOf(bytes, n));
        return n;
    }
}
