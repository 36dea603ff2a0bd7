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
import java.util.Optional;
import java.util.Set;

/**
 * The guest's view of the file system: its "/" is the sandbox root on the host, as after {@code chroot}. A path
 * is resolved one component at a time, symbolic links included, so no link and no {@code ..} can lead outside
 * the root: a {@code ..} above "/" is refused (not clamped, so an escape attempt is visible as an error), and an
 * absolute link target such as busybox's {@code /bin/ls -> /bin/busybox} starts again at the root, never at the
 * host's "/".
 *
 * <p>{@code /proc}, {@code /sys} and {@code /dev} are never the host's, even when the root holds them (as
 * {@code --root /} does): their names resolve to {@link VirtualNode}s the process makes up from its own state, so
 * that {@code /proc/self} is the guest and not the agent, and {@code /proc/self/root} leads back to the guest's "/".
 * {@code /dev/shm} is the one directory there of host files: the program's own. It and each {@code --tmpfs} directory
 * are {@link PrivateDirectories}: their paths lead to directories of the program's own, not to the root's files.
 */
public final class Sandbox {
    /** linux/namei.h MAXSYMLINKS. */
    private static final int MAX_SYMLINKS = 40;
    /** The top-level directories the process makes up. */
    static final Set<String> VIRTUAL = Set.of("proc", "sys", "dev");

    /**
     * A resolved path: where it is on the host, or what it is among the made-up files, and its canonical name in
     * the guest.
     *
     * @param host      the host file, which may not exist yet; null for a made-up one
     * @param guestPath absolute, links and {@code ..} resolved
     * @param node      the made-up file; null for a host one
     */
    record Resolved(Path host, String guestPath, VirtualNode node) {
        boolean isVirtual() {
            return host == null;
        }
    }

    /** The made-up files: {@code /proc}, {@code /sys}, {@code /dev}, and the root's {@link ProvidedFiles}. */
    interface Virtual {
        /**
         * The node named by {@code components} (the first is one of {@link #VIRTUAL}, or they are one of
         * {@link ProvidedFiles#PATHS}), or null when none is.
         */
        VirtualNode node(List<String> components);

        /** The guest path of what descriptor {@code fd} has open, when it has one. */
        Optional<String> pathOf(int fd);

        /**
         * The path a walk through descriptor {@code fd}'s magic link goes on by: {@link #pathOf} while that name still
         * leads to the open file; empty for a file without one (a memfd, a file unlinked since), which the link itself
         * opens.
         */
        default Optional<String> followedPathOf(int fd) {
            return pathOf(fd);
        }
    }

    /** Nothing beneath the made-up directories but the directories themselves. */
    static final Virtual EMPTY = new Virtual() {
        @Override
        public VirtualNode node(List<String> components) {
            return components.size() == 1 ? VirtualNode.Directory.of(List.of()) : null;
        }

        @Override
        public Optional<String> pathOf(int fd) {
            return Optional.empty();
        }
    };

    private final Path root;
    /** {@code /dev/shm} and the {@code --tmpfs} directories; null: none (a sandbox that only finds files). */
    private final PrivateDirectories mounts;
    private Virtual virtual = EMPTY;
    private String cwd = "/";

    /**
     * A sandbox without {@code /dev/shm} and private directories, for finding the program's files.
     *
     * @throws UncheckedIOException     when the root does not exist
     * @throws IllegalArgumentException when it is not a directory
     */
    public Sandbox(Path root) {
        this(root, null);
    }

