package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The descriptor table: small integers naming {@link OpenFile}s, lowest free number first, as POSIX requires. */
final class FdTable {
    /** RLIMIT_NOFILE's hard limit: the table's size. */
    static final int MAX = 1024;

    private final OpenFile[] files = new OpenFile[MAX];
    private final boolean[] closeOnExec = new boolean[MAX];
    /** RLIMIT_NOFILE's soft limit: no new descriptor at or above it (those open already stay). */
    private int limit = MAX;
    /** Told of every descriptor closed: the process's record locks of that file go ({@link RecordLocks#closed}). */
    private Consumer<OpenFile> onClose = file -> { };

    /** Has {@code action} told of every descriptor this table closes, before its description is dropped. */
    void onClose(Consumer<OpenFile> action) {
        this.onClose = action;
    }

    /** The same open files under the same numbers, each one more reference: what fork gives the child. */
    FdTable copy() {
        FdTable copy = new FdTable();
        copy.limit = limit;
        for (int fd = 0; fd < MAX; fd++) {
            if (files[fd] != null) {
                copy.place(fd, files[fd], closeOnExec[fd]);
            }
        }
        return copy;
    }

    /** execve: the descriptors marked close-on-exec close. */
    void closeOnExec() throws IOException {
        for (int fd = 0; fd < MAX; fd++) {
            if (files[fd] != null && closeOnExec[fd]) {
                close(fd);
            }
        }
    }

    /** The open descriptors' numbers, lowest first: what /proc/PID/fd lists and /proc/net's tables look through. */
    List<Integer> open() {
        List<Integer> open = new ArrayList<>();
        for (int fd = 0; fd < MAX; fd++) {
            if (files[fd] != null) {
                open.add(fd);
            }
        }
        return open;
    }

    /** @throws SyscallException EBADF when {@code fd} is not open */
    OpenFile get(int fd) {
        if (fd < 0 || fd >= MAX || files[fd] == null) {
            throw new SyscallException(Errno.EBADF);
        }
        return files[fd];
    }

    /** @throws SyscallException EBADF when {@code fd} is not open for reading */
    OpenFile readable(int fd) {
        OpenFile file = get(fd);
        if (!file.readable()) {
            throw new SyscallException(Errno.EBADF);
        }
        return file;
    }

    /** @throws SyscallException EBADF when {@code fd} is not open for writing */
    OpenFile writable(int fd) {
        OpenFile file = get(fd);
        if (!file.writable()) {
            throw new SyscallException(Errno.EBADF);
        }
        return file;
    }

    boolean isOpen(int fd) {
        return fd >= 0 && fd < MAX && files[fd] != null;
    }

    /** setrlimit(RLIMIT_NOFILE): new descriptors stay below {@code soft} (at most {@link #MAX}). */
    void setLimit(long soft) {
        limit = soft < 0 || soft > MAX ? MAX : (int) soft;
    }

    /**
     * Installs {@code file} at the lowest free descriptor not below {@code lowest}.
     *
     * @throws SyscallException EMFILE when the table is full up to RLIMIT_NOFILE, EINVAL for a {@code lowest} out of range
     */
    int install(OpenFile file, int lowest, boolean cloexec) {
        if (lowest < 0 || lowest >= limit) {
            throw new SyscallException(Errno.EINVAL);
        }
        for (int fd = lowest; fd < limit; fd++) {
            if (files[fd] == null) {
                place(fd, file, cloexec);
                return fd;
            }
        }
        throw new SyscallException(Errno.EMFILE);
    }

    /** dup2's install: closes whatever {@code fd} held first. */
    void installAt(int fd, OpenFile file, boolean cloexec) throws IOException {
        if (fd < 0 || fd >= limit) {
            throw new SyscallException(Errno.EBADF);
        }
        file.retain(); // before closing fd, which may hold the same description
        if (files[fd] != null) {
            close(fd);
        }
        files[fd] = file;
        closeOnExec[fd] = cloexec;
    }

    void close(int fd) throws IOException {
        OpenFile file = get(fd);
        files[fd] = null;
        closeOnExec[fd] = false;
        onClose.accept(file);
        file.drop();
    }

    /**
     * close_range: the descriptors from {@code first} to {@code last} (unsigned, the kernel's) closed, or with
     * {@code cloexec} only marked close-on-exec.
     */
    void closeRange(int first, int last, boolean cloexec) throws IOException {
        for (int fd = first; Integer.compareUnsigned(fd, MAX) < 0 && Integer.compareUnsigned(fd, last) <= 0; fd++) {
            if (files[fd] != null && cloexec) {
                closeOnExec[fd] = true;
            } else if (files[fd] != null) {
                close(fd);
            }
        }
    }

    boolean closeOnExec(int fd) {
        get(fd);
        return closeOnExec[fd];
    }

    void setCloseOnExec(int fd, boolean value) {
        get(fd);
        closeOnExec[fd] = value;
    }

    /** Closes every descriptor, releasing host files; the first failure is rethrown after all are tried. */
    void closeAll() throws IOException {
        IOException first = null;
        for (int fd = 0; fd < MAX; fd++) {
            if (files[fd] != null) {
                try {
                    close(fd);
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void place(int fd, OpenFile file, boolean cloexec) {
        file.retain();
        files[fd] = file;
        closeOnExec[fd] = cloexec;
    }
}
