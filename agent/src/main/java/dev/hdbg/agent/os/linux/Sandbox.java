package dev.hdbg.agent.os.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The guest's view of the file system: its "/" is the sandbox root on the host, as after {@code chroot}. A path
 * is resolved one component at a time, symbolic links included, so no link and no {@code ..} can lead outside
 * the root: a {@code ..} above "/" is refused (not clamped, so an escape attempt is visible as an error), and an
 * absolute link target such as busybox's {@code /bin/ls -> /bin/busybox} starts again at the root, never at the
 * host's "/".
 */
final class Sandbox {
    /** linux/namei.h MAXSYMLINKS. */
    private static final int MAX_SYMLINKS = 40;

    /** A resolved path: where it is on the host, and its canonical name in the guest. */
    record Resolved(Path host, String guestPath) {
    }

    private final Path root;
    private String cwd = "/";

    Sandbox(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox root " + root + " must be an existing directory", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("the sandbox root " + root + " is not a directory");
        }
    }

    String cwd() {
        return cwd;
    }

    void chdir(Resolved directory) {
        if (!Files.isDirectory(directory.host())) {
            throw new SyscallException(Files.exists(directory.host()) ? Errno.ENOTDIR : Errno.ENOENT);
        }
        cwd = directory.guestPath();
    }

    /**
     * Resolves {@code path} against the guest directory {@code base} (the cwd, or an {@code openat} directory).
     *
     * @param followLast whether a symbolic link as the last component is followed (not for lstat, readlink)
     * @param forWrite   whether an escape fails with EACCES (a write) rather than ENOENT (a read)
     * @throws SyscallException ENOENT for an empty path or an escape on read, EACCES for an escape on write,
     *                          ELOOP after {@value #MAX_SYMLINKS} links
     */
    Resolved resolve(String base, String path, boolean followLast, boolean forWrite) throws IOException {
        if (path.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        Deque<String> pending = new ArrayDeque<>(components(path));
        List<String> current = path.startsWith("/") ? new ArrayList<>() : new ArrayList<>(components(base));
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (current.isEmpty()) {
                    throw new SyscallException(forWrite ? Errno.EACCES : Errno.ENOENT);
                }
                current.removeLast();
                continue;
            }
            current.add(name);
            Path host = host(current);
            if ((followLast || !pending.isEmpty()) && Files.isSymbolicLink(host)) {
                if (++links > MAX_SYMLINKS) {
                    throw new SyscallException(Errno.ELOOP);
                }
                String target = Files.readSymbolicLink(host).toString();
                current.removeLast();
                if (target.startsWith("/")) {
                    current.clear();
                }
                List<String> parts = components(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    pending.addFirst(parts.get(i));
                }
            }
        }
        return new Resolved(host(current), "/" + String.join("/", current));
    }

    private Path host(List<String> components) {
        return components.isEmpty() ? root : root.resolve(String.join("/", components));
    }

    private static List<String> components(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