    /**
     * A process's sandbox, whose {@code /dev/shm} and {@code --tmpfs} directories are the program's {@code mounts}.
     *
     * @throws UncheckedIOException     when the root does not exist
     * @throws IllegalArgumentException when it is not a directory
     */
    Sandbox(Path root, PrivateDirectories mounts) {
        this.mounts = mounts;
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("the sandbox root " + root + " must be an existing directory", e);
        }
        if (!Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("the sandbox root " + root + " is not a directory");
        }
    }

    /** The root on the host, links resolved. */
    public Path root() {
        return root;
    }

    void setVirtual(Virtual files) {
        this.virtual = files;
    }

    String cwd() {
        return cwd;
    }

    void chdir(Resolved directory) {
        if (directory.isVirtual()) {
            if (!(directory.node() instanceof VirtualNode.Directory)) {
                throw new SyscallException(Errno.ENOTDIR);
            }
        } else if (!Files.isDirectory(directory.host())) {
            throw new SyscallException(Files.exists(directory.host()) ? Errno.ENOTDIR : Errno.ENOENT);
        }
        cwd = directory.guestPath();
    }

    /**
     * A host file the guest can name by {@code guestPath} (absolute), links followed beneath the root.
     *
     * @return its host path and canonical guest path; empty when the path does not lead to a regular host file
     */
    public Optional<Found> find(String guestPath) {
        try {
            Resolved r = resolve("/", guestPath, true);
            return !r.isVirtual() && Files.isRegularFile(r.host()) ? Optional.of(new Found(r.host(), r.guestPath()))
                    : Optional.empty();
        } catch (SyscallException | IOException e) {
            return Optional.empty();
        }
    }

    /** A host file found by {@link #find}: where it is, and its canonical name in the guest. */
    public record Found(Path host, String guestPath) {
    }

    /**
     * The guest's name for a host path beneath the root, links resolved: {@code /usr/bin/sort} for the host's
     * {@code /usr/bin/sort} with {@code --root /}. Empty when it is not beneath the root.
     */
    public Optional<String> guestPathOf(Path host) {
        try {
            Path real = host.toRealPath();
            Optional<String> mounted = mounts == null ? Optional.empty() : mounts.guestPathOf(real);
            if (mounted.isPresent()) {
                return mounted;
            }
            return real.startsWith(root) ? Optional.of("/" + root.relativize(real).toString().replace('\\', '/'))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Resolves {@code path} against the guest directory {@code base} (the cwd, or an {@code openat} directory).
     *
     * A {@code ..} at the root stays there, as in a chroot, and an absolute link's target starts again at the root: no
     * path leads out of it.
     *
     * @param followLast whether a symbolic link as the last component is followed (not for lstat, readlink)
     * @throws SyscallException ENOENT for an empty path or a made-up file that does not exist, ENOTDIR past a made-up
     *                          file, ELOOP after {@value #MAX_SYMLINKS} links
     */
    Resolved resolve(String base, String path, boolean followLast) throws IOException {
        if (path.isEmpty()) {
            throw new SyscallException(Errno.ENOENT);
        }
        Deque<String> pending = new ArrayDeque<>(components(path));
        List<String> current = path.startsWith("/") ? new ArrayList<>() : new ArrayList<>(components(base));
        int links = 0;
        VirtualNode node = null;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!current.isEmpty()) { // the root's ".." is the root, as in a chroot: nothing climbs out of it
                    current.removeLast();
                }
                continue;
            }
            current.add(name);
            boolean follow = followLast || !pending.isEmpty();
            String target = null;
            node = null;
            if (madeUp(current)) {
                node = virtual.node(current);
                if (node == null) {
                    throw new SyscallException(Errno.ENOENT);
                }
                if (follow && node instanceof VirtualNode.Link link) {
                    target = link.target();
                } else if (follow && node instanceof VirtualNode.Descriptor d
                        && d.followedPath().isPresent()) {
                    target = d.followedPath().get();
                } else if (!pending.isEmpty() && !(node instanceof VirtualNode.Directory)) {
                    throw new SyscallException(Errno.ENOTDIR);
                }
            } else if (follow && Files.isSymbolicLink(host(current))) {
                target = Files.readSymbolicLink(host(current)).toString();
            }
            if (target != null) {
                if (++links > MAX_SYMLINKS) {
                    throw new SyscallException(Errno.ELOOP);
                }
                node = null;
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
        String guestPath = "/" + String.join("/", current);
        if (!current.isEmpty() && madeUp(current)) {
            return new Resolved(null, guestPath, node != null ? node : virtual.node(current));
        }
        return new Resolved(host(current), guestPath, null);
    }

    /**
     * Whether {@code components} name a made-up file: beneath {@code /proc}, {@code /sys} or {@code /dev} (but for
     * {@code /dev/shm}), or one the machine provides in the root ({@link ProvidedFiles}).
     */
    private boolean madeUp(List<String> components) {
        return VIRTUAL.contains(components.getFirst()) && mountCovering(components) == null
                || ProvidedFiles.PATHS.contains(components);
    }

    /** The private directory {@code components} lie in ({@code /dev/shm/x}, {@code /tmp/x} with --tmpfs /tmp); null: none. */
    private PrivateDirectories.Mount mountCovering(List<String> components) {
        return mounts == null ? null : mounts.covering(components);
    }

    /** Whether this sandbox has a {@code /dev/shm}. */
    boolean hasShm() {
        return mounts != null;
    }

    /** Whether the resolved guest path {@code guestPath} lies in one of the program's own directories, always writable. */
    boolean isPrivate(String guestPath) {
        return mounts != null && mounts.holds(guestPath);
    }

    /** Whether the resolved guest path {@code guestPath} is one of the program's own directories or in one: a tmpfs. */
    boolean onTmpfs(String guestPath) {
        return mounts != null && mounts.covering(guestPath) != null;
    }

    private Path host(List<String> components) {
        PrivateDirectories.Mount mount = mountCovering(components);
        if (mount != null) {
            return mount.host(components);
        }
        return components.isEmpty() ? root : root.resolve(String.join("/", components));
    }

    /** The guest path of {@code name} in the guest directory {@code directory}: {@code /x} in "/", not {@code //x}. */
    static String child(String directory, String name) {
        return (directory.equals("/") ? "" : directory) + "/" + name;
    }

    private static List<String> components(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }
}
